package io.tskotel.collector.telemetry;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.tskotel.collector.pipeline.Admission;
import io.tskotel.collector.pipeline.IngestSink;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.collector.pipeline.internal.SignalWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodically stores the collector's own metrics like any service's: it reads {@link CollectorMetrics}
 * once ({@link CollectorMetrics#collect()}), turns it into an OTLP {@code ExportMetricsServiceRequest}
 * under {@code service.name=tskotel-collector} and hands it to the same {@link IngestSink} the receivers
 * use, so it is queued, batched and written the same way. Timestamps come from the metrics' clock.
 */
public final class SelfTelemetryReporter implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(SelfTelemetryReporter.class);

  private final CollectorMetrics metrics;
  private final IngestSink sink;
  private final Duration interval;
  private final Map<String, String> resourceAttributes;
  private @Nullable ScheduledExecutorService executor;

  public SelfTelemetryReporter(
      CollectorMetrics metrics,
      IngestSink sink,
      Duration interval,
      Map<String, String> resourceAttributes) {
    this.metrics = requireNonNull(metrics, "metrics");
    this.sink = requireNonNull(sink, "sink");
    this.interval = requireNonNull(interval, "interval");
    this.resourceAttributes = Map.copyOf(resourceAttributes);
  }

  /** Reports every {@code interval} from now on; a zero interval disables the schedule. */
  public synchronized void start() {
    if (executor != null || interval.isZero()) {
      return;
    }
    executor = Executors.newSingleThreadScheduledExecutor(
        r -> Thread.ofPlatform().daemon().name("tskotel-self-telemetry").unstarted(r));
    long millis = interval.toMillis();
    executor.scheduleAtFixedRate(this::reportQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Builds one report and admits it; returns the sink's answer. */
  public Admission report() {
    ResourceMetrics resourceMetrics = OtlpMetrics.toResourceMetrics(metrics.collect(), resourceAttributes);
    int points = 0;
    for (ScopeMetrics scope : resourceMetrics.getScopeMetricsList()) {
      for (Metric metric : scope.getMetricsList()) {
        points += SignalWriter.Metrics.points(metric);
      }
    }
    byte[] request =
        ExportMetricsServiceRequest.newBuilder().addResourceMetrics(resourceMetrics).build().toByteArray();
    return sink.admit(Signal.METRICS, request, points);
  }

  private void reportQuietly() {
    try {
      Admission admission = report();
      if (admission.outcome() != Admission.Outcome.ACCEPTED) {
        logger.debug("self-telemetry report refused: {}", admission.message());
      }
    } catch (RuntimeException e) {
      logger.warn("self-telemetry report failed", e);
    }
  }

  /** Stops the schedule after one last report (so final counts are stored). Safe to call twice. */
  @Override
  public synchronized void close() {
    if (executor == null) {
      return;
    }
    executor.shutdownNow();
    executor = null;
    reportQuietly();
  }
}
