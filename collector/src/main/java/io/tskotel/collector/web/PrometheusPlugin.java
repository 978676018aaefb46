package io.tskotel.collector.web;

import static java.util.Objects.requireNonNull;

import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.plugin.Plugin;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.functions.prometheus.PrometheusExporter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET {path}} (default {@code /metrics}, the seed's {@code metrics_endpoint}): the Prometheus text
 * exposition of {@link PrometheusExporter}. When the store cannot be read the scrape answers 503, so that
 * Prometheus records the target as down instead of every stored series as gone. Mount with {@code
 * config.registerPlugin(new PrometheusPlugin("/metrics", exporter))}.
 */
public final class PrometheusPlugin extends Plugin<Void> {
  private static final Logger logger = LoggerFactory.getLogger(PrometheusPlugin.class);
  private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9_.-]+)+");
  private static final long LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

  private final String path;
  private final PrometheusExporter exporter;
  private final AtomicLong lastFailureLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

  public PrometheusPlugin(String path, PrometheusExporter exporter) {
    this.path = requireNonNull(path, "path");
    this.exporter = requireNonNull(exporter, "exporter");
    if (!PATH.matcher(path).matches()) {
      throw new IllegalArgumentException(
          "path: '" + path + "' (expected: /segment[/segment...] of letters, digits, _ . -)");
    }
  }

  @Override
  public void onInitialize(JavalinState state) {
    state.routes.get(path, this::scrape);
  }

  @Override
  public String name() {
    return "tskotel-prometheus";
  }

  private void scrape(Context ctx) {
    try {
      ctx.contentType(PrometheusExporter.CONTENT_TYPE).result(exporter.scrape());
    } catch (StoreException e) {
      long now = System.nanoTime();
      long last = lastFailureLog.get();
      if (now - last >= LOG_INTERVAL_NANOS && lastFailureLog.compareAndSet(last, now)) {
        logger.warn("{}: store unavailable, answering 503 (logged at most once a minute): {}", path,
            e.getMessage());
      }
      ctx.status(503).contentType("text/plain; charset=utf-8").result("store unavailable\n");
    }
  }
}
