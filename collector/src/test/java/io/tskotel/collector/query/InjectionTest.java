package io.tskotel.collector.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tskotel.exporter.ClickHouseStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile text through every parameter of every function: it is either refused as a bad argument or
 * matched as data (finding nothing), and every table holds exactly what it held before.
 */
class InjectionTest {
  /** Classic attempts, ClickHouse-specific ones, placeholder look-alikes and escapes. */
  static final List<String> HOSTILE =
      List.of(
          "cpu_usage' OR '1'='1",
          "cpu_usage'; DROP TABLE otel_metrics_gauge; --",
          "x') UNION ALL SELECT 1, 'GAUGE', 1 --",
          "{name:String}",
          "{db:Identifier}.otel_traces",
          "cpu_usage\\'",
          "cpu_usage\\",
          "cpu_usage\t\n\r\0",
          "`otel_metrics_gauge`",
          "\" OR 1=1 --",
          "/* */ cpu_usage",
          "cpu_usage; TRUNCATE TABLE otel_traces",
          "ünï©ødé ∑ 🚀",
          "a".repeat(10_000));

  private static ClickHouseStore store;
  private static QueryFunctions f;
  private static Map<String, Long> before;

  @BeforeAll
  static void setUp() throws Exception {
    store = QueryFixture.newStore(InjectionTest.class);
    QueryFixture.writeAll(store);
    f = QueryFunctions.builder(store).clock(QueryFixture.CLOCK).config(QueryFixture.config(store)).build();
    before = QueryFixture.rowCounts(store);
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      assertThat(QueryFixture.rowCounts(store)).isEqualTo(before);
    } finally {
      QueryFixture.dispose(store);
    }
  }

  @Test
  void getMetrics_hostileNameIsData() throws Exception {
    for (String name : HOSTILE) {
      for (String agg : List.of("avg", "sum", "raw", "p99", "count")) {
        assertThat(f.getMetrics(name, "all", agg, Map.of())).as(name + " " + agg).isEmpty();
      }
    }
    assertThat(QueryFixture.rowCounts(store)).isEqualTo(before);
  }

  @Test
  void getMetrics_hostileLabelsAreData() throws Exception {
    for (String s : HOSTILE) {
      assertThat(f.getMetrics("cpu_usage", "all", "avg", Map.of(s, "a"))).as("key " + s).isEmpty();
      assertThat(f.getMetrics("cpu_usage", "all", "avg", Map.of("host", s))).as("value " + s).isEmpty();
      assertThat(f.getMetrics("requests_total", "all", "sum", Map.of("route", s))).as("counter " + s).isEmpty();
      assertThat(f.getMetrics("db_latency", "all", "p50", Map.of("route", s))).as("histogram " + s).isEmpty();
    }
    // The real label still matches: the filter works, it is not just failing closed.
    assertThat(f.getMetrics("cpu_usage", "1h", "avg", Map.of("host", "a"))).containsExactly(30.0);
    assertThat(QueryFixture.rowCounts(store)).isEqualTo(before);
  }

  @Test
  void getMetrics_hostileRangeAndAggregationAreRefused() {
    for (String s : HOSTILE) {
      assertThatThrownBy(() -> f.getMetrics("cpu_usage", s, "avg", Map.of()))
          .as(s)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected");
      assertThatThrownBy(() -> f.getMetrics("cpu_usage", "1h", s, Map.of()))
          .as(s)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected one of");
    }
    assertThatThrownBy(() -> f.getMetrics("cpu_usage", "1h; DROP TABLE x", "avg", Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void getMetrics_tooManyLabelsRefused() {
    Map<String, String> many = new java.util.HashMap<>();
    for (int i = 0; i < 17; i++) {
      many.put("k" + i, "v");
    }
    assertThatThrownBy(() -> f.getMetrics("cpu_usage", "1h", "avg", many))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("<= 16");
  }

  @Test
  void configuredNamesAreData() throws Exception {
    for (String s : HOSTILE) {
      QueryFunctions hostile =
          QueryFunctions.builder(store)
              .clock(QueryFixture.CLOCK)
              .config(
                  QueryConfig.builder()
                      .database(store.config().database())
                      .requestsMetric(s)
                      .errorsMetric(s)
                      .revenueMetric(s)
                      .paymentsMetric(s)
                      .paymentOutcomeLabel(s)
                      .paymentSuccessValue(s)
                      .paymentSuccessRateGauge(s)
                      .build())
              .build();
      assertThat(hostile.revenueToday()).isNull();
      assertThat(hostile.paymentSuccessRate(Duration.ofHours(24))).isNull();
    }
    assertThat(QueryFixture.rowCounts(store)).isEqualTo(before);
  }

  @Test
  void databaseNameIsValidated() {
    assertThatThrownBy(() -> QueryConfig.builder().database("otel; DROP TABLE x").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("database");
  }
}
