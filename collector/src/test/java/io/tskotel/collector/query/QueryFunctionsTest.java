package io.tskotel.collector.query;

import static io.tskotel.collector.query.QueryFixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tskotel.exporter.AlertRecord;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.QueryResult;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every query function against the fixture's exactly known values (derivations in {@link QueryFixture}). */
class QueryFunctionsTest {
  private static final double EPS = 1e-9;
  private static ClickHouseStore store;
  private static QueryFunctions f;

  @BeforeAll
  static void setUp() throws Exception {
    store = QueryFixture.newStore(QueryFunctionsTest.class);
    QueryFixture.writeAll(store);
    f = QueryFunctions.builder(store).clock(QueryFixture.CLOCK).config(QueryFixture.config(store)).build();
  }

  @AfterAll
  static void tearDown() {
    QueryFixture.dispose(store);
  }

  private static List<Double> get(String name, String range, String agg) throws Exception {
    return f.getMetrics(name, range, agg, Map.of());
  }

  /** What the engine's own quantileExact says for these values: the reference for gauge percentiles. */
  private static double quantileExact(double level, double... values) throws Exception {
    StringBuilder list = new StringBuilder();
    for (double v : values) {
      list.append(list.isEmpty() ? "" : ",").append(v);
    }
    QueryResult r =
        store.query(
            "SELECT quantileExact({q:Float64})(x) FROM (SELECT arrayJoin({xs:Array(Float64)}) AS x)",
            Map.of("q", level, "xs", java.util.Arrays.stream(values).boxed().toList()));
    return ((Number) r.rows().get(0).get(0)).doubleValue();
  }

  @Test
  void getMetrics_gaugeAggregations() throws Exception {
    assertThat(get("cpu_usage", "1h", "avg").get(0)).isCloseTo(220.0 / 6, within(EPS));
    assertThat(get("cpu_usage", "1h", "min")).containsExactly(10.0);
    assertThat(get("cpu_usage", "1h", "max")).containsExactly(70.0);
    assertThat(get("cpu_usage", "1h", "sum")).containsExactly(220.0);
    assertThat(get("cpu_usage", "1h", "count")).containsExactly(6.0);
    assertThat(get("cpu_usage", "all", "count")).containsExactly(7.0);
    assertThat(get("cpu_usage", "24h", "max")).containsExactly(90.0);
    assertThat(get("cpu_usage", "90s", "avg")).isEmpty();
    assertThat(get("cpu_usage", "6m", "avg")).containsExactly(70.0);
    assertThat(get("memory_usage", "1h", "avg")).containsExactly(60.0);
  }

  @Test
  void getMetrics_rawIsNewestFirst() throws Exception {
    assertThat(get("cpu_usage", "1h", "raw")).containsExactly(70.0, 50.0, 40.0, 30.0, 20.0, 10.0);
    assertThat(get("cpu_usage", "all", "raw")).containsExactly(70.0, 50.0, 40.0, 30.0, 20.0, 10.0, 90.0);
  }

  @Test
  void getMetrics_gaugePercentilesEqualQuantileExact() throws Exception {
    double[] hour = {10, 20, 30, 40, 50, 70};
    assertThat(get("cpu_usage", "1h", "p50")).containsExactly(quantileExact(0.5, hour));
    assertThat(get("cpu_usage", "1h", "p90")).containsExactly(quantileExact(0.9, hour));
    assertThat(get("cpu_usage", "1h", "p95")).containsExactly(quantileExact(0.95, hour));
    assertThat(get("cpu_usage", "1h", "p99")).containsExactly(quantileExact(0.99, hour));
    // quantileExact takes the element at floor(level * n) of the sorted values.
    assertThat(get("cpu_usage", "1h", "p50")).containsExactly(40.0);
  }

  @Test
  void getMetrics_labelFilters() throws Exception {
    assertThat(f.getMetrics("cpu_usage", "1h", "avg", Map.of("host", "a"))).containsExactly(30.0);
    assertThat(f.getMetrics("cpu_usage", "1h", "count", Map.of("host", "b"))).containsExactly(1.0);
    assertThat(f.getMetrics("cpu_usage", "1h", "avg", Map.of("host", "c"))).isEmpty();
    // A resource attribute matches too.
    assertThat(f.getMetrics("cpu_usage", "1h", "count", Map.of("service.name", "shop"))).containsExactly(6.0);
    assertThat(f.getMetrics("requests_total", "5m", "sum", Map.of("route", "/a"))).containsExactly(160.0);
    assertThat(f.getMetrics("requests_total", "5m", "sum", Map.of("route", "/b"))).containsExactly(30.0);
  }

  @Test
  void getMetrics_counterSumIsIncreaseAcrossResetsAndDeltas() throws Exception {
    assertThat(get("requests_total", "5m", "sum")).containsExactly(190.0);
    assertThat(get("requests_total", "1m", "sum")).containsExactly(80.0);
    assertThat(get("requests_total", "all", "sum")).containsExactly(290.0);
    assertThat(get("errors_total", "5m", "sum")).containsExactly(9.0);
  }

  @Test
  void getMetrics_counterAvgIsPerSecondRate() throws Exception {
    assertThat(get("requests_total", "5m", "avg").get(0)).isCloseTo(190.0 / 300, within(EPS));
    assertThat(get("requests_total", "1m", "avg").get(0)).isCloseTo(80.0 / 60, within(EPS));
    // all: since the earliest start among the points (10 minutes ago).
    assertThat(get("requests_total", "all", "avg").get(0)).isCloseTo(290.0 / 600, within(EPS));
  }

  @Test
  void getMetrics_counterOtherAggregationsUseStoredValues() throws Exception {
    assertThat(get("errors_total", "5m", "max")).containsExactly(14.0);
    assertThat(get("errors_total", "5m", "count")).containsExactly(2.0);
    assertThat(get("errors_total", "1h", "raw")).containsExactly(14.0, 8.0, 5.0);
  }

  @Test
  void getMetrics_upDownCounterIsLikeAGauge() throws Exception {
    assertThat(get("queue_depth", "1h", "sum")).containsExactly(8.0);
    assertThat(get("queue_depth", "1h", "avg")).containsExactly(4.0);
  }

  @Test
  void getMetrics_deltaHistogram() throws Exception {
    assertThat(get("response_time_seconds", "1h", "avg")).containsExactly(1.25);
    assertThat(get("response_time_seconds", "1h", "count")).containsExactly(20.0);
    assertThat(get("response_time_seconds", "1h", "sum")).containsExactly(25.0);
    assertThat(get("response_time_seconds", "1h", "min")).containsExactly(0.05);
    assertThat(get("response_time_seconds", "1h", "max")).containsExactly(8.0);
    assertThat(get("response_time_seconds", "1h", "p90").get(0)).isCloseTo(1 + 4 * 2.0 / 3, within(EPS));
    assertThat(get("response_time_seconds", "1h", "p95").get(0)).isCloseTo(5.0, within(EPS));
    assertThat(get("response_time_seconds", "1h", "p99").get(0)).isCloseTo(5 + 3 * 0.8, within(EPS));
    // p50: rank 10 ends bucket (0.1, 0.5] exactly.
    assertThat(get("response_time_seconds", "1h", "p50").get(0)).isCloseTo(0.5, within(EPS));
    // 15m: only the second point: [0,5,2,2,1], min 0.2 max 8; p50 rank 5 → 0.2 + 0.3·5/5.
    assertThat(get("response_time_seconds", "15m", "avg")).containsExactly(1.8);
    assertThat(get("response_time_seconds", "15m", "p50").get(0)).isCloseTo(0.5, within(EPS));
    // p90 rank 9: cumulative 0, 5, 7, 9 ends in (1, 5] with both of its observations: its upper bound.
    assertThat(get("response_time_seconds", "15m", "p90").get(0)).isCloseTo(1 + 4 * 2.0 / 2, within(EPS));
    assertThat(get("response_time_seconds", "1h", "raw")).containsExactly(1.8, 0.7);
  }

  @Test
  void getMetrics_cumulativeHistogramUsesIncreases() throws Exception {
    assertThat(get("db_latency", "1h", "count")).containsExactly(7.0);
    assertThat(get("db_latency", "1h", "sum")).containsExactly(49.0);
    assertThat(get("db_latency", "1h", "avg")).containsExactly(7.0);
    // [3,3,1] over bounds [1,10], min 0.5 max 20: p99 rank 6.93 falls in (10, 20].
    assertThat(get("db_latency", "1h", "p99").get(0)).isCloseTo(10 + 10 * 0.93, within(EPS));
    // p50 rank 3.5 falls in (1, 10]: 1 + 9·0.5/3.
    assertThat(get("db_latency", "1h", "p50").get(0)).isCloseTo(1 + 9 * 0.5 / 3, within(EPS));
    // all: the first point counts whole (its series started at its start time): [4,4,1] count 9 sum 55.
    assertThat(get("db_latency", "all", "count")).containsExactly(9.0);
    assertThat(get("db_latency", "all", "sum")).containsExactly(55.0);
  }

  @Test
  void getMetrics_aliasResolvesTskInstrumentKeys() throws Exception {
    assertThat(get("response_time", "1h", "avg")).containsExactly(1.25);
    assertThat(get("user_registrations", "24h", "sum")).containsExactly(12.0);
  }

  @Test
  void getMetrics_unknownMetricIsEmpty() throws Exception {
    for (String agg : List.of("avg", "max", "min", "sum", "count", "raw", "p50", "p99")) {
      assertThat(get("no_such_metric", "1h", agg)).as(agg).isEmpty();
    }
  }

  @Test
  void getMetrics_badRangeOrAggregationListsAllowedValues() {
    assertThatThrownBy(() -> get("cpu_usage", "1 hour", "avg"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("range: \"1 hour\"")
        .hasMessageContaining("1m, 5m, 1h, 24h, 7d")
        .hasMessageContaining("all");
    assertThatThrownBy(() -> get("cpu_usage", "1h", "median"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("aggregation: \"median\"")
        .hasMessageContaining("avg, max, min, sum, count, raw, p50, p90, p95, p99");
    assertThatThrownBy(() -> get("cpu_usage", "0m", "avg")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> get("", "1h", "avg")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void errorRate_fromServerSpans() throws Exception {
    assertThat(f.errorRate(Duration.ofMinutes(5))).isCloseTo(37.5, within(EPS));
    QueryFunctions strict =
        QueryFunctions.builder(store)
            .clock(QueryFixture.CLOCK)
            .config(QueryConfig.builder().database(store.config().database()).errorStatusThreshold(500).build())
            .build();
    assertThat(strict.errorRate(Duration.ofMinutes(5))).isCloseTo(25.0, within(EPS));
    // 1h also holds the 10-minute-old OK span: 3 of 9.
    assertThat(f.errorRate(Duration.ofHours(1))).isCloseTo(100.0 / 3, within(EPS));
  }

  @Test
  void requestRate_fromServerSpans() throws Exception {
    assertThat(f.requestRate(Duration.ofMinutes(1))).isCloseTo(8.0 / 60, within(EPS));
    assertThat(f.requestRate(Duration.ofMinutes(5))).isCloseTo(8.0 / 300, within(EPS));
    assertThat(f.requestRate(Duration.ofHours(1))).isCloseTo(9.0 / 3600, within(EPS));
  }

  @Test
  void latency_perServiceAndRouteExact() throws Exception {
    List<LatencyStats> l = f.latency(Duration.ofMinutes(5));
    assertThat(l)
        .containsExactly(
            new LatencyStats("auth", "login", 1, 0, 7, 7, 7, 7, 7, 7),
            new LatencyStats("shop", "/a", 5, 1, 40, 30, 100, 100, 100, 100),
            new LatencyStats("shop", "/b", 2, 2, 10, 15, 15, 15, 15, 15));
  }

  @Test
  void revenueToday_sinceMidnightInConfiguredZone() throws Exception {
    assertThat(f.revenueToday()).isEqualTo(150.0);
    QueryFunctions utc =
        QueryFunctions.builder(store)
            .clock(QueryFixture.CLOCK)
            .config(QueryConfig.builder().database(store.config().database()).zone(ZoneOffset.UTC).build())
            .build();
    assertThat(utc.revenueToday()).isEqualTo(130.0);
  }

  @Test
  void paymentSuccessRate_fromCounterOutcomes() throws Exception {
    assertThat(f.paymentSuccessRate(Duration.ofHours(24))).isCloseTo(80.0, within(EPS));
    // 2h: only the points of 1h ago are in the window; their baselines (20h ago) lie beyond the default 1h
    // lookback, so their growth is unknown and nothing counts: 0 of 0 payments, and no gauge to fall back
    // to, is no data (null), not a 0 % success rate.
    assertThat(f.paymentSuccessRate(Duration.ofHours(2))).isNull();
    // With a lookback that reaches them: 40 of 52.
    QueryFunctions longLookback =
        QueryFunctions.builder(store)
            .clock(QueryFixture.CLOCK)
            .config(
                QueryConfig.builder()
                    .database(store.config().database())
                    .counterLookback(Duration.ofHours(20))
                    .build())
            .build();
    assertThat(longLookback.paymentSuccessRate(Duration.ofHours(2))).isCloseTo(100.0 * 40 / 52, within(EPS));
  }

  @Test
  void recentAlerts_newestFirstWithinWindow() throws Exception {
    List<AlertRecord> alerts = f.recentAlerts(Duration.ofHours(1), 10);
    assertThat(alerts).extracting(AlertRecord::type).containsExactly("high_cpu", "high_error_rate");
    assertThat(alerts.get(0).timestamp()).isEqualTo(NOW.minus(Duration.ofMinutes(10)));
    assertThat(alerts.get(0).labels()).isEqualTo(Map.of("host", "a"));
    assertThat(alerts.get(0).value()).isEqualTo(91.0);
    assertThat(alerts.get(0).threshold()).isEqualTo(80.0);
    assertThat(f.recentAlerts(Duration.ofHours(1), 1)).extracting(AlertRecord::type).containsExactly("high_cpu");
    assertThat(f.recentAlerts(Duration.ofHours(3), 10)).hasSize(3);
    assertThatThrownBy(() -> f.recentAlerts(Duration.ofHours(1), 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dashboardData_matchesEveryFunction() throws Exception {
    DashboardData d = f.dashboardData();
    assertThat(d.system().cpuUsage()).isCloseTo(220.0 / 6, within(EPS));
    assertThat(d.system().memoryUsage()).isEqualTo(60.0);
    assertThat(d.system().diskUsage()).isNull();
    assertThat(d.application().requestRate()).isCloseTo(8.0 / 60, within(EPS));
    assertThat(d.application().errorRate()).isCloseTo(37.5, within(EPS));
    // response_time_seconds declares no unit: seconds, as the seed records it; the dashboard's unit is ms.
    assertThat(d.application().responseTime()).isCloseTo(1250.0, within(EPS));
    assertThat(d.application().responseTimeSource()).isEqualTo("metric:response_time_seconds");
    assertThat(d.application().requestRateSource()).isEqualTo("spans");
    assertThat(d.application().errorRateSource()).isEqualTo("spans");
    assertThat(d.system().reporters())
        .containsExactly(
            new DashboardData.Reporter("cpu_usage", "shop", ""),
            new DashboardData.Reporter("memory_usage", "shop", ""));
    assertThat(d.application().activeUsers()).isEqualTo(150.0);
    assertThat(d.business().revenueToday()).isEqualTo(150.0);
    assertThat(d.business().userRegistrations()).isEqualTo(12.0);
    assertThat(d.business().paymentSuccessRate()).isCloseTo(80.0, within(EPS));
    assertThat(d.alerts()).extracting(AlertRecord::type).containsExactly("high_cpu", "high_error_rate");
    assertThat(d.generatedAt()).isEqualTo(NOW.getEpochSecond());
  }

  @Test
  void exportMetrics_seedRendererPrintsLinesWithData() throws Exception {
    // 1m: requests_total increase 80, errors_total 6; no cpu/memory point in the last minute.
    assertThat(f.exportMetrics()).isEqualTo("requests_total 80.0\nerrors_total 6.0\n");
  }

  @Test
  void functions_clockDecidesTheWindow() throws Exception {
    QueryFunctions later =
        QueryFunctions.builder(store)
            .clock(Clock.fixed(NOW.plus(Duration.ofHours(2)), ZoneId.of("UTC")))
            .config(QueryFixture.config(store))
            .build();
    assertThat(later.getMetrics("cpu_usage", "1h", "avg", Map.of())).isEmpty();
    assertThat(later.errorRate(Duration.ofMinutes(5))).isNull();
    assertThat(later.requestRate(Duration.ofMinutes(1))).isNull();
  }
}
