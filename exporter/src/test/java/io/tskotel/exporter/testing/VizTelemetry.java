package io.tskotel.exporter.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Telemetry with exactly known values for the dashboard, Prometheus and Grafana tests, stamped relative to
 * a fixed {@code now}. Every number the tests assert is derived here.
 *
 * <ul>
 *   <li>service {@code api} (namespace {@code shop}, instance {@code api-1}, host {@code host-a}) and
 *       service {@code web} (no namespace, host {@code host-b});
 *   <li>gauges {@code cpu_usage} (api: 40, 50, 60, then 42.5 one minute ago; web: 33), {@code
 *       memory_usage}, {@code disk_usage}, {@code daily_active_users}, {@code payment_success_rate}, and
 *       {@code stale_metric} two hours old;
 *   <li>counters {@code requests_total} (cumulative, per route), {@code errors_total} (delta 2 + 3), {@code
 *       payment_volume_total} (cumulative with a reset: increase 3050.5), {@code user_registrations_total}
 *       (increase 17), the up-down counter {@code queue.size};
 *   <li>histograms {@code response_time} (cumulative, seconds) and {@code rpc.duration} (delta, ms), the
 *       exponential histogram {@code payload.size} (bytes), the summary {@code gc.pause} (ms);
 *   <li>six server spans of {@code api} in one trace (one status Error, one HTTP 404), a client span, and
 *       logs of both services.
 * </ul>
 */
public final class VizTelemetry {
  private final Instant now;

  public VizTelemetry(Instant now) {
    this.now = now;
  }

  public Instant now() {
    return now;
  }

  /** Writes the metrics, traces and logs through the store. */
  public void writeTo(TelemetryStore store) throws StoreException {
    store.writeMetrics(metrics());
    store.writeTraces(traces());
    store.writeLogs(logs());
  }

  /** The trace that holds every span. */
  public static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";

  public static final String ROOT_SPAN_ID = "eee19b7ec3c1b174";

  /** Server span durations in ms, in the order they start (one a minute, from 8 minutes ago). */
  public static final List<Long> SERVER_SPAN_MS = List.of(10L, 20L, 30L, 40L, 50L, 1000L);

  /**
   * payment_volume_total's increase over the fixture: started an hour ago, then 1000 → 1250.5 → reset to
   * 300 → 1800.
   */
  public static final double REVENUE_INCREASE = 1000 + 250.5 + 300 + 1500;

  /** user_registrations_total's increase: started an hour ago, then 10 → 12 → 17. */
  public static final double REGISTRATIONS_INCREASE = 17;

  public List<ResourceMetrics> metrics() {
    List<Metric> api = new ArrayList<>();
    api.add(gauge("cpu_usage", "%", "CPU usage", 40, 50, 60, 42.5));
    api.add(gauge("memory_usage", "%", "Memory usage", 55, 61.25));
    api.add(gauge("disk_usage", "%", "Disk usage", 70, 70));
    api.add(gauge("daily_active_users", "{user}", "Active users", 1200, 1500));
    api.add(gauge("payment_success_rate", "%", "Payment success rate", 97.5, 98.5));
    api.add(staleGauge());
    api.add(
        cumulative(
            "requests_total", "{request}", "Requests served.", true,
            Map.of("http.route", "/pay"), 100, 160, 250));
    api.add(
        cumulative(
            "requests_total", "{request}", "Requests served.", true,
            Map.of("http.route", "/login"), 10, 20));
    api.add(delta("errors_total", "{error}", "Failed requests.", 2, 3));
    api.add(
        cumulative(
            "payment_volume_total", "{USD}", "Payment volume.", true, Map.of(),
            1000, 1250.5, 300, 1800));
    api.add(
        cumulative(
            "user_registrations_total", "{user}", "Registrations.", true, Map.of(), 10, 12, 17));
    api.add(cumulative("queue.size", "{item}", "Queue size.", false, Map.of(), 3, -2));
    api.add(responseTime());
    api.add(rpcDuration());
    api.add(gcPause());
    api.add(payloadSize());
    List<Metric> web = List.of(gauge("cpu_usage", "%", "CPU usage", 33));
    return List.of(
        resourceMetrics(apiResource(), api), resourceMetrics(webResource(), web));
  }

  public List<ResourceSpans> traces() {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < SERVER_SPAN_MS.size(); i++) {
      Instant start = now.minus(Duration.ofMinutes(8 - i));
      Span.Builder s =
          Span.newBuilder()
              .setTraceId(bytes(TRACE_ID))
              .setSpanId(bytes(i == 0 ? ROOT_SPAN_ID : String.format("%016x", 0x1000 + i)))
              .setName(i % 2 == 0 ? "POST /pay" : "GET /login")
              .setKind(Span.SpanKind.SPAN_KIND_SERVER)
              .setStartTimeUnixNano(nanos(start))
              .setEndTimeUnixNano(nanos(start) + SERVER_SPAN_MS.get(i) * 1_000_000L)
              .addAttributes(kv("http.route", i % 2 == 0 ? "/pay" : "/login"))
              .addAttributes(kv("http.response.status_code", i == 3 ? "404" : "200"));
      if (i > 0) {
        s.setParentSpanId(bytes(ROOT_SPAN_ID));
      }
      if (i == 5) {
        s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"));
      }
      spans.add(s.build());
    }
    spans.add(
        Span.newBuilder()
            .setTraceId(bytes(TRACE_ID))
            .setSpanId(bytes("00000000000000c1"))
            .setParentSpanId(bytes(ROOT_SPAN_ID))
            .setName("SELECT payments")
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
            .setStartTimeUnixNano(nanos(now.minus(Duration.ofMinutes(8))) + 1_000_000L)
            .setEndTimeUnixNano(nanos(now.minus(Duration.ofMinutes(8))) + 5_000_000L)
            .addAttributes(kv("db.system", "clickhouse"))
            .build());
    return List.of(
        ResourceSpans.newBuilder()
            .setResource(apiResource())
            .addScopeSpans(ScopeSpans.newBuilder().setScope(scope()).addAllSpans(spans))
            .build());
  }

  public List<ResourceLogs> logs() {
    return List.of(
        resourceLogs(
            apiResource(),
            log(now.minus(Duration.ofMinutes(7)), SeverityNumber.SEVERITY_NUMBER_INFO, "INFO",
                "payment accepted", true),
            log(now.minus(Duration.ofMinutes(3)), SeverityNumber.SEVERITY_NUMBER_ERROR, "ERROR",
                "payment failed: card declined", true),
            log(now.minus(Duration.ofMinutes(2)), SeverityNumber.SEVERITY_NUMBER_ERROR, "ERROR",
                "payment failed: card declined", false)),
        resourceLogs(
            webResource(),
            log(now.minus(Duration.ofMinutes(5)), SeverityNumber.SEVERITY_NUMBER_WARN, "WARN",
                "slow render", false)));
  }

  // ---- metrics ----

  /** Points one minute apart, the last one minute before now. */
  private Instant pointTime(int index, int count) {
    return now.minus(Duration.ofMinutes(count - index));
  }

  private Metric gauge(String name, String unit, String description, double... values) {
    Gauge.Builder g = Gauge.newBuilder();
    for (int i = 0; i < values.length; i++) {
      g.addDataPoints(
          NumberDataPoint.newBuilder()
              .setTimeUnixNano(nanos(pointTime(i, values.length)))
              .setAsDouble(values[i]));
    }
    return Metric.newBuilder()
        .setName(name)
        .setUnit(unit)
        .setDescription(description)
        .setGauge(g)
        .build();
  }

  private Metric staleGauge() {
    return Metric.newBuilder()
        .setName("stale_metric")
        .setGauge(
            Gauge.newBuilder()
                .addDataPoints(
                    NumberDataPoint.newBuilder()
                        .setTimeUnixNano(nanos(now.minus(Duration.ofHours(2))))
                        .setAsDouble(1)))
        .build();
  }

  private Metric cumulative(
      String name,
      String unit,
      String description,
      boolean monotonic,
      Map<String, String> attributes,
      double... values) {
    Sum.Builder s =
        Sum.newBuilder()
            .setIsMonotonic(monotonic)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    for (int i = 0; i < values.length; i++) {
      NumberDataPoint.Builder p =
          NumberDataPoint.newBuilder()
              .setStartTimeUnixNano(nanos(now.minus(Duration.ofHours(1))))
              .setTimeUnixNano(nanos(pointTime(i, values.length)))
              .setAsDouble(values[i]);
      attributes.forEach((k, v) -> p.addAttributes(kv(k, v)));
      s.addDataPoints(p);
    }
    return Metric.newBuilder()
        .setName(name)
        .setUnit(unit)
        .setDescription(description)
        .setSum(s)
        .build();
  }

  private Metric delta(String name, String unit, String description, double... values) {
    Sum.Builder s =
        Sum.newBuilder()
            .setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
    for (int i = 0; i < values.length; i++) {
      s.addDataPoints(
          NumberDataPoint.newBuilder()
              .setStartTimeUnixNano(nanos(pointTime(i, values.length).minus(Duration.ofMinutes(1))))
              .setTimeUnixNano(nanos(pointTime(i, values.length)))
              .setAsDouble(values[i]));
    }
    return Metric.newBuilder()
        .setName(name)
        .setUnit(unit)
        .setDescription(description)
        .setSum(s)
        .build();
  }

  /** Cumulative; the newest point: bounds 0.1, 0.5, 1 with counts 2, 3, 4, 1 (sum 5.75, count 10). */
  private Metric responseTime() {
    Histogram.Builder h =
        Histogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(histogramPoint(pointTime(0, 2), 1.5, 4, List.of(1L, 1L, 2L, 0L)))
            .addDataPoints(histogramPoint(pointTime(1, 2), 5.75, 10, List.of(2L, 3L, 4L, 1L)));
    return Metric.newBuilder()
        .setName("response_time")
        .setUnit("s")
        .setDescription("Response time.")
        .setHistogram(h)
        .build();
  }

  private HistogramDataPoint histogramPoint(Instant t, double sum, long count, List<Long> buckets) {
    return HistogramDataPoint.newBuilder()
        .setStartTimeUnixNano(nanos(now.minus(Duration.ofHours(1))))
        .setTimeUnixNano(nanos(t))
        .setSum(sum)
        .setCount(count)
        .addAllExplicitBounds(List.of(0.1, 0.5, 1.0))
        .addAllBucketCounts(buckets)
        .build();
  }

  /** Delta, ms: [1, 1, 0] (sum 50) then [0, 2, 1] (sum 300) over bounds 10, 100. */
  private Metric rpcDuration() {
    Histogram.Builder h =
        Histogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
    long[][] buckets = {{1, 1, 0}, {0, 2, 1}};
    double[] sums = {50, 300};
    for (int i = 0; i < 2; i++) {
      HistogramDataPoint.Builder p =
          HistogramDataPoint.newBuilder()
              .setStartTimeUnixNano(nanos(pointTime(i, 2).minus(Duration.ofMinutes(1))))
              .setTimeUnixNano(nanos(pointTime(i, 2)))
              .setSum(sums[i])
              .setCount(buckets[i][0] + buckets[i][1] + buckets[i][2])
              .addAllExplicitBounds(List.of(10.0, 100.0));
      for (long b : buckets[i]) {
        p.addBucketCounts(b);
      }
      h.addDataPoints(p);
    }
    return Metric.newBuilder().setName("rpc.duration").setUnit("ms").setHistogram(h).build();
  }

  /**
   * Cumulative exponential histogram in bytes, scale 0 (base 2): zero bucket 1, (1, 2] 1, (2, 4] 2; sum 9,
   * count 4.
   */
  private Metric payloadSize() {
    return Metric.newBuilder()
        .setName("payload.size")
        .setUnit("By")
        .setDescription("Payload sizes.")
        .setExponentialHistogram(
            ExponentialHistogram.newBuilder()
                .setAggregationTemporality(
                    AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(
                    ExponentialHistogramDataPoint.newBuilder()
                        .setStartTimeUnixNano(nanos(now.minus(Duration.ofHours(1))))
                        .setTimeUnixNano(nanos(pointTime(0, 1)))
                        .setScale(0)
                        .setZeroCount(1)
                        .setSum(9)
                        .setCount(4)
                        .setPositive(
                            ExponentialHistogramDataPoint.Buckets.newBuilder()
                                .setOffset(0)
                                .addBucketCounts(1)
                                .addBucketCounts(2))))
        .build();
  }

  /** ms: p50 12, p99 80.5, sum 300, count 20. */
  private Metric gcPause() {
    return Metric.newBuilder()
        .setName("gc.pause")
        .setUnit("ms")
        .setDescription("GC pauses.")
        .setSummary(
            Summary.newBuilder()
                .addDataPoints(
                    SummaryDataPoint.newBuilder()
                        .setStartTimeUnixNano(nanos(now.minus(Duration.ofHours(1))))
                        .setTimeUnixNano(nanos(pointTime(0, 1)))
                        .setSum(300)
                        .setCount(20)
                        .addQuantileValues(
                            SummaryDataPoint.ValueAtQuantile.newBuilder()
                                .setQuantile(0.5)
                                .setValue(12))
                        .addQuantileValues(
                            SummaryDataPoint.ValueAtQuantile.newBuilder()
                                .setQuantile(0.99)
                                .setValue(80.5))))
        .build();
  }

  private static ResourceMetrics resourceMetrics(Resource resource, List<Metric> metrics) {
    return ResourceMetrics.newBuilder()
        .setResource(resource)
        .addScopeMetrics(ScopeMetrics.newBuilder().setScope(scope()).addAllMetrics(metrics))
        .build();
  }

  // ---- logs ----

  private LogRecord log(
      Instant t, SeverityNumber severity, String text, String body, boolean inTrace) {
    LogRecord.Builder r =
        LogRecord.newBuilder()
            .setTimeUnixNano(nanos(t))
            .setObservedTimeUnixNano(nanos(t))
            .setSeverityNumber(severity)
            .setSeverityText(text)
            .setBody(AnyValue.newBuilder().setStringValue(body))
            .addAttributes(kv("component", "payments"));
    if (inTrace) {
      r.setTraceId(bytes(TRACE_ID)).setSpanId(bytes(ROOT_SPAN_ID));
    }
    return r.build();
  }

  private static ResourceLogs resourceLogs(Resource resource, LogRecord... records) {
    return ResourceLogs.newBuilder()
        .setResource(resource)
        .addScopeLogs(ScopeLogs.newBuilder().setScope(scope()).addAllLogRecords(List.of(records)))
        .build();
  }

  // ---- common ----

  public static Resource apiResource() {
    return Resource.newBuilder()
        .addAttributes(kv("service.name", "api"))
        .addAttributes(kv("service.namespace", "shop"))
        .addAttributes(kv("service.instance.id", "api-1"))
        .addAttributes(kv("host.name", "host-a"))
        .build();
  }

  public static Resource webResource() {
    return Resource.newBuilder()
        .addAttributes(kv("service.name", "web"))
        .addAttributes(kv("host.name", "host-b"))
        .build();
  }

  private static InstrumentationScope scope() {
    return InstrumentationScope.newBuilder().setName("io.tskotel.test").setVersion("1.0").build();
  }

  public static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static ByteString bytes(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  public static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
