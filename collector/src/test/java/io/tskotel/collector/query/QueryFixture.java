package io.tskotel.collector.query;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tskotel.exporter.AlertRecord;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.testing.ChdbTestEngine;
import io.tskotel.exporter.testing.TestStores;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Telemetry with exactly known answers, written through the real store (OTLP objects → ClickHouseStore →
 * chDB) into a database of its own. Every expected value in the tests is derived by hand in the comments
 * here. The clock stands at {@link #NOW}; "today" in {@link #ZONE} (UTC+1 in March) began 13 hours before.
 */
public final class QueryFixture {
  public static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  public static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

  private static final AtomicLong ids = new AtomicLong(1);

  private QueryFixture() {}

  /** A store on the test JVM's shared chDB engine, in a fresh database, migrated. Closing it keeps the engine. */
  public static ClickHouseStore newStore(Class<?> owner) throws StoreException {
    return newStore(owner, null, 0);
  }

  /** As {@link #newStore(Class)}, with the store's limits on queries (null / 0: the defaults). */
  public static ClickHouseStore newStore(Class<?> owner, Duration queryTimeout, long maxResultRows)
      throws StoreException {
    // The fixture lives at a fixed past instant: no TTL, or the engine would drop its rows as expired.
    return TestStores.newStore(
        owner,
        b -> {
          for (String signal : List.of("traces", "logs", "metrics", "alerts")) {
            b.ttl(signal, Duration.ZERO);
          }
          if (queryTimeout != null) {
            b.queryTimeout(queryTimeout);
          }
          if (maxResultRows > 0) {
            b.maxResultRows(maxResultRows);
          }
        });
  }

  /** The functions' configuration for a store made by {@link #newStore}, with the seed's aliases. */
  public static QueryConfig config(ClickHouseStore store) {
    return QueryConfig.builder()
        .database(store.config().database())
        .zone(ZONE)
        .metricAlias("response_time", "response_time_seconds")
        .metricAlias("user_registrations", "user_registrations_total")
        .metricAlias("request_count", "requests_total")
        .build();
  }

  /** The full fixture: spans, every metric, alerts. */
  public static void writeAll(ClickHouseStore store) throws StoreException {
    writeMetrics(store);
    writeSpans(store);
    writeAlerts(store);
  }

  static Instant ago(Duration d) {
    return NOW.minus(d);
  }

  static Instant ago(String iso) {
    return NOW.minus(Duration.parse(iso));
  }

  // ---------------------------------------------------------------------------------------------- metrics

  /**
   * <ul>
   *   <li>gauge {@code cpu_usage}: host=a 10, 20, 30, 40, 50 at 50/40/30/20/10 min ago; host=b 70 at 5 min
   *       ago; host=a 90 two hours ago. 1h: avg 220/6, min 10, max 70, sum 220, count 6, raw [70, 50, 40,
   *       30, 20, 10]; host=a: avg 30. all: count 7.
   *   <li>gauge {@code memory_usage}: 60 at 30 min ago. {@code daily_active_users}: 100, 150.
   *   <li>cumulative counter {@code requests_total}, route=/a: start 10m ago; 100 (9m), 160 (4m), reset to 40
   *       with start 3m30s (3m), 100 (30s). route=/b, delta: 10 (2m), 20 (1m). 5m increase: 60 + 40 + 60 + 10
   *       + 20 = 190; 1m: 60 + 20 = 80; all: 100 + 60 + 40 + 60 + 30 = 290.
   *   <li>cumulative counter {@code errors_total}: start 10m ago; 5 (9m), 8 (4m), 14 (30s). 5m: 9.
   *   <li>delta histogram {@code response_time_seconds}, bounds [0.1, 0.5, 1, 5]: [2,3,4,1,0] count 10 sum 7
   *       min 0.05 max 3 (40m); [0,5,2,2,1] count 10 sum 18 min 0.2 max 8 (10m). 1h: [2,8,6,3,1], count 20,
   *       sum 25, avg 1.25, min 0.05, max 8; p90 = 1 + 4·(18−16)/3, p95 = 5, p99 = 5 + 3·0.8.
   *   <li>cumulative histogram {@code db_latency}, bounds [1, 10], start 2h ago, min 0.5 max 20: [1,1,0] c2 s6
   *       (90m), [3,2,1] c6 s40 (30m), [4,4,1] c9 s55 (10m). 1h: [3,3,1] count 7 sum 49 avg 7; p99 = 10 +
   *       10·0.93.
   *   <li>cumulative counter {@code revenue_daily_total}, start 36h ago: 500 (14h), 520 (12h30m), 600 (6h), 650
   *       (1h). Since Berlin midnight (13h ago): 150; since UTC midnight (12h ago): 130.
   *   <li>cumulative counter {@code payments_total}, start 30h ago, success=true: 10 (25h), 30 (20h), 70 (1h);
   *       success=false: 2, 5, 17. 24h: 60 of 75 = 80 %.
   *   <li>delta counter {@code user_registrations_total}: 100 (25h), 5 (23h), 7 (2h). 24h: 12.
   *   <li>non-monotonic cumulative sum {@code queue_depth}: 5 (5m), 3 (3m). 1h: sum 8, avg 4.
   * </ul>
   */
  public static void writeMetrics(ClickHouseStore store) throws StoreException {
    store.writeMetrics(metrics());
  }

  /** The metrics of {@link #writeMetrics}, as OTLP objects (for sending them through a receiver). */
  public static List<ResourceMetrics> metrics() {
    List<Metric> shop = new ArrayList<>();
    shop.add(
        gauge(
            "cpu_usage",
            gp(ago("PT50M"), 10, "host", "a"),
            gp(ago("PT40M"), 20, "host", "a"),
            gp(ago("PT30M"), 30, "host", "a"),
            gp(ago("PT20M"), 40, "host", "a"),
            gp(ago("PT10M"), 50, "host", "a"),
            gp(ago("PT5M"), 70, "host", "b"),
            gp(ago("PT2H"), 90, "host", "a")));
    shop.add(gauge("memory_usage", gp(ago("PT30M"), 60)));
    shop.add(gauge("daily_active_users", gp(ago("PT30M"), 100), gp(ago("PT20M"), 150)));
    shop.add(requestsTotal());
    shop.add(requestsTotalDelta());
    shop.add(
        sum(
            "errors_total",
            true,
            AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
            sp(ago("PT10M"), ago("PT9M"), 5),
            sp(ago("PT10M"), ago("PT4M"), 8),
            sp(ago("PT10M"), ago("PT30S"), 14)));
    shop.add(
        histogram(
            "response_time_seconds",
            AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA,
            hp(ago("PT50M"), ago("PT40M"), List.of(0.1, 0.5, 1.0, 5.0), List.of(2L, 3L, 4L, 1L, 0L), 7, 0.05, 3),
            hp(ago("PT20M"), ago("PT10M"), List.of(0.1, 0.5, 1.0, 5.0), List.of(0L, 5L, 2L, 2L, 1L), 18, 0.2, 8)));
    shop.add(
        histogram(
            "db_latency",
            AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
            hp(ago("PT2H"), ago("PT90M"), List.of(1.0, 10.0), List.of(1L, 1L, 0L), 6, 0.5, 20),
            hp(ago("PT2H"), ago("PT30M"), List.of(1.0, 10.0), List.of(3L, 2L, 1L), 40, 0.5, 20),
            hp(ago("PT2H"), ago("PT10M"), List.of(1.0, 10.0), List.of(4L, 4L, 1L), 55, 0.5, 20)));
    shop.add(
        sum(
            "revenue_daily_total",
            true,
            AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
            sp(ago("PT36H"), ago("PT14H"), 500),
            sp(ago("PT36H"), ago("PT12H30M"), 520),
            sp(ago("PT36H"), ago("PT6H"), 600),
            sp(ago("PT36H"), ago("PT1H"), 650)));
    shop.add(
        sum(
            "payments_total",
            true,
            AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
            sp(ago("PT30H"), ago("PT25H"), 10, "success", "true"),
            sp(ago("PT30H"), ago("PT20H"), 30, "success", "true"),
            sp(ago("PT30H"), ago("PT1H"), 70, "success", "true"),
            sp(ago("PT30H"), ago("PT25H"), 2, "success", "false"),
            sp(ago("PT30H"), ago("PT20H"), 5, "success", "false"),
            sp(ago("PT30H"), ago("PT1H"), 17, "success", "false")));
    shop.add(
        sum(
            "user_registrations_total",
            true,
            AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA,
            sp(ago("PT26H"), ago("PT25H"), 100),
            sp(ago("PT24H"), ago("PT23H"), 5),
            sp(ago("PT3H"), ago("PT2H"), 7)));
    shop.add(
        sum(
            "queue_depth",
            false,
            AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
            sp(ago("PT1H"), ago("PT5M"), 5),
            sp(ago("PT1H"), ago("PT3M"), 3)));
    return List.of(resourceMetrics("shop", shop));
  }

  /** Only the counters behind the rates' fallback (no spans): requests_total and errors_total. */
  public static void writeCounters(ClickHouseStore store) throws StoreException {
    store.writeMetrics(
        List.of(
            resourceMetrics(
                "shop",
                List.of(
                    requestsTotal(),
                    requestsTotalDelta(),
                    sum(
                        "errors_total",
                        true,
                        AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
                        sp(ago("PT10M"), ago("PT9M"), 5),
                        sp(ago("PT10M"), ago("PT4M"), 8),
                        sp(ago("PT10M"), ago("PT30S"), 14))))));
  }

  private static Metric requestsTotal() {
    return sum(
            "requests_total",
            true,
            AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
            sp(ago("PT10M"), ago("PT9M"), 100, "route", "/a"),
            sp(ago("PT10M"), ago("PT4M"), 160, "route", "/a"),
            sp(ago("PT3M30S"), ago("PT3M"), 40, "route", "/a"),
            sp(ago("PT3M30S"), ago("PT30S"), 100, "route", "/a"));
  }

  /** Delta points of requests_total for route=/b: a second Sum metric of the same name. */
  static Metric requestsTotalDelta() {
    return sum(
        "requests_total",
        true,
        AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA,
        sp(ago("PT3M"), ago("PT2M"), 10, "route", "/b"),
        sp(ago("PT2M"), ago("PT1M"), 20, "route", "/b"));
  }

  // ------------------------------------------------------------------------------------------------ spans

  /**
   * Server spans 50 s to 10 s ago: shop GET /a 10, 20, 30, 40 ms (HTTP 200) and 100 ms (HTTP 500); shop POST
   * /b 5 ms (status Error) and 15 ms (HTTP 404); auth "login" 7 ms (no route). Not counted: a client span
   * with status Error; a server span 10 minutes ago (outside 5m, inside 1h).
   *
   * <p>5m: 8 server spans, 3 errors at threshold 400 (37.5 %), 2 at threshold 500 (25 %). 1m request rate
   * 8/60. Latency: shop /a p50 30, p90/p95/p99 100, avg 40, max 100, errors 1; shop /b p50 15, avg 10, errors
   * 2; auth login 7.
   */
  public static void writeSpans(ClickHouseStore store) throws StoreException {
    store.writeTraces(spans());
  }

  /** The spans of {@link #writeSpans}, as OTLP objects. Span ids are fresh on every call. */
  public static List<ResourceSpans> spans() {
    List<Span> shop = new ArrayList<>();
    int i = 0;
    for (long ms : new long[] {10, 20, 30, 40}) {
      shop.add(span("GET /a", Span.SpanKind.SPAN_KIND_SERVER, ago(Duration.ofSeconds(50 - i++)), ms, "/a", 200, null));
    }
    shop.add(span("GET /a", Span.SpanKind.SPAN_KIND_SERVER, ago("PT40S"), 100, "/a", 500, null));
    shop.add(span("POST /b", Span.SpanKind.SPAN_KIND_SERVER, ago("PT30S"), 5, "/b", 0, Status.StatusCode.STATUS_CODE_ERROR));
    shop.add(span("POST /b", Span.SpanKind.SPAN_KIND_SERVER, ago("PT20S"), 15, "/b", 404, null));
    shop.add(span("call db", Span.SpanKind.SPAN_KIND_CLIENT, ago("PT20S"), 3, null, 0, Status.StatusCode.STATUS_CODE_ERROR));
    shop.add(span("GET /a", Span.SpanKind.SPAN_KIND_SERVER, ago("PT10M"), 1000, "/a", 200, null));
    List<Span> auth = List.of(span("login", Span.SpanKind.SPAN_KIND_SERVER, ago("PT10S"), 7, null, 0, null));
    return List.of(resourceSpans("shop", shop), resourceSpans("auth", auth));
  }

  /** high_cpu (10m ago), high_error_rate (30m ago), old_alert (2h ago). */
  public static void writeAlerts(ClickHouseStore store) throws StoreException {
    store.writeAlerts(
        List.of(
            new AlertRecord(ago("PT10M"), "high_cpu", "warning", "CPU usage is 91% (threshold: 80%)", 91, 80, Map.of("host", "a")),
            new AlertRecord(ago("PT30M"), "high_error_rate", "critical", "Error rate is 37.5% (threshold: 5%)", 37.5, 5, Map.of()),
            new AlertRecord(ago("PT2H"), "old_alert", "warning", "long ago", 1, 0, Map.of())));
  }

  /** Rows in every table of the fixture, to show they are intact after hostile requests. */
  public static Map<String, Long> rowCounts(ClickHouseStore store) throws StoreException {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String table :
        List.of(
            "otel_traces",
            "otel_metrics_gauge",
            "otel_metrics_sum",
            "otel_metrics_histogram",
            "tskotel_alerts",
            "tskotel_schema_migrations")) {
      QueryResult r =
          store.query(
              "SELECT count() FROM {db:Identifier}.{t:Identifier}",
              Map.of("db", store.config().database(), "t", table));
      counts.put(table, ((Number) r.rows().get(0).get(0)).longValue());
    }
    return counts;
  }

  // ---------------------------------------------------------------------------------------------- builders

  private static ResourceMetrics resourceMetrics(String service, List<Metric> metrics) {
    return ResourceMetrics.newBuilder()
        .setResource(resource(service))
        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(metrics))
        .build();
  }

  private static ResourceSpans resourceSpans(String service, List<Span> spans) {
    return ResourceSpans.newBuilder()
        .setResource(resource(service))
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans))
        .build();
  }

  private static Resource resource(String service) {
    return Resource.newBuilder().addAttributes(kv("service.name", service)).build();
  }

  static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  static KeyValue kv(String k, long v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v)).build();
  }

  static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  static Metric gauge(String name, NumberDataPoint... points) {
    return Metric.newBuilder()
        .setName(name)
        .setGauge(Gauge.newBuilder().addAllDataPoints(List.of(points)))
        .build();
  }

  static Metric sum(String name, boolean monotonic, AggregationTemporality t, NumberDataPoint... points) {
    return Metric.newBuilder()
        .setName(name)
        .setSum(
            Sum.newBuilder()
                .setIsMonotonic(monotonic)
                .setAggregationTemporality(t)
                .addAllDataPoints(List.of(points)))
        .build();
  }

  static Metric histogram(String name, AggregationTemporality t, HistogramDataPoint... points) {
    return Metric.newBuilder()
        .setName(name)
        .setHistogram(Histogram.newBuilder().setAggregationTemporality(t).addAllDataPoints(List.of(points)))
        .build();
  }

  static NumberDataPoint gp(Instant time, double value, String... labels) {
    return sp(null, time, value, labels);
  }

  static NumberDataPoint sp(Instant start, Instant time, double value, String... labels) {
    NumberDataPoint.Builder b =
        NumberDataPoint.newBuilder().setTimeUnixNano(nanos(time)).setAsDouble(value);
    if (start != null) {
      b.setStartTimeUnixNano(nanos(start));
    }
    for (int i = 0; i < labels.length; i += 2) {
      b.addAttributes(kv(labels[i], labels[i + 1]));
    }
    return b.build();
  }

  static HistogramDataPoint hp(
      Instant start, Instant time, List<Double> bounds, List<Long> counts, double sum, double min, double max) {
    return HistogramDataPoint.newBuilder()
        .setStartTimeUnixNano(nanos(start))
        .setTimeUnixNano(nanos(time))
        .addAllExplicitBounds(bounds)
        .addAllBucketCounts(counts)
        .setCount(counts.stream().mapToLong(Long::longValue).sum())
        .setSum(sum)
        .setMin(min)
        .setMax(max)
        .build();
  }

  static Span span(
      String name,
      Span.SpanKind kind,
      Instant start,
      long durationMs,
      String route,
      int httpStatus,
      Status.StatusCode status) {
    long id = ids.getAndIncrement();
    Span.Builder b =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(8, id).array()))
            .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array()))
            .setName(name)
            .setKind(kind)
            .setStartTimeUnixNano(nanos(start))
            .setEndTimeUnixNano(nanos(start) + durationMs * 1_000_000L);
    if (route != null) {
      b.addAttributes(kv("http.route", route));
    }
    if (httpStatus != 0) {
      b.addAttributes(kv("http.response.status_code", httpStatus));
    }
    if (status != null) {
      b.setStatus(Status.newBuilder().setCode(status));
    }
    return b.build();
  }

  /**
   * Closes a store made by {@link #newStore} and drops its database: no table of a finished test class is
   * left for the engine's background merges.
   */
  public static void dispose(ClickHouseStore store) {
    try {
      store.close();
    } finally {
      ChdbTestEngine.dropDatabase(store.config().database());
    }
  }
}
