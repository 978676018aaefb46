package io.tskotel.sdk.internal;

import io.tskotel.tsk.Tsk;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Everything the SDK reads from a TSK document, typed and validated; {@link #from} reports every invalid
 * key at once with its {@code file:line:col}. The keys are listed in {@code docs/sdk.md}.
 */
public record TskSettings(
    @Nullable String serviceName,
    @Nullable String serviceVersion,
    @Nullable String deploymentEnvironment,
    @Nullable String resourceAttributes,
    String exporter,
    @Nullable String otlpEndpoint,
    String otlpProtocol,
    String authToken,
    Duration metricExportInterval,
    int prometheusPort,
    String prometheusHost,
    Duration systemMetricsInterval,
    Path diskPath,
    Map<String, List<Double>> histogramBuckets,
    @Nullable URI queryUrl,
    String queryToken,
    boolean traceEnabled,
    @Nullable Double traceSampler,
    Logging logging,
    Health health,
    Names names) {

  /** {@code [logging]}. */
  public record Logging(
      Severity level, String format, @Nullable Path file, boolean console, long maxBytes, int maxFiles,
      boolean daily) {}

  /** {@code [health_checks]}. */
  public record Health(
      String healthPath, String readyPath, String livePath, int port, String host, Duration timeout,
      @Nullable URI redisUrl, Map<String, URI> externalServices) {}

  /** The metric names and labels the collector's query functions read ({@code [query]}, shared with it). */
  public record Names(
      String requests, String errors, String revenue, String payments, String paymentOutcomeLabel,
      String paymentSuccessValue, String paymentSuccessRateGauge, int errorStatusThreshold) {}

  /** Log levels in the order {@code log_level} filters them. */
  public enum Severity {
    DEBUG, INFO, WARN, ERROR;

    static @Nullable Severity parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "debug", "trace" -> DEBUG;
        case "info" -> INFO;
        case "warn", "warning" -> WARN;
        case "error" -> ERROR;
        default -> null;
      };
    }
  }

  /**
   * Reads and validates {@code tsk}.
   *
   * @throws IllegalArgumentException listing every invalid key
   */
  public static TskSettings from(Tsk tsk) {
    Reader r = new Reader(tsk);
    String exporter = r.get("telemetry.exporter", () -> tsk.getString("telemetry.exporter", "otlp"), "otlp");
    if (!exporter.equals("otlp") && !exporter.equals("none")) {
      r.error("telemetry.exporter", "\"" + exporter + "\" (expected: otlp or none)");
    }
    String protocol =
        r.get("telemetry.otlp_protocol", () -> tsk.getString("telemetry.otlp_protocol", "grpc"), "grpc");
    if (!protocol.equals("grpc") && !protocol.equals("http/protobuf")) {
      r.error("telemetry.otlp_protocol", "\"" + protocol + "\" (expected: grpc or http/protobuf)");
    }
    String endpoint = blankToNull(r.get("telemetry.otlp_endpoint",
        () -> tsk.getString("telemetry.otlp_endpoint", null), null));
    if (endpoint != null && !endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
      r.error("telemetry.otlp_endpoint", "\"" + endpoint + "\" (expected: an http:// or https:// URL)");
    }
    Duration exportInterval = r.get("telemetry.metric_export_interval",
        () -> tsk.getDuration("telemetry.metric_export_interval", Duration.ofSeconds(60)), Duration.ofSeconds(60));
    if (exportInterval.isZero() || exportInterval.isNegative()) {
      r.error("telemetry.metric_export_interval", exportInterval + " (expected: > 0)");
    }
    int promPort = r.get("telemetry.prometheus_port", () -> tsk.getInt("telemetry.prometheus_port", -1), -1);
    if (promPort < -1 || promPort > 65535) {
      r.error("telemetry.prometheus_port", promPort + " (expected: -1 (off) or 0..65535)");
    }
    Duration sysInterval = r.get("telemetry.system_metrics_interval",
        () -> tsk.getDuration("telemetry.system_metrics_interval", Duration.ZERO), Duration.ZERO);
    if (sysInterval.isNegative()) {
      r.error("telemetry.system_metrics_interval", sysInterval + " (expected: >= 0, 0 = off)");
    }
    Map<String, List<Double>> buckets = r.get("telemetry.histogram_buckets", () -> buckets(tsk, r), Map.of());
    String queryUrl = blankToNull(r.get("telemetry.query_url", () -> tsk.getString("telemetry.query_url", null), null));

    Double sampler = r.get("tracing.trace_sampler", () -> tsk.has("tracing.trace_sampler")
        ? (Double) tsk.getDouble("tracing.trace_sampler") : null, null);
    if (sampler != null && (sampler.isNaN() || sampler < 0 || sampler > 1)) {
      r.error("tracing.trace_sampler", sampler + " (expected: 0.0..1.0)");
    }

    String levelText = r.get("logging.log_level", () -> tsk.getString("logging.log_level", "info"), "info");
    Severity level = Severity.parse(levelText);
    if (level == null) {
      r.error("logging.log_level", "\"" + levelText + "\" (expected: debug, info, warn or error)");
      level = Severity.INFO;
    }
    String format = r.get("logging.log_format", () -> tsk.getString("logging.log_format", "json"), "json");
    if (!format.equals("json") && !format.equals("text")) {
      r.error("logging.log_format", "\"" + format + "\" (expected: json or text)");
    }
    String file = blankToNull(r.get("logging.log_file", () -> tsk.getString("logging.log_file", null), null));
    boolean console = r.get("logging.log_console", () -> tsk.getBoolean("logging.log_console", false), false);
    long maxBytes = r.get("logging.log_max_bytes",
        () -> tsk.getLong("logging.log_max_bytes", 10L * 1024 * 1024), 10L * 1024 * 1024);
    if (maxBytes < 1024) {
      r.error("logging.log_max_bytes", maxBytes + " (expected: >= 1024)");
    }
    int maxFiles = r.get("logging.log_max_files", () -> tsk.getInt("logging.log_max_files", 5), 5);
    if (maxFiles < 1 || maxFiles > 1000) {
      r.error("logging.log_max_files", maxFiles + " (expected: 1..1000)");
    }
    String rotation = r.get("logging.log_rotation", () -> tsk.getString("logging.log_rotation", "daily"), "daily");
    if (!rotation.equals("daily") && !rotation.equals("size")) {
      r.error("logging.log_rotation", "\"" + rotation + "\" (expected: daily or size)");
    }

    int healthPort = r.get("health_checks.port", () -> tsk.getInt("health_checks.port", -1), -1);
    if (healthPort < -1 || healthPort > 65535) {
      r.error("health_checks.port", healthPort + " (expected: -1 (off) or 0..65535)");
    }
    Duration timeout = r.get("health_checks.timeout",
        () -> tsk.getDuration("health_checks.timeout", Duration.ofSeconds(5)), Duration.ofSeconds(5));
    if (timeout.isZero() || timeout.isNegative()) {
      r.error("health_checks.timeout", timeout + " (expected: > 0)");
    }
    Health health = new Health(
        path(r, tsk, "health_checks.health_endpoint", "/health"),
        path(r, tsk, "health_checks.ready_endpoint", "/ready"),
        path(r, tsk, "health_checks.live_endpoint", "/live"),
        healthPort,
        r.get("health_checks.host", () -> tsk.getString("health_checks.host", "127.0.0.1"), "127.0.0.1"),
        timeout,
        uri(r, "health_checks.redis_url",
            blankToNull(r.get("health_checks.redis_url", () -> tsk.getString("health_checks.redis_url", null), null))),
        r.get("health_checks.external_services", () -> services(tsk, r), Map.of()));

    int threshold = r.get("query.error_status_threshold", () -> tsk.getInt("query.error_status_threshold", 400), 400);
    if (threshold < 100 || threshold > 599) {
      r.error("query.error_status_threshold", threshold + " (expected: 100..599)");
    }
    Names names = new Names(
        r.get("query.requests_metric", () -> tsk.getString("query.requests_metric", "requests_total"), "requests_total"),
        r.get("query.errors_metric", () -> tsk.getString("query.errors_metric", "errors_total"), "errors_total"),
        r.get("query.revenue_metric", () -> tsk.getString("query.revenue_metric", "revenue_daily_total"),
            "revenue_daily_total"),
        r.get("query.payments_metric", () -> tsk.getString("query.payments_metric", "payments_total"), "payments_total"),
        r.get("query.payment_outcome_label", () -> tsk.getString("query.payment_outcome_label", "success"), "success"),
        r.get("query.payment_success_value", () -> tsk.getString("query.payment_success_value", "true"), "true"),
        r.get("query.payment_success_rate_gauge",
            () -> tsk.getString("query.payment_success_rate_gauge", "payment_success_rate"), "payment_success_rate"),
        threshold);

    TskSettings settings = new TskSettings(
        blankToNull(r.get("telemetry.service_name", () -> tsk.getString("telemetry.service_name", null), null)),
        blankToNull(r.get("telemetry.service_version", () -> tsk.getString("telemetry.service_version", null), null)),
        blankToNull(r.get("telemetry.deployment_environment",
            () -> tsk.getString("telemetry.deployment_environment", null), null)),
        blankToNull(r.get("telemetry.resource_attributes",
            () -> tsk.getString("telemetry.resource_attributes", null), null)),
        exporter,
        endpoint,
        protocol,
        r.get("telemetry.auth_token", () -> tsk.getString("telemetry.auth_token", ""), ""),
        exportInterval,
        promPort,
        r.get("telemetry.prometheus_host", () -> tsk.getString("telemetry.prometheus_host", "127.0.0.1"), "127.0.0.1"),
        sysInterval,
        Path.of(r.get("telemetry.system_metrics_disk", () -> tsk.getString("telemetry.system_metrics_disk", "/"), "/")),
        buckets,
        uri(r, "telemetry.query_url", queryUrl),
        r.get("telemetry.query_token", () -> tsk.getString("telemetry.query_token", ""), ""),
        r.get("tracing.trace_enabled", () -> tsk.getBoolean("tracing.trace_enabled", true), true),
        sampler,
        new Logging(level, format, file == null ? null : Path.of(file), console, maxBytes, maxFiles,
            rotation.equals("daily")),
        health,
        names);
    r.throwIfAny(tsk);
    return settings;
  }

  private static String path(Reader r, Tsk tsk, String key, String def) {
    String p = r.get(key, () -> tsk.getString(key, def), def);
    if (!p.startsWith("/")) {
      r.error(key, "\"" + p + "\" (expected: a path starting with /)");
    }
    return p;
  }

  private static @Nullable URI uri(Reader r, String key, @Nullable String text) {
    if (text == null) {
      return null;
    }
    try {
      URI uri = URI.create(text);
      if (uri.getScheme() == null || uri.getHost() == null) {
        r.error(key, "\"" + text + "\" (expected: an absolute URL)");
        return null;
      }
      return uri;
    } catch (IllegalArgumentException e) {
      r.error(key, "\"" + text + "\" (expected: an absolute URL)");
      return null;
    }
  }

  private static Map<String, List<Double>> buckets(Tsk tsk, Reader r) {
    Map<String, List<Double>> out = new LinkedHashMap<>();
    Map<String, @Nullable Object> section = tsk.getSection("telemetry.histogram_buckets", Map.of());
    for (Map.Entry<String, @Nullable Object> e : section.entrySet()) {
      String key = "telemetry.histogram_buckets." + e.getKey();
      List<Double> bounds = new ArrayList<>();
      boolean ok = e.getValue() instanceof List<?>;
      if (ok) {
        for (Object v : (List<?>) e.getValue()) {
          if (!(v instanceof Number n) || (!bounds.isEmpty() && n.doubleValue() <= bounds.get(bounds.size() - 1))) {
            ok = false;
            break;
          }
          bounds.add(n.doubleValue());
        }
      }
      if (!ok) {
        r.error(key, "(expected: an array of increasing numbers)");
      } else {
        out.put(e.getKey(), List.copyOf(bounds));
      }
    }
    return out;
  }

  private static Map<String, URI> services(Tsk tsk, Reader r) {
    Map<String, URI> out = new LinkedHashMap<>();
    Map<String, @Nullable Object> section = tsk.getSection("health_checks.external_services", Map.of());
    for (Map.Entry<String, @Nullable Object> e : section.entrySet()) {
      String key = "health_checks.external_services." + e.getKey();
      if (e.getValue() instanceof String s) {
        URI uri = uri(r, key, s);
        if (uri != null) {
          out.put(e.getKey(), uri);
        }
      } else if (!e.getKey().endsWith("_fujsen")) {
        r.error(key, "(expected: a URL string)");
      }
    }
    return out;
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** Collects type errors (thrown by Tsk's typed getters) and value errors alike. */
  private static final class Reader {
    private final Tsk tsk;
    private final List<String> errors = new ArrayList<>();

    Reader(Tsk tsk) {
      this.tsk = tsk;
    }

    <T> T get(String key, Supplier<@Nullable T> read, T fallback) {
      try {
        T value = read.get();
        return value == null ? fallback : value;
      } catch (IllegalArgumentException e) {
        errors.add(e.getMessage());
        return fallback;
      }
    }

    void error(String key, String message) {
      errors.add(tsk.location(key) + ": " + key + ": " + message);
    }

    void throwIfAny(Tsk tsk) {
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid telemetry configuration in " + tsk.sourceName() + ":\n  " + String.join("\n  ", errors));
      }
    }
  }
}
