package io.tskotel.collector.query;

import static io.tskotel.collector.query.QueryFixture.NOW;
import static io.tskotel.collector.query.QueryFixture.gauge;
import static io.tskotel.collector.query.QueryFixture.gp;
import static io.tskotel.collector.query.QueryFixture.kv;
import static io.tskotel.collector.query.QueryFixture.sp;
import static io.tskotel.collector.query.QueryFixture.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.tskotel.exporter.ClickHouseStore;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's values with little data, on the real engine: response time from server spans when no
 * metric reports it, the metric's unit converted to ms, null (not 0) where a ratio has nothing to divide
 * by, and who reported the system gauges.
 */
class DashboardDataTest {
  private static ClickHouseStore store;

  @BeforeAll
  static void setUp() throws Exception {
    store = QueryFixture.newStore(DashboardDataTest.class);
    // Server spans 50 s to 10 s ago and one 10 minutes ago (QueryFixture.spans); no response_time metric.
    QueryFixture.writeSpans(store);
    Metric latencyMs =
        gauge("latency_ms", gp(NOW.minusSeconds(600), 120), gp(NOW.minusSeconds(300), 80))
            .toBuilder()
            .setUnit("ms")
            .build();
    // A counter (started long before) that reported without growing, 30 minutes after the spans.
    Metric flat =
        sum(
            "flat_requests_total",
            true,
            AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
            sp(NOW.minusSeconds(10_800), NOW.plusSeconds(1560), 5),
            sp(NOW.minusSeconds(10_800), NOW.plusSeconds(1740), 5));
    store.writeMetrics(
        List.of(
            resourceMetrics("web", "web-1", gauge("cpu_usage", gp(NOW.minusSeconds(300), 42)), latencyMs, flat)));
  }

  @AfterAll
  static void tearDown() {
    QueryFixture.dispose(store);
  }

  @Test
  void responseTime_withoutMetric_fallsBackToServerSpans() throws Exception {
    DashboardData.ApplicationMetrics a = functions(QueryFixture.CLOCK, config()).dashboardData().application();
    // The last hour's server spans: 10, 20, 30, 40, 100, 5, 15, 7 and 1000 ms.
    assertThat(a.responseTime()).isCloseTo(1227.0 / 9, within(1e-9));
    assertThat(a.responseTimeSource()).isEqualTo(DashboardData.SPANS);
    assertThat(a.requestRate()).isCloseTo(8.0 / 60, within(1e-9));
    assertThat(a.errorRate()).isCloseTo(37.5, within(1e-9));
  }

  @Test
  void responseTime_metricInMilliseconds_keptInMilliseconds() throws Exception {
    QueryConfig config =
        QueryConfig.builder().database(store.config().database()).metricAlias("response_time", "latency_ms").build();
    DashboardData.ApplicationMetrics a = functions(QueryFixture.CLOCK, config).dashboardData().application();
    assertThat(a.responseTime()).isCloseTo(100.0, within(1e-9));
    assertThat(a.responseTimeSource()).isEqualTo("metric:latency_ms");
  }

  @Test
  void rates_counterWithoutGrowth_requestRateZeroErrorRateNull() throws Exception {
    QueryConfig config =
        QueryConfig.builder().database(store.config().database()).requestsMetric("flat_requests_total").build();
    QueryFunctions later = functions(Clock.fixed(NOW.plusSeconds(1800), ZoneOffset.UTC), config);
    // It reported, so 0 requests per second is a measurement; 0 errors of 0 requests is no rate at all.
    assertThat(later.requestRate(Duration.ofMinutes(5))).isEqualTo(0.0);
    assertThat(later.errorRate(Duration.ofMinutes(5))).isNull();
    DashboardData d = later.dashboardData();
    assertThat(d.application().errorRate()).isNull();
    assertThat(d.application().errorRateSource()).isNull();
    assertThat(d.business().paymentSuccessRate()).isNull();
    assertThat(d.business().revenueToday()).isNull();
  }

  @Test
  void requestRate_quietWindowAfterSpans_zeroThenNoData() throws Exception {
    // 20 minutes after the last span: a quiet minute of an app that is there.
    QueryFunctions quiet = functions(Clock.fixed(NOW.plusSeconds(1200), ZoneOffset.UTC), config());
    assertThat(quiet.requestRate(Duration.ofMinutes(1))).isEqualTo(0.0);
    assertThat(quiet.dashboardData().application().requestRateSource()).isEqualTo(DashboardData.SPANS);
    // Two hours later: no span within the hour either, so no data.
    QueryFunctions gone = functions(Clock.fixed(NOW.plusSeconds(7200), ZoneOffset.UTC), config());
    assertThat(gone.requestRate(Duration.ofMinutes(1))).isNull();
    assertThat(gone.dashboardData().application().requestRateSource()).isNull();
  }

  @Test
  void system_namesTheServiceAndHostThatReported() throws Exception {
    DashboardData.SystemMetrics s = functions(QueryFixture.CLOCK, config()).dashboardData().system();
    assertThat(s.cpuUsage()).isEqualTo(42.0);
    assertThat(s.memoryUsage()).isNull();
    assertThat(s.reporters()).containsExactly(new DashboardData.Reporter("cpu_usage", "web", "web-1"));
  }

  @Test
  void millisPer_convertsTheUnitsOtelDeclares() {
    assertThat(QueryFunctions.millisPer("s")).isEqualTo(1000);
    assertThat(QueryFunctions.millisPer("")).isEqualTo(1000);
    assertThat(QueryFunctions.millisPer(null)).isEqualTo(1000);
    assertThat(QueryFunctions.millisPer("ms")).isEqualTo(1);
    assertThat(QueryFunctions.millisPer("us")).isEqualTo(1e-3);
    assertThat(QueryFunctions.millisPer("ns")).isEqualTo(1e-6);
  }

  private static QueryConfig config() {
    return QueryConfig.builder().database(store.config().database()).build();
  }

  private static QueryFunctions functions(Clock clock, QueryConfig config) {
    return QueryFunctions.builder(store).clock(clock).config(config).build();
  }

  private static ResourceMetrics resourceMetrics(String service, String host, Metric... metrics) {
    return ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", service)).addAttributes(kv("host.name", host)))
        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics)))
        .build();
  }
}
