package io.tskotel.collector.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tskotel.exporter.ClickHouseStore;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With no spans, the rates come from the requests_total / errors_total counters. */
class RateFallbackTest {
  private static ClickHouseStore store;
  private static QueryFunctions f;

  @BeforeAll
  static void setUp() throws Exception {
    store = QueryFixture.newStore(RateFallbackTest.class);
    QueryFixture.writeCounters(store);
    f = QueryFunctions.builder(store).clock(QueryFixture.CLOCK).config(QueryFixture.config(store)).build();
  }

  @AfterAll
  static void tearDown() {
    QueryFixture.dispose(store);
  }

  @Test
  void errorRate_fallsBackToCounters() throws Exception {
    assertThat(f.errorRate(Duration.ofMinutes(5))).isCloseTo(100.0 * 9 / 190, within(1e-9));
  }

  @Test
  void dashboardData_namesTheCounterAsSource() throws Exception {
    DashboardData.ApplicationMetrics a = f.dashboardData().application();
    assertThat(a.requestRate()).isCloseTo(80.0 / 60, within(1e-9));
    assertThat(a.requestRateSource()).isEqualTo("metric:requests_total");
    assertThat(a.errorRateSource()).isEqualTo("metric:requests_total");
    // Neither a response-time metric nor a server span: no data, and no source.
    assertThat(a.responseTime()).isNull();
    assertThat(a.responseTimeSource()).isNull();
  }

  @Test
  void requestRate_fallsBackToCounters() throws Exception {
    assertThat(f.requestRate(Duration.ofMinutes(1))).isCloseTo(80.0 / 60, within(1e-9));
    assertThat(f.requestRate(Duration.ofMinutes(5))).isCloseTo(190.0 / 300, within(1e-9));
  }

  @Test
  void rates_nullWithoutAnyData() throws Exception {
    QueryFunctions empty =
        QueryFunctions.builder(store)
            .clock(QueryFixture.CLOCK)
            .config(
                QueryConfig.builder()
                    .database(store.config().database())
                    .requestsMetric("nothing_total")
                    .build())
            .build();
    assertThat(empty.errorRate(Duration.ofMinutes(5))).isNull();
    assertThat(empty.requestRate(Duration.ofMinutes(5))).isNull();
    assertThat(empty.paymentSuccessRate(Duration.ofHours(24))).isNull();
    assertThat(empty.revenueToday()).isNull();
  }
}
