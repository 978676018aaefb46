package io.tskotel.sdk.internal;

import static io.tskotel.tsk.ValueType.BOOLEAN;
import static io.tskotel.tsk.ValueType.DOUBLE;
import static io.tskotel.tsk.ValueType.DURATION;
import static io.tskotel.tsk.ValueType.INT;
import static io.tskotel.tsk.ValueType.STRING;

import io.tskotel.tsk.SettingsReader;
import io.tskotel.tsk.SettingsReader.Section;
import io.tskotel.tsk.Tsk;
import io.tskotel.tsk.ValueType;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything the SDK reads from a TSK document, typed and validated; {@link #from} reports every invalid
 * key at once with its {@code file:line:col} (through {@link SettingsReader}, as every component). The keys are listed in {@code docs/sdk.md}.
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
   * @throws io.tskotel.tsk.SettingsException listing every invalid key with its {@code file:line:col}
   */
  public static TskSettings from(Tsk tsk) {
    return SettingsReader.readOnly(tsk, TskSettings::read);
  }

  private static TskSettings read(SettingsReader r) {
    Section t = r.section("telemetry");
    String exporter = t.get("exporter", ValueType.oneOf("otlp", "none"), "otlp");
    String protocol = t.get("otlp_protocol", ValueType.oneOf("grpc", "http/protobuf"), "grpc");
    String endpoint = blankToNull(t.get("otlp_endpoint", STRING, "",
        e -> e.isEmpty() || e.startsWith("http://") || e.startsWith("https://"), "an http:// or https:// URL"));
    Duration exportInterval = t.get("metric_export_interval", DURATION, Duration.ofSeconds(60),
        d -> !d.isZero() && !d.isNegative(), "> 0");
    int promPort = t.get("prometheus_port", INT, -1, p -> p >= -1 && p <= 65535, "-1 (off) or 0..65535");
    Duration sysInterval = t.get("system_metrics_interval", DURATION, Duration.ZERO,
        d -> !d.isNegative(), ">= 0, 0 = off");
    Map<String, List<Double>> buckets = buckets(r, r.section("telemetry.histogram_buckets"));

    Section tracing = r.section("tracing");
    Double sampler = tracing.get("trace_sampler", DOUBLE);
    if (sampler != null && (sampler.isNaN() || sampler < 0 || sampler > 1)) {
      tracing.error("trace_sampler", sampler + " (expected: 0.0..1.0)");
      sampler = null;
    }

    Section logging = r.section("logging");
    Severity level = Severity.parse(
        logging.get("log_level", ValueType.oneOf("debug", "trace", "info", "warn", "warning", "error"), "info"));
    String format = logging.get("log_format", ValueType.oneOf("json", "text"), "json");
    String file = blankToNull(logging.get("log_file", STRING, ""));
    boolean console = logging.get("log_console", BOOLEAN, false);
    long maxBytes = logging.get("log_max_bytes", ValueType.BYTES, 10L * 1024 * 1024, b -> b >= 1024, ">= 1024");
    int maxFiles = logging.get("log_max_files", INT, 5, n -> n >= 1 && n <= 1000, "1..1000");
    String rotation = logging.get("log_rotation", ValueType.oneOf("daily", "size"), "daily");

    Section h = r.section("health_checks");
    Health health = new Health(
        h.get("health_endpoint", STRING, "/health", PATH, "a path starting with /"),
        h.get("ready_endpoint", STRING, "/ready", PATH, "a path starting with /"),
        h.get("live_endpoint", STRING, "/live", PATH, "a path starting with /"),
        h.get("port", INT, -1, p -> p >= -1 && p <= 65535, "-1 (off) or 0..65535"),
        h.get("host", STRING, "127.0.0.1"),
        h.get("timeout", DURATION, Duration.ofSeconds(5), d -> !d.isZero() && !d.isNegative(), "> 0"),
        uri(h, "redis_url"),
        services(r, r.section("health_checks.external_services")));

    Section q = r.section("query");
    Names names = new Names(
        q.get("requests_metric", STRING, "requests_total"),
        q.get("errors_metric", STRING, "errors_total"),
        q.get("revenue_metric", STRING, "revenue_daily_total"),
        q.get("payments_metric", STRING, "payments_total"),
        q.get("payment_outcome_label", STRING, "success"),
        q.get("payment_success_value", STRING, "true"),
        q.get("payment_success_rate_gauge", STRING, "payment_success_rate"),
        q.get("error_status_threshold", INT, 400, n -> n >= 100 && n <= 599, "100..599"));

    return new TskSettings(
        blankToNull(t.get("service_name", STRING, "")),
        blankToNull(t.get("service_version", STRING, "")),
        blankToNull(t.get("deployment_environment", STRING, "")),
        blankToNull(t.get("resource_attributes", STRING, "")),
        exporter,
        endpoint,
        protocol,
        t.get("auth_token", STRING, ""),
        exportInterval,
        promPort,
        t.get("prometheus_host", STRING, "127.0.0.1"),
        sysInterval,
        Path.of(t.get("system_metrics_disk", STRING, "/")),
        buckets,
        uri(t, "query_url"),
        t.get("query_token", STRING, ""),
        tracing.get("trace_enabled", BOOLEAN, true),
        sampler,
        new Logging(level, format, file == null ? null : Path.of(file), console, maxBytes, maxFiles,
            rotation.equals("daily")),
        health,
        names);
  }

  private static final java.util.function.Predicate<String> PATH = p -> p.startsWith("/");

  private static @Nullable URI uri(Section s, String key) {
    String text = blankToNull(s.get(key, STRING, ""));
    if (text == null) {
      return null;
    }
    try {
      URI uri = URI.create(text);
      if (uri.getScheme() != null && uri.getHost() != null) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    s.error(key, "\"" + text + "\" (expected: an absolute URL)");
    return null;
  }

  private static Map<String, List<Double>> buckets(SettingsReader r, Section s) {
    Map<String, List<Double>> out = new LinkedHashMap<>();
    for (String key : r.tsk().keys(s.name())) {
      Object value = s.get(key, RAW);
      List<Double> bounds = new ArrayList<>();
      boolean ok = value instanceof List<?>;
      if (ok) {
        for (Object v : (List<?>) value) {
          if (!(v instanceof Number n) || (!bounds.isEmpty() && n.doubleValue() <= bounds.get(bounds.size() - 1))) {
            ok = false;
            break;
          }
          bounds.add(n.doubleValue());
        }
      }
      if (ok) {
        out.put(key, List.copyOf(bounds));
      } else {
        s.error(key, "(expected: an array of increasing numbers)");
      }
    }
    return out;
  }

  private static Map<String, URI> services(SettingsReader r, Section s) {
    Map<String, URI> out = new LinkedHashMap<>();
    for (String key : r.tsk().keys(s.name())) {
      if (key.endsWith("_fujsen")) {
        continue;
      }
      URI uri = uri(s, key);
      if (uri != null) {
        out.put(key, uri);
      }
    }
    return out;
  }

  /** Any value as it is; the caller checks its shape. */
  private static final ValueType<Object> RAW = (tsk, path) -> tsk.get(path);

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
