package io.tskotel.collector.query;

import static io.tskotel.collector.query.QueryFixture.NOW;
import static io.tskotel.collector.query.QueryFixture.gauge;
import static io.tskotel.collector.query.QueryFixture.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tskotel.collector.query.internal.MetricSql;
import io.tskotel.collector.query.internal.ServiceSql;
import io.tskotel.collector.testing.ForwardingStore;
import io.tskotel.collector.query.internal.WholeMinutes;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-minute rollups (migration 6) answer exactly what the raw rows answer: the same functions with
 * {@code rollups(false)} are the reference. The clock stands 25.5 s past a minute, so every window has a
 * partial minute at both ends; points sit on both ends of the windows; half the gauge points were written
 * before the projection existed (as after an upgrade), so the engine reads those parts raw.
 */
class RollupQueriesTest {
  /** 25.5 s past the minute: windows start and end inside a minute. */
  private static final Instant AT = NOW.plusMillis(25_500);

  private static ClickHouseStore store;
  private static long spanIds = 1_000_000;

  @BeforeAll
  static void setUp() throws Exception {
    store = QueryFixture.newStore(RollupQueriesTest.class);
    String db = store.config().database();
    Map<String, String> p = Map.of("db", db);
    // As a store written before migration 6: parts without the projection ...
    store.engine().execute("ALTER TABLE {db:Identifier}.otel_metrics_gauge DROP PROJECTION minute_values", p);
    store.writeMetrics(gauges(0));
    store.engine().execute(
        "ALTER TABLE {db:Identifier}.otel_metrics_gauge ADD PROJECTION minute_values (SELECT MetricName,"
            + " toStartOfMinute(TimeUnix), count(), sum(Value), min(Value), max(Value)"
            + " GROUP BY MetricName, toStartOfMinute(TimeUnix))", p);
    // ... and parts written after it.
    store.writeMetrics(gauges(1));
    store.writeTraces(spans());
  }

  @AfterAll
  static void tearDown() {
    QueryFixture.dispose(store);
  }

  /**
   * Gauge points of {@code cpu_usage} and {@code queue_length} for two services, every 7 s from 70 minutes
   * before {@link #AT} to it, integer values (so sums are exact in any order); half {@code 0}, half {@code 1}
   * by position. Plus points exactly at the 1h window's two ends.
   */
  private static List<ResourceMetrics> gauges(int half) {
    List<ResourceMetrics> out = new ArrayList<>();
    for (String service : List.of("api", "worker")) {
      List<NumberDataPoint> cpu = new ArrayList<>();
      List<NumberDataPoint> queue = new ArrayList<>();
      int i = 0;
      for (Instant t = AT.minus(Duration.ofMinutes(70)); !t.isAfter(AT); t = t.plusSeconds(7), i++) {
        if (i % 2 == half) {
          cpu.add(QueryFixture.gp(t, (i * 37) % 101, "host", service));
          queue.add(QueryFixture.gp(t, i % 17 - 8));
        }
      }
      if (half == 0) {
        cpu.add(QueryFixture.gp(AT.minus(Duration.ofHours(1)), 1000));
        cpu.add(QueryFixture.gp(AT, -1000));
      }
      out.add(
          ResourceMetrics.newBuilder()
              .setResource(Resource.newBuilder().addAttributes(kv("service.name", service)))
              .addScopeMetrics(
                  ScopeMetrics.newBuilder()
                      .addMetrics(gauge("cpu_usage", cpu.toArray(NumberDataPoint[]::new)))
                      .addMetrics(gauge("queue_length", queue.toArray(NumberDataPoint[]::new))))
              .build());
    }
    return out;
  }

  /**
   * Spans of two services every 3 s over the last 70 minutes: server spans with HTTP 200, 404, 500 (current
   * attribute), 503 (the old {@code http.status_code}) and status Error by position, and client spans with
   * status Error (never counted). Durations 1..97 ms.
   */
  private static List<ResourceSpans> spans() {
    List<ResourceSpans> out = new ArrayList<>();
    for (String service : List.of("shop", "auth")) {
      List<Span> spans = new ArrayList<>();
      int i = 0;
      for (Instant t = AT.minus(Duration.ofMinutes(70)); !t.isAfter(AT); t = t.plusSeconds(3), i++) {
        Span.Builder b = span(service.equals("shop") ? "GET /a" : "login", t, 1 + (i * 13) % 97);
        switch (i % 7) {
          case 0 -> b.addAttributes(kv("http.response.status_code", 500));
          case 1 -> b.addAttributes(kv("http.response.status_code", 404));
          case 2 -> b.addAttributes(kv("http.status_code", 503));
          case 3 -> b.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
          case 4 -> b.setKind(Span.SpanKind.SPAN_KIND_CLIENT)
              .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
          default -> b.addAttributes(kv("http.response.status_code", 200));
        }
        spans.add(b.build());
      }
      spans.add(span(service, AT.minus(Duration.ofMinutes(5)), 1000).build());
      spans.add(span(service, AT, 2000).build());
      out.add(
          ResourceSpans.newBuilder()
              .setResource(Resource.newBuilder().addAttributes(kv("service.name", service)))
              .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans))
              .build());
    }
    return out;
  }

  private static Span.Builder span(String name, Instant start, long durationMs) {
    long id = spanIds++;
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(8, id).array()))
        .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array()))
        .setName(name)
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(QueryFixture.nanos(start))
        .setEndTimeUnixNano(QueryFixture.nanos(start) + durationMs * 1_000_000L);
  }

  private static QueryFunctions functions(Instant at, boolean rollups, int threshold) {
    return builder(store, at, rollups, threshold).build();
  }

  private static QueryFunctions.Builder builder(
      TelemetryStore store, Instant at, boolean rollups, int threshold) {
    QueryConfig config =
        QueryConfig.builder().database(RollupQueriesTest.store.config().database())
            .errorStatusThreshold(threshold).build();
    return QueryFunctions.builder(store)
        .clock(Clock.fixed(at, ZoneOffset.UTC))
        .config(config)
        .rollups(rollups);
  }

  @Test
  void dashboardData_concurrentEqualsSequential_wholeDashboard() throws Exception {
    for (boolean rollups : List.of(true, false)) {
      for (Instant at : List.of(AT, NOW, AT.plus(Duration.ofHours(3)))) {
        DashboardData sequential =
            builder(store, at, rollups, 400).concurrentDashboard(false).build().dashboardData();
        DashboardData concurrent =
            builder(store, at, rollups, 400).concurrentDashboard(true).build().dashboardData();
        assertThat(concurrent).as("rollups %s at %s", rollups, at).isEqualTo(sequential);
      }
    }
    // The whole dashboard from the rollups, side by side, against the sequential raw one.
    assertThat(builder(store, AT, true, 400).concurrentDashboard(true).build().dashboardData())
        .isEqualTo(builder(store, AT, false, 400).build().dashboardData());
  }

  @Test
  void dashboardData_concurrentDashboardKey_runsTheMetricHalfOnAnotherThreadOnlyWhenOn() throws Exception {
    Map<Boolean, List<String>> threads = new LinkedHashMap<>();
    for (String tsk : List.of("", "[query]\nconcurrent_dashboard: true\n", "[query]\nconcurrent_dashboard: false\n")) {
      List<String> seen = Collections.synchronizedList(new ArrayList<>());
      TelemetryStore recording =
          new ForwardingStore(store) {
            @Override
            public QueryResult query(String sql, Map<String, ?> params) throws StoreException {
              seen.add(Thread.currentThread().getName());
              return super.query(sql, params);
            }
          };
      QueryConfig config = QueryConfig.fromTsk(io.tskotel.tsk.Tsk.parse(tsk), store.config().database());
      DashboardData d = QueryFunctions.builder(recording).clock(Clock.fixed(AT, ZoneOffset.UTC)).config(config)
          .build().dashboardData();
      assertThat(d).as(tsk).isEqualTo(builder(store, AT, true, 400).concurrentDashboard(false).build().dashboardData());
      threads.merge(config.concurrentDashboard(), seen, (a, b) -> a);
      boolean other = seen.stream().anyMatch(t -> !t.equals(Thread.currentThread().getName()));
      assertThat(other).as("a statement on another thread with %s", tsk).isEqualTo(config.concurrentDashboard());
    }
    assertThat(QueryConfig.defaults().concurrentDashboard()).isTrue();
    assertThat(threads).containsOnlyKeys(true, false);
  }

  @Test
  void dashboardData_eitherHalfFails_theCallerGetsItsFailure() {
    // One statement of each half: the metric figures' (on the other thread) and the rates' (on the caller's).
    for (String failingSql : List.of(MetricSql.SYSTEM_REPORTERS, ServiceSql.RATE_AND_ERROR_ROLLUP)) {
      StoreException failure = StoreException.retryable("engine busy");
      TelemetryStore failing =
          new ForwardingStore(store) {
            @Override
            public QueryResult query(String sql, Map<String, ?> params) throws StoreException {
              if (sql.equals(failingSql)) {
                throw failure;
              }
              return super.query(sql, params);
            }
          };
      assertThatThrownBy(
              () -> builder(failing, AT, true, 400).concurrentDashboard(true).build().dashboardData())
          .isSameAs(failure);
    }
  }

  @Test
  void getMetrics_rollupEqualsRaw_everyFoldAndWindow() throws Exception {
    QueryFunctions rollup = functions(AT, true, 400);
    QueryFunctions raw = functions(AT, false, 400);
    for (String metric : List.of("cpu_usage", "queue_length")) {
      for (String range : List.of("1h", "5m", "1m", "30s", "all")) {
        for (String agg : List.of("avg", "sum", "min", "max", "count")) {
          List<Double> expected = raw.getMetrics(metric, range, agg, Map.of());
          assertThat(expected).as("%s %s %s has data", metric, range, agg).hasSize(1);
          assertThat(rollup.getMetrics(metric, range, agg, Map.of()))
              .as("%s %s %s", metric, range, agg)
              .isEqualTo(expected);
        }
      }
    }
    // The points exactly at the hour's two ends are in it: max 1000 and min -1000.
    assertThat(rollup.getMetrics("cpu_usage", "1h", "max", Map.of())).containsExactly(1000.0);
    assertThat(rollup.getMetrics("cpu_usage", "1h", "min", Map.of())).containsExactly(-1000.0);
  }

  @Test
  void getMetrics_gaugeWithPoints_answeredWithoutTheKindLookup() throws Exception {
    List<String> statements = Collections.synchronizedList(new ArrayList<>());
    TelemetryStore counting =
        new ForwardingStore(store) {
          @Override
          public QueryResult query(String sql, Map<String, ?> params) throws StoreException {
            statements.add(sql);
            return super.query(sql, params);
          }
        };
    QueryFunctions gaugeFirst = builder(counting, AT, true, 400).build();
    assertThat(gaugeFirst.getMetrics("cpu_usage", "5m", "avg", Map.of()))
        .isEqualTo(functions(AT, false, 400).getMetrics("cpu_usage", "5m", "avg", Map.of()))
        .hasSize(1);
    assertThat(statements).containsExactly(MetricSql.GAUGE_ROLLUP);
    // Without a point there the kind lookup decides, as before: no data stays an empty list.
    statements.clear();
    assertThat(gaugeFirst.getMetrics("no_such_metric", "1h", "avg", Map.of())).isEmpty();
    assertThat(functions(AT.plus(Duration.ofHours(3)), true, 400).getMetrics("cpu_usage", "1h", "max", Map.of()))
        .isEmpty();
    assertThat(statements).containsExactly(MetricSql.GAUGE_ROLLUP, MetricSql.KIND);
  }

  @Test
  void getMetrics_emptyWindow_noDataNotZero() throws Exception {
    Instant later = AT.plus(Duration.ofHours(3));
    for (String agg : List.of("avg", "sum", "min", "max", "count")) {
      assertThat(functions(later, true, 400).getMetrics("cpu_usage", "1h", agg, Map.of())).as(agg).isEmpty();
      assertThat(functions(later, false, 400).getMetrics("cpu_usage", "1h", agg, Map.of())).as(agg).isEmpty();
    }
  }

  @Test
  void dashboardData_rollupEqualsRaw_ratesErrorsAndResponseTime() throws Exception {
    for (int threshold : List.of(400, 500, 501)) {
      for (Instant at : List.of(AT, NOW, AT.minusSeconds(125))) {
        DashboardData.ApplicationMetrics expected = functions(at, false, threshold).dashboardData().application();
        DashboardData.ApplicationMetrics actual = functions(at, true, threshold).dashboardData().application();
        assertThat(expected.requestRate()).isNotNull();
        assertThat(expected.errorRate()).isNotNull();
        assertThat(expected.responseTime()).isNotNull();
        assertThat(actual).as("threshold %d at %s", threshold, at).isEqualTo(expected);
        for (Duration window : List.of(Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofSeconds(40))) {
          assertThat(functions(at, true, threshold).errorRate(window))
              .as("errorRate(%s) threshold %d at %s", window, threshold, at)
              .isEqualTo(functions(at, false, threshold).errorRate(window))
              .isNotNull();
        }
      }
    }
    DashboardData.SystemMetrics system = functions(AT, true, 400).dashboardData().system();
    assertThat(system.cpuUsage()).isEqualTo(functions(AT, false, 400).dashboardData().system().cpuUsage());
  }

  @Test
  void dashboardData_errorRate_countsStatusErrorAndBothStatusAttributes() throws Exception {
    // Per 7 spans: 500, 404, 503 (old attribute), Error, a client span, 200, 200. Of the 6 server spans, 4
    // fail at threshold 400, 3 at 500 (500, 503, Error) and 2 at 501 (503, Error).
    Double at400 = functions(AT, true, 400).dashboardData().application().errorRate();
    Double at500 = functions(AT, true, 500).dashboardData().application().errorRate();
    Double at501 = functions(AT, true, 501).dashboardData().application().errorRate();
    assertThat(at400).isGreaterThan(at500);
    assertThat(at500).isGreaterThan(at501);
    assertThat(at501).isPositive();
  }

  @Test
  void dashboardData_emptyWindow_nullNotZero() throws Exception {
    DashboardData.ApplicationMetrics app =
        functions(AT.plus(Duration.ofHours(3)), true, 400).dashboardData().application();
    assertThat(app.requestRate()).isNull();
    assertThat(app.errorRate()).isNull();
    assertThat(app.responseTime()).isNull();
    assertThat(app.responseTimeSource()).isNull();
  }

  @Test
  void gaugeRollup_readsTheProjection() throws Exception {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("db", store.config().database());
    p.put("name", "cpu_usage");
    p.put("from_ns", QueryFixture.nanos(AT.minus(Duration.ofHours(1))));
    p.put("to_ns", QueryFixture.nanos(AT));
    WholeMinutes.put(p, AT.minus(Duration.ofHours(1)), AT);
    String plan =
        store.query("EXPLAIN indexes = 1 " + MetricSql.GAUGE_ROLLUP, p).rows().stream()
            .map(r -> String.valueOf(r.get(0)))
            .collect(Collectors.joining("\n"));
    assertThat(plan).contains("ReadFromMergeTree (minute_values)");
  }

  @Test
  void wholeMinutes_splitsAWindowAtItsMinutes() {
    long m = 60_000_000_000L;
    Map<String, Object> p = new LinkedHashMap<>();
    WholeMinutes.put(p, 10 * m + 5, 70 * m + 7);
    assertThat(p).containsEntry("whole_from_ns", 11 * m).containsEntry("whole_to_ns", 70 * m);
    WholeMinutes.put(p, 10 * m, 70 * m);
    assertThat(p).containsEntry("whole_from_ns", 10 * m).containsEntry("whole_to_ns", 70 * m);
    // No whole minute: the middle is empty and the window is read raw.
    WholeMinutes.put(p, 10 * m + 5, 10 * m + 9);
    assertThat(p).containsEntry("whole_from_ns", 10 * m + 5).containsEntry("whole_to_ns", 10 * m + 5);
  }
}
