package io.tskotel.collector.web.charts;

import static java.util.Objects.requireNonNull;

import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import io.tskotel.collector.query.internal.ServiceSql;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's charts: system, application and business metrics over a time range, bucketed into at
 * most {@link Builder#maxPoints(int)} steps. Application series come from server spans; an error is status
 * Error or an HTTP status code at or above the threshold (400, as the seed). Both predicates are the query
 * functions' ({@link ServiceSql}), so charts and {@code errorRate} count alike, in either spelling.
 * Thread-safe.
 */
public final class ChartSeries {
  /** Steps a range is cut into, in seconds: the smallest that keeps the point count under the maximum. */
  private static final long[] STEPS = {
    10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400
  };

  static final String GAUGES_SQL =
      "SELECT intDiv(toUnixTimestamp(TimeUnix), {step:UInt32}) * {step:UInt32} AS t,"
          + " MetricName AS metric, avg(Value) AS avg_value, max(Value) AS max_value"
          + " FROM {db:Identifier}.otel_metrics_gauge"
          + " WHERE MetricName IN ({cpu:String}, {memory:String}, {disk:String}, {users:String},"
          + " {success:String})"
          + " AND TimeUnix >= fromUnixTimestamp64Nano({from:Int64})"
          + " AND TimeUnix <= fromUnixTimestamp64Nano({to:Int64})"
          + " GROUP BY t, metric";

  // A counter's increase per point: a delta point as it is; a cumulative point minus the previous point
  // of its series, or itself after a reset (a drop). A series' first point counts whole when its start
  // time is within the lookback (the counter started there), else 0. Points from one step before the
  // range give the first in-range point its predecessor. ok: a payments point of a successful outcome (the
  // label on the point or its resource, as the query functions' label filters match).
  static final String COUNTERS_SQL =
      "SELECT intDiv(toUnixTimestamp(TimeUnix), {step:UInt32}) * {step:UInt32} AS t,"
          + " metric, sum(increase) AS increase, ok"
          + " FROM (SELECT TimeUnix, MetricName AS metric,"
          + " MetricName = {payments:String} AND (Attributes[{outcome:String}] = {success_value:String}"
          + " OR ResourceAttributes[{outcome:String}] = {success_value:String}) AS ok,"
          + " lagInFrame(toNullable(Value), 1) OVER w AS previous,"
          + " multiIf(AggregationTemporality = 1, Value,"
          + " previous IS NULL, if(StartTimeUnix >= fromUnixTimestamp64Nano({lookback:Int64}), Value, 0),"
          + " Value >= previous, Value - previous, Value) AS increase"
          + " FROM {db:Identifier}.otel_metrics_sum"
          + " WHERE MetricName IN ({revenue:String}, {registrations:String}, {payments:String})"
          + " AND TimeUnix >= fromUnixTimestamp64Nano({lookback:Int64})"
          + " AND TimeUnix <= fromUnixTimestamp64Nano({to:Int64})"
          + " WINDOW w AS (PARTITION BY MetricName, ServiceName, ResourceAttributes, Attributes"
          + " ORDER BY TimeUnix ROWS BETWEEN 1 PRECEDING AND CURRENT ROW))"
          + " WHERE TimeUnix >= fromUnixTimestamp64Nano({from:Int64})"
          + " GROUP BY t, metric, ok";

  static final String SPANS_SQL =
      "SELECT intDiv(toUnixTimestamp(Timestamp), {step:UInt32}) * {step:UInt32} AS t,"
          + " count() AS requests,"
          + " "
          + ServiceSql.ERROR_COUNT
          + " AS errors,"
          + " avg(Duration) / 1e6 AS avg_ms, quantileExact(0.95)(Duration) / 1e6 AS p95_ms"
          + " FROM {db:Identifier}.otel_traces"
          + " WHERE "
          + ServiceSql.SERVER_KIND
          + " AND Timestamp >= fromUnixTimestamp64Nano({from:Int64})"
          + " AND Timestamp <= fromUnixTimestamp64Nano({to:Int64})"
          + " GROUP BY t";

  private final TelemetryStore store;
  private final String database;
  private final ChartMetrics metrics;
  private final int errorStatus;
  private final int maxPoints;
  private final Clock clock;

  private ChartSeries(Builder b) {
    this.store = b.store;
    this.database = b.database;
    this.metrics = b.metrics;
    this.errorStatus = b.errorStatus;
    this.maxPoints = b.maxPoints;
    this.clock = b.clock;
  }

  public static Builder builder(TelemetryStore store, String database) {
    return new Builder(store, database);
  }

  /** The charts for the {@code range} up to now. */
  public Charts query(Duration range) throws StoreException {
    requireNonNull(range, "range");
    if (range.isNegative() || range.isZero()) {
      throw new IllegalArgumentException("range: " + range + " (expected: > 0)");
    }
    long now = clock.instant().getEpochSecond();
    long step = step(range.toSeconds(), maxPoints);
    long from = Math.floorDiv(now - range.toSeconds(), step) * step;
    int n = (int) ((now - from) / step) + 1;
    List<Long> timestamps = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      timestamps.add(from + i * step);
    }

    Map<String, String> params = new HashMap<>();
    params.put("db", database);
    params.put("step", Long.toString(step));
    params.put("from", Long.toString(from * 1_000_000_000L));
    params.put("to", Long.toString(now * 1_000_000_000L + 999_999_999L));
    params.put("lookback", Long.toString((from - Math.max(step, 300)) * 1_000_000_000L));
    params.put("cpu", metrics.cpu());
    params.put("memory", metrics.memory());
    params.put("disk", metrics.disk());
    params.put("users", metrics.activeUsers());
    params.put("success", metrics.paymentSuccess());
    params.put("revenue", metrics.revenue());
    params.put("registrations", metrics.registrations());
    params.put("payments", metrics.payments());
    params.put("outcome", metrics.paymentOutcomeLabel());
    params.put("success_value", metrics.paymentSuccessValue());
    params.put("threshold", Integer.toString(errorStatus));

    Map<String, @Nullable Double[]> series = new LinkedHashMap<>();
    for (String name :
        List.of(
            "cpu", "memory", "disk", "request_rate", "error_rate", "response_time_avg_ms",
            "response_time_p95_ms", "active_users", "revenue", "registrations",
            "payment_success_rate")) {
      series.put(name, new Double[n]);
    }

    for (List<Object> row : store.query(GAUGES_SQL, params).rows()) {
      int i = index(row.get(0), from, step, n);
      String metric = (String) row.get(1);
      double avg = ((Number) row.get(2)).doubleValue();
      double max = ((Number) row.get(3)).doubleValue();
      // One metric may feed several charts when the names are configured alike.
      if (i < 0) {
        continue;
      }
      if (metric.equals(metrics.cpu())) {
        series.get("cpu")[i] = avg;
      }
      if (metric.equals(metrics.memory())) {
        series.get("memory")[i] = avg;
      }
      if (metric.equals(metrics.disk())) {
        series.get("disk")[i] = avg;
      }
      if (metric.equals(metrics.activeUsers())) {
        series.get("active_users")[i] = max;
      }
      if (metric.equals(metrics.paymentSuccess())) {
        series.get("payment_success_rate")[i] = avg;
      }
    }

    QueryResult counters = store.query(COUNTERS_SQL, params);
    fillZeroIfAny(counters, 1, metrics.revenue(), series.get("revenue"));
    fillZeroIfAny(counters, 1, metrics.registrations(), series.get("registrations"));
    double[] payments = new double[n];
    double[] succeeded = new double[n];
    boolean anyPayments = false;
    for (List<Object> row : counters.rows()) {
      int i = index(row.get(0), from, step, n);
      if (i < 0) {
        continue;
      }
      String metric = (String) row.get(1);
      double increase = ((Number) row.get(2)).doubleValue();
      // A metric may feed several charts when the names are configured alike; revenue and registrations
      // add the success and failure rows of a step.
      if (metric.equals(metrics.revenue())) {
        series.get("revenue")[i] = plus(series.get("revenue")[i], increase);
      }
      if (metric.equals(metrics.registrations())) {
        series.get("registrations")[i] = plus(series.get("registrations")[i], increase);
      }
      if (metric.equals(metrics.payments())) {
        anyPayments = true;
        payments[i] += increase;
        if (isTrue(row.get(3))) {
          succeeded[i] += increase;
        }
      }
    }
    if (anyPayments) {
      // As paymentSuccessRate: the counter's success share when it reports, else the gauge. A step without
      // payments has no rate (0 of 0 is no data, not 0 %).
      @Nullable Double[] rate = series.get("payment_success_rate");
      for (int i = 0; i < n; i++) {
        rate[i] = payments[i] > 0 ? 100.0 * succeeded[i] / payments[i] : null;
      }
    }

    QueryResult spans = store.query(SPANS_SQL, params);
    if (!spans.rows().isEmpty()) {
      // With spans in the range, a step without any had no requests, not unknown ones.
      Arrays.fill(series.get("request_rate"), 0.0);
    }
    for (List<Object> row : spans.rows()) {
      int i = index(row.get(0), from, step, n);
      if (i < 0) {
        continue;
      }
      long start = ((Number) row.get(0)).longValue();
      long requests = ((Number) row.get(1)).longValue();
      long errors = ((Number) row.get(2)).longValue();
      // The last step is still running: divide by the part of it that has passed.
      long elapsed = Math.max(1, Math.min(step, now - start + 1));
      series.get("request_rate")[i] = (double) requests / elapsed;
      series.get("error_rate")[i] = requests == 0 ? null : errors * 100.0 / requests;
      series.get("response_time_avg_ms")[i] = ((Number) row.get(3)).doubleValue();
      series.get("response_time_p95_ms")[i] = ((Number) row.get(4)).doubleValue();
    }

    Map<String, List<@Nullable Double>> out = new LinkedHashMap<>();
    series.forEach((name, values) -> out.put(name, Arrays.asList(values)));
    return new Charts(from, now, step, timestamps, out);
  }

  static long step(long rangeSeconds, int maxPoints) {
    for (long s : STEPS) {
      if (rangeSeconds / s < maxPoints) {
        return s;
      }
    }
    return STEPS[STEPS.length - 1] * Math.max(1, rangeSeconds / STEPS[STEPS.length - 1] / maxPoints + 1);
  }

  private static int index(Object bucket, long from, long step, int n) {
    long t = ((Number) bucket).longValue();
    long i = (t - from) / step;
    return t < from || i >= n ? -1 : (int) i;
  }

  private static double plus(@Nullable Double sum, double increase) {
    return sum == null ? increase : sum + increase;
  }

  private static boolean isTrue(Object v) {
    return v instanceof Boolean b ? b : v instanceof Number x && x.longValue() != 0;
  }

  /** A counter that reported in the range increased by 0 in the steps where it has no point. */
  private static void fillZeroIfAny(
      QueryResult result, int metricColumn, String metric, @Nullable Double[] values) {
    for (List<Object> row : result.rows()) {
      if (metric.equals(row.get(metricColumn))) {
        Arrays.fill(values, 0.0);
        return;
      }
    }
  }

  /** Configures a {@link ChartSeries}. */
  public static final class Builder {
    private final TelemetryStore store;
    private final String database;
    private ChartMetrics metrics = ChartMetrics.SEED;
    private int errorStatus = 400;
    private int maxPoints = 120;
    private Clock clock = Clock.systemUTC();

    private Builder(TelemetryStore store, String database) {
      this.store = requireNonNull(store, "store");
      this.database = requireNonNull(database, "database");
    }

    public Builder metrics(ChartMetrics metrics) {
      this.metrics = requireNonNull(metrics, "metrics");
      return this;
    }

    /** HTTP status codes from this one up count as errors. Default 400, as the seed. */
    public Builder errorStatus(int errorStatus) {
      if (errorStatus < 100 || errorStatus > 599) {
        throw new IllegalArgumentException("errorStatus: " + errorStatus + " (expected: 100..599)");
      }
      this.errorStatus = errorStatus;
      return this;
    }

    /** At most this many steps per series. Default 120. */
    public Builder maxPoints(int maxPoints) {
      if (maxPoints < 2) {
        throw new IllegalArgumentException("maxPoints: " + maxPoints + " (expected: >= 2)");
      }
      this.maxPoints = maxPoints;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    public ChartSeries build() {
      return new ChartSeries(this);
    }
  }
}
