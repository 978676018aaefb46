package io.tskotel.collector.web.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.testing.TestStores;
import io.tskotel.exporter.testing.VizTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard's charts over telemetry written through the store: every value is the fixture's. */
class ChartSeriesTest {
  // Now, not a fixed date: the store's tables have a TTL, and rows older than it are dropped on insert.
  static final Instant NOW = lastHourInOneWeekStep(Instant.now().truncatedTo(ChronoUnit.MINUTES));
  static ClickHouseStore store;
  static Charts hour;

  @BeforeAll
  static void writeFixture() throws Exception {
    store = TestStores.newStore(ChartSeriesTest.class);
    new VizTelemetry(NOW).writeTo(store);
    hour = charts().query(Duration.ofHours(1));
  }

  /**
   * {@code now}, or the minute before its 2-hour week-range step began when the last hour would straddle two
   * steps (the first hour of every even UTC hour): query_weekRange_coarserSteps needs the whole last hour in
   * the running step, on any time of day.
   */
  static Instant lastHourInOneWeekStep(Instant now) {
    long stepStart = now.getEpochSecond() - Math.floorMod(now.getEpochSecond(), 7200);
    return now.getEpochSecond() - stepStart >= 3660 ? now : Instant.ofEpochSecond(stepStart - 60);
  }

  static ChartSeries charts() {
    return ChartSeries.builder(store, store.config().database())
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .build();
  }

  /** 61 steps of a minute: index 60 is the step starting now, 59 the one a minute ago. */
  static List<@Nullable Double> at(Map<Integer, Double> values, @Nullable Double otherwise) {
    List<@Nullable Double> out = new ArrayList<>(Arrays.asList(new Double[61]));
    for (int i = 0; i < 61; i++) {
      out.set(i, values.getOrDefault(i, otherwise));
    }
    return out;
  }

  @Test
  void query_hour_minuteStepsEndingNow() {
    long now = NOW.getEpochSecond();
    assertThat(hour.stepSeconds()).isEqualTo(60);
    assertThat(hour.fromEpochSecond()).isEqualTo(now - 3600);
    assertThat(hour.toEpochSecond()).isEqualTo(now);
    assertThat(hour.timestamps()).hasSize(61).startsWith(now - 3600).endsWith(now);
  }

  @Test
  void query_gauges_averagePerStep() {
    // api's cpu_usage 40, 50, 60, 42.5 four to one minutes ago; web's 33 one minute ago.
    assertThat(hour.series().get("cpu"))
        .isEqualTo(at(Map.of(56, 40.0, 57, 50.0, 58, 60.0, 59, (42.5 + 33) / 2), null));
    assertThat(hour.series().get("memory")).isEqualTo(at(Map.of(58, 55.0, 59, 61.25), null));
    assertThat(hour.series().get("disk")).isEqualTo(at(Map.of(58, 70.0, 59, 70.0), null));
    assertThat(hour.series().get("active_users")).isEqualTo(at(Map.of(58, 1200.0, 59, 1500.0), null));
    assertThat(hour.series().get("payment_success_rate"))
        .isEqualTo(at(Map.of(58, 97.5, 59, 98.5), null));
  }

  @Test
  void query_counters_increasePerStepWithReset() {
    // payment_volume_total, started an hour ago: 1000 → 1250.5 → 300 (reset) → 1800.
    assertThat(hour.series().get("revenue"))
        .isEqualTo(at(Map.of(56, 1000.0, 57, 250.5, 58, 300.0, 59, 1500.0), 0.0));
    assertThat(hour.series().get("revenue").stream().mapToDouble(Double::doubleValue).sum())
        .isEqualTo(VizTelemetry.REVENUE_INCREASE);
    // user_registrations_total, started an hour ago: 10 → 12 → 17.
    assertThat(hour.series().get("registrations"))
        .isEqualTo(at(Map.of(57, 10.0, 58, 2.0, 59, 5.0), 0.0));
  }

  @Test
  void query_serverSpans_rateErrorsLatency() {
    // One server span a minute from eight minutes ago: 10, 20, 30, 40 (HTTP 404), 50, 1000 ms (Error).
    double perSecond = 1.0 / 60;
    assertThat(hour.series().get("request_rate"))
        .isEqualTo(
            at(Map.of(52, perSecond, 53, perSecond, 54, perSecond, 55, perSecond, 56, perSecond,
                57, perSecond), 0.0));
    assertThat(hour.series().get("error_rate"))
        .isEqualTo(at(Map.of(52, 0.0, 53, 0.0, 54, 0.0, 55, 100.0, 56, 0.0, 57, 100.0), null));
    Map<Integer, Double> ms = Map.of(52, 10.0, 53, 20.0, 54, 30.0, 55, 40.0, 56, 50.0, 57, 1000.0);
    assertThat(hour.series().get("response_time_avg_ms")).isEqualTo(at(ms, null));
    assertThat(hour.series().get("response_time_p95_ms")).isEqualTo(at(ms, null));
  }

  @Test
  void query_counterStartedBeforeLookback_firstPointCountsZero() throws Exception {
    // Ten minutes on, the last quarter hour (looking back five more minutes) holds every revenue point but
    // not the counter's start, an hour before the fixture: the first point is a baseline, not an increase.
    Charts later =
        ChartSeries.builder(store, store.config().database())
            .clock(Clock.fixed(NOW.plus(Duration.ofMinutes(10)), ZoneOffset.UTC))
            .build()
            .query(Duration.ofMinutes(15));
    assertThat(later.series().get("revenue").stream().mapToDouble(Double::doubleValue).sum())
        .isEqualTo(250.5 + 300 + 1500);
  }

  @Test
  void query_errorStatusThreshold_configurable() throws Exception {
    Charts only5xx =
        ChartSeries.builder(store, store.config().database())
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .errorStatus(500)
            .build()
            .query(Duration.ofHours(1));
    assertThat(only5xx.series().get("error_rate").get(55)).isEqualTo(0.0);
    assertThat(only5xx.series().get("error_rate").get(57)).isEqualTo(100.0);
  }

  @Test
  void query_weekRange_coarserSteps() throws Exception {
    Charts week = charts().query(Duration.ofDays(7));
    assertThat(week.stepSeconds()).isEqualTo(7200);
    assertThat(week.timestamps()).hasSizeLessThanOrEqualTo(120);
    // Every cpu point of the last hour lands in the last (running) step.
    assertThat(week.series().get("cpu").get(week.timestamps().size() - 1))
        .isEqualTo((40 + 50 + 60 + 42.5 + 33) / 5);
  }

  @Test
  void query_metricNamesAreBoundNotSpliced() throws Exception {
    ChartMetrics hostile =
        new ChartMetrics(
            "cpu_usage') OR 1=1 --", "x", "x", "x", "x", "x", "x", "x') --", "x", "x");
    Charts c =
        ChartSeries.builder(store, store.config().database())
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .metrics(hostile)
            .build()
            .query(Duration.ofHours(1));
    assertThat(c.series().get("cpu")).containsOnlyNulls();
    assertThat(store.query("SELECT count() FROM {db:Identifier}.otel_metrics_gauge",
        Map.of("db", store.config().database())).rows().get(0).get(0)).isEqualTo(14L);
  }

  @Test
  void query_paymentsCounter_successSharePerStep() throws Exception {
    // A payments counter started 30 minutes ago: success 9 → 19, failure 1 → 1, three and one minute ago.
    Instant start = NOW.minus(Duration.ofMinutes(30));
    store.writeMetrics(
        List.of(
            ResourceMetrics.newBuilder()
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .addMetrics(
                            Metric.newBuilder()
                                .setName("chart_payments_total")
                                .setSum(
                                    Sum.newBuilder()
                                        .setIsMonotonic(true)
                                        .setAggregationTemporality(
                                            AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                                        .addDataPoints(payment(start, 3, 9, "true"))
                                        .addDataPoints(payment(start, 1, 19, "true"))
                                        .addDataPoints(payment(start, 3, 1, "false"))
                                        .addDataPoints(payment(start, 1, 1, "false")))))
                .build()));
    ChartMetrics m =
        new ChartMetrics(
            "cpu_usage", "memory_usage", "disk_usage", "daily_active_users", "payment_success_rate",
            "payment_volume_total", "user_registrations_total", "chart_payments_total", "outcome", "true");
    Charts c =
        ChartSeries.builder(store, store.config().database())
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .metrics(m)
            .build()
            .query(Duration.ofHours(1));
    // 9 of 10, then 10 of 10; no payment in between: no rate (not 0 %), and the gauge is not mixed in.
    assertThat(c.series().get("payment_success_rate")).isEqualTo(at(Map.of(57, 90.0, 59, 100.0), null));
    // The other counters read as before.
    assertThat(c.series().get("revenue")).isEqualTo(hour.series().get("revenue"));
  }

  private static NumberDataPoint payment(Instant start, int minutesAgo, double value, String outcome) {
    return NumberDataPoint.newBuilder()
        .setStartTimeUnixNano(start.getEpochSecond() * 1_000_000_000L)
        .setTimeUnixNano(NOW.minus(Duration.ofMinutes(minutesAgo)).getEpochSecond() * 1_000_000_000L)
        .setAsDouble(value)
        .addAttributes(
            KeyValue.newBuilder().setKey("outcome").setValue(AnyValue.newBuilder().setStringValue(outcome)))
        .build();
  }

  @Test
  void step_choosesSmallestUnderMaximum() {
    assertThat(ChartSeries.step(900, 120)).isEqualTo(10);
    assertThat(ChartSeries.step(3600, 120)).isEqualTo(60);
    assertThat(ChartSeries.step(86400, 120)).isEqualTo(900);
    assertThat(ChartSeries.step(31L * 86400, 120)).isEqualTo(43200);
  }

  @Test
  void query_nonPositiveRange_rejected() {
    assertThatThrownBy(() -> charts().query(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("range: PT0S (expected: > 0)");
  }
}
