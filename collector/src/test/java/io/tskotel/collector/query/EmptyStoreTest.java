package io.tskotel.collector.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.exporter.ClickHouseStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A fresh store: every function answers, with no data (empty lists, zeros as the seed, nulls). */
class EmptyStoreTest {
  private static ClickHouseStore store;
  private static QueryFunctions f;

  @BeforeAll
  static void setUp() throws Exception {
    store = QueryFixture.newStore(EmptyStoreTest.class);
    f = QueryFunctions.builder(store).clock(QueryFixture.CLOCK).config(QueryFixture.config(store)).build();
  }

  @AfterAll
  static void tearDown() {
    QueryFixture.dispose(store);
  }

  @Test
  void everyFunction_answersWithoutData() throws Exception {
    for (Aggregation a : Aggregation.values()) {
      assertThat(f.metrics().getMetrics("cpu_usage", TimeRange.ALL, a, Map.of())).as(a.wireName()).isEmpty();
    }
    // No data is not zero: every value without data is null.
    assertThat(f.errorRate(Duration.ofMinutes(5))).isNull();
    assertThat(f.requestRate(Duration.ofMinutes(1))).isNull();
    assertThat(f.latency(Duration.ofMinutes(5))).isEmpty();
    assertThat(f.revenueToday()).isNull();
    assertThat(f.paymentSuccessRate(Duration.ofHours(24))).isNull();
    assertThat(f.recentAlerts(Duration.ofHours(1), 10)).isEmpty();
    assertThat(f.exportMetrics()).isEmpty();
    DashboardData d = f.dashboardData();
    assertThat(d.system()).isEqualTo(new DashboardData.SystemMetrics(null, null, null, List.of()));
    assertThat(d.application())
        .isEqualTo(new DashboardData.ApplicationMetrics(null, null, null, null, null, null, null));
    assertThat(d.business()).isEqualTo(new DashboardData.BusinessMetrics(null, null, null));
    assertThat(d.alerts()).isEmpty();
  }
}
