package io.tskotel.collector.query;

import static io.tskotel.collector.query.QueryFixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tskotel.exporter.ClickHouseStore;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard counts its request rate (1 minute) and error rate (5 minutes) in one pass over the spans of
 * the 5 minutes; the answers must be those of {@link QueryFunctions#requestRate} and {@link
 * QueryFunctions#errorRate} at every position of the clock. Spans only (no counters to fall back to): the
 * fixture's 8 server spans lie 10 to 50 s before {@link QueryFixture#NOW}, 3 of them failed, and one more,
 * an OK one, 10 minutes before.
 */
class DashboardRatesTest {
  private static final double EPS = 1e-9;
  private static ClickHouseStore store;

  @BeforeAll
  static void setUp() throws Exception {
    store = QueryFixture.newStore(DashboardRatesTest.class);
    QueryFixture.writeSpans(store);
  }

  @AfterAll
  static void tearDown() {
    QueryFixture.dispose(store);
  }

  private static QueryFunctions at(Duration afterNow) {
    return QueryFunctions.builder(store)
        .clock(Clock.fixed(NOW.plus(afterNow), ZoneOffset.UTC))
        .config(QueryFixture.config(store))
        .build();
  }

  @Test
  void dashboardData_bothWindowsHoldSpans() throws Exception {
    QueryFunctions f = at(Duration.ZERO);
    DashboardData.ApplicationMetrics a = f.dashboardData().application();
    assertThat(a.requestRate()).isCloseTo(8.0 / 60, within(EPS)).isEqualTo(f.requestRate(Duration.ofMinutes(1)));
    assertThat(a.errorRate()).isCloseTo(37.5, within(EPS)).isEqualTo(f.errorRate(Duration.ofMinutes(5)));
    assertThat(a.requestRateSource()).isEqualTo(DashboardData.SPANS);
    assertThat(a.errorRateSource()).isEqualTo(DashboardData.SPANS);
  }

  @Test
  void dashboardData_quietMinuteInsideTheErrorWindow() throws Exception {
    // Two minutes later the last minute is empty, the 5 minutes still hold all 8 spans.
    QueryFunctions f = at(Duration.ofMinutes(2));
    DashboardData.ApplicationMetrics a = f.dashboardData().application();
    assertThat(a.requestRate()).isEqualTo(0.0).isEqualTo(f.requestRate(Duration.ofMinutes(1)));
    assertThat(a.errorRate()).isCloseTo(37.5, within(EPS)).isEqualTo(f.errorRate(Duration.ofMinutes(5)));
    assertThat(a.requestRateSource()).isEqualTo(DashboardData.SPANS);
  }

  @Test
  void dashboardData_bothWindowsEmpty() throws Exception {
    // Six minutes later: no span in either window, spans within the hour make the minute a quiet one.
    QueryFunctions f = at(Duration.ofMinutes(6));
    DashboardData.ApplicationMetrics a = f.dashboardData().application();
    assertThat(a.requestRate()).isEqualTo(0.0).isEqualTo(f.requestRate(Duration.ofMinutes(1)));
    assertThat(a.errorRate()).isNull();
    assertThat(f.errorRate(Duration.ofMinutes(5))).isNull();
    assertThat(a.errorRateSource()).isNull();
  }

  @Test
  void dashboardData_thresholdAppliesToTheFoldedCount() throws Exception {
    // With 500 as the threshold the 404 no longer fails: 2 of 8.
    QueryFunctions strict =
        QueryFunctions.builder(store)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .config(QueryConfig.builder().database(store.config().database()).errorStatusThreshold(500).build())
            .build();
    assertThat(strict.dashboardData().application().errorRate()).isCloseTo(25.0, within(EPS));
  }
}
