package io.tskotel.collector.query.internal;

import io.tskotel.collector.query.Aggregation;
import java.util.EnumMap;
import java.util.Map;

/**
 * Every SQL text the metric functions run. A statement is assembled only from the constants in this class, a
 * table name from {@link MetricKind} and label-filter fragments numbered by position: no input ever becomes
 * SQL text. Values travel as {@code {name:Type}} parameters bound by the engine.
 *
 * <p>Parameters: {@code db} (the database, an Identifier), {@code name} (MetricName), {@code from_ns} and
 * {@code to_ns} (the window, Unix nanoseconds, both inclusive), {@code base_ns} (where the lookback for
 * counter baselines starts), {@code lk<i>} / {@code lv<i>} (label filter i).
 */
public final class MetricSql {
  private MetricSql() {}

  /** The most label filters one call may carry. */
  public static final int MAX_LABELS = 16;

  /** Which table holds the metric; for a sum, whether it is monotonic. One row per table that has it. */
  public static final String KIND =
      """
      SELECT 1 AS prio, 'GAUGE' AS kind, toUInt8(0) AS monotonic
        FROM (SELECT 1 FROM {db:Identifier}.otel_metrics_gauge WHERE MetricName = {name:String} LIMIT 1)
      UNION ALL
      SELECT 2, 'SUM', toUInt8(monotonic)
        FROM (SELECT IsMonotonic AS monotonic FROM {db:Identifier}.otel_metrics_sum WHERE MetricName = {name:String}
              ORDER BY TimeUnix DESC LIMIT 1)
      UNION ALL
      SELECT 3, 'HISTOGRAM', toUInt8(0)
        FROM (SELECT 1 FROM {db:Identifier}.otel_metrics_histogram WHERE MetricName = {name:String} LIMIT 1)
      UNION ALL
      SELECT 4, 'EXPONENTIAL_HISTOGRAM', toUInt8(0)
        FROM (SELECT 1 FROM {db:Identifier}.otel_metrics_exponential_histogram WHERE MetricName = {name:String} LIMIT 1)
      UNION ALL
      SELECT 5, 'SUMMARY', toUInt8(0)
        FROM (SELECT 1 FROM {db:Identifier}.otel_metrics_summary WHERE MetricName = {name:String} LIMIT 1)
      """;

  static final String IN_WINDOW =
      " TimeUnix >= fromUnixTimestamp64Nano({from_ns:Int64})"
          + " AND TimeUnix <= fromUnixTimestamp64Nano({to_ns:Int64})";

  /** The unit one point of the metric in the window declares, whichever table holds it. */
  public static final String UNIT =
      "SELECT MetricUnit FROM ("
          + unitOf(MetricKind.GAUGE) + " UNION ALL " + unitOf(MetricKind.SUM) + " UNION ALL "
          + unitOf(MetricKind.HISTOGRAM) + " UNION ALL " + unitOf(MetricKind.EXPONENTIAL_HISTOGRAM)
          + " UNION ALL " + unitOf(MetricKind.SUMMARY) + ") LIMIT 1";

  private static String unitOf(MetricKind kind) {
    return "(SELECT MetricUnit FROM " + kind.table() + " WHERE MetricName = {name:String} AND" + IN_WINDOW
        + " LIMIT 1)";
  }

  /**
   * Who reported the system gauges in the window: columns (metric, service, host.name, points), at most 20
   * rows. Parameters {@code cpu}, {@code memory}, {@code disk}: the gauges' names.
   */
  public static final String SYSTEM_REPORTERS =
      "SELECT MetricName, ServiceName, ResourceAttributes['host.name'] AS host, count()"
          + " FROM {db:Identifier}.otel_metrics_gauge"
          + " WHERE MetricName IN ({cpu:String}, {memory:String}, {disk:String}) AND" + IN_WINDOW
          + " GROUP BY MetricName, ServiceName, host ORDER BY MetricName, ServiceName, host LIMIT 20";

  /** The window plus the lookback before it, where a series' previous point (its baseline) is found. */
  static final String UP_TO_END =
      " TimeUnix >= fromUnixTimestamp64Nano({base_ns:Int64})"
          + " AND TimeUnix <= fromUnixTimestamp64Nano({to_ns:Int64})";

  /** One label filter: an attribute of the point or of its resource equals the value. */
  static String labelFilter(int i) {
    String k = "{lk" + i + ":String}";
    String v = "{lv" + i + ":String}";
    return " AND (Attributes[" + k + "] = " + v + " OR ResourceAttributes[" + k + "] = " + v + ")";
  }

  static String labelFilters(int count) {
    if (count < 0 || count > MAX_LABELS) {
      throw new IllegalArgumentException("labels: " + count + " (expected: <= " + MAX_LABELS + ")");
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < count; i++) {
      sb.append(labelFilter(i));
    }
    return sb.toString();
  }

  private static final Map<Aggregation, String> VALUE_AGGREGATES = new EnumMap<>(Aggregation.class);

  static {
    VALUE_AGGREGATES.put(Aggregation.AVG, "avg(Value)");
    VALUE_AGGREGATES.put(Aggregation.MAX, "max(Value)");
    VALUE_AGGREGATES.put(Aggregation.MIN, "min(Value)");
    VALUE_AGGREGATES.put(Aggregation.SUM, "sum(Value)");
    VALUE_AGGREGATES.put(Aggregation.COUNT, "toFloat64(count())");
    VALUE_AGGREGATES.put(Aggregation.P50, "quantileExact(0.5)(Value)");
    VALUE_AGGREGATES.put(Aggregation.P90, "quantileExact(0.9)(Value)");
    VALUE_AGGREGATES.put(Aggregation.P95, "quantileExact(0.95)(Value)");
    VALUE_AGGREGATES.put(Aggregation.P99, "quantileExact(0.99)(Value)");
  }

  /**
   * One aggregate over the point values of a gauge or sum table in the window: columns (value, points).
   * Not for {@link Aggregation#RAW}.
   */
  public static String valueAggregate(MetricKind kind, Aggregation agg, int labels) {
    String expr = VALUE_AGGREGATES.get(agg);
    if (expr == null) {
      throw new IllegalArgumentException("no value aggregate for " + agg);
    }
    return "SELECT "
        + expr
        + ", count() FROM "
        + kind.table()
        + " WHERE MetricName = {name:String} AND"
        + IN_WINDOW
        + labelFilters(labels);
  }

  /** The aggregations {@link #gaugeRollup} answers: the ones a count, sum, min and max per minute hold. */
  public static boolean rollupAnswers(Aggregation agg) {
    return switch (agg) {
      case AVG, SUM, MIN, MAX, COUNT -> true;
      default -> false;
    };
  }

  /**
   * A gauge's points in the window folded as columns (sum, points, min, max): the whole minutes {@code
   * whole_from_ns} (inclusive) .. {@code whole_to_ns} (exclusive) from the {@code minute_values} projection
   * (migration 6), the partial minutes before and after them from the raw points. Min and max are NaN
   * without points. A part written before the projection existed is read raw by the engine itself.
   */
  public static final String GAUGE_ROLLUP =
      """
      SELECT sum(s), sum(c), minIf(lo, c > 0), maxIf(hi, c > 0)
      FROM (
        SELECT sum(Value) AS s, count() AS c, min(Value) AS lo, max(Value) AS hi
        FROM {db:Identifier}.otel_metrics_gauge
        WHERE MetricName = {name:String}
          AND toStartOfMinute(TimeUnix) >= fromUnixTimestamp64Nano({whole_from_ns:Int64})
          AND toStartOfMinute(TimeUnix) < fromUnixTimestamp64Nano({whole_to_ns:Int64})
        UNION ALL
        SELECT sum(Value), count(), min(Value), max(Value)
        FROM {db:Identifier}.otel_metrics_gauge
        WHERE MetricName = {name:String} AND
      """
          + WholeMinutes.edges("TimeUnix")
          + ")";

  /** The latest 100 point values of a gauge or sum table in the window, newest first. */
  public static String rawValues(MetricKind kind, int labels) {
    return "SELECT Value FROM "
        + kind.table()
        + " WHERE MetricName = {name:String} AND"
        + IN_WINDOW
        + labelFilters(labels)
        + " ORDER BY TimeUnix DESC LIMIT 100";
  }

  /** The latest 100 means (Sum / Count) of histogram-like points in the window, newest first. */
  public static String rawMeans(MetricKind kind, int labels) {
    return "SELECT Sum / Count FROM "
        + kind.table()
        + " WHERE MetricName = {name:String} AND Count > 0 AND"
        + IN_WINDOW
        + labelFilters(labels)
        + " ORDER BY TimeUnix DESC LIMIT 100";
  }

  // The series key: points of one series are consecutive samples of one counter. A change of temporality,
  // of bucket layout or of start time starts a new counter. Hashed: sorting rows by two Map columns costs an
  // order of magnitude more than by one UInt64.
  private static final String SERIES =
      "cityHash64(ServiceName, ResourceAttributes, ScopeName, Attributes, AggregationTemporality)";

  private static final String SERIES_WITH_BOUNDS =
      "cityHash64(ServiceName, ResourceAttributes, ScopeName, Attributes, AggregationTemporality,"
          + " ExplicitBounds)";

  /**
   * How much a monotonic sum grew in the window: columns (increase, points, window start).
   *
   * <p>Delta points (AggregationTemporality = 1) are increases already. A cumulative point adds its growth
   * since the previous point of its series, which may lie before the window (up to {@code base_ns}); after a
   * reset (the value went down or the start time changed) it adds its whole value. The first point seen of a
   * series adds its whole value only when the series started inside the window — otherwise its growth before
   * the window is unknowable and it only serves as the baseline. The third column is the earliest start (StartTimeUnix, or
   * TimeUnix when unset) among points in the window, used as the rate's window start for {@code all}.
   */
  public static String sumIncrease(int labels) {
    return """
        SELECT sum(delta), count(), min(startOrTime)
        FROM (
          SELECT TimeUnix,
            multiIf(AggregationTemporality = 1, Value,
                    rn = 1, if(StartTimeUnix >= fromUnixTimestamp64Nano({from_ns:Int64}), Value, 0),
                    Value < prevValue OR StartTimeUnix != prevStart, Value,
                    Value - prevValue) AS delta,
            if(toUnixTimestamp64Nano(StartTimeUnix) > 0, StartTimeUnix, TimeUnix) AS startOrTime
          FROM (
            SELECT TimeUnix, Value, StartTimeUnix, AggregationTemporality,
              lagInFrame(Value) OVER w AS prevValue,
              lagInFrame(StartTimeUnix) OVER w AS prevStart,
              row_number() OVER w AS rn
            FROM {db:Identifier}.otel_metrics_sum
            WHERE MetricName = {name:String} AND IsMonotonic AND"""
        + UP_TO_END
        + labelFilters(labels)
        + "\n    WINDOW w AS (PARTITION BY "
        + SERIES
        + " ORDER BY TimeUnix ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)"
        + """

          )
        )
        WHERE TimeUnix >= fromUnixTimestamp64Nano({from_ns:Int64})
        """;
  }

  /**
   * What an explicit-bucket histogram observed in the window, per bucket layout: columns (ExplicitBounds,
   * count, sum, bucket counts, min, max, points). Increases are taken as {@link #sumIncrease} takes them, on
   * Count, Sum and every bucket. Min and max come from the points' Min and Max fields, skipping points that
   * carry neither (both 0); a cumulative point's min and max cover its whole start-to-time interval.
   */
  public static String histogramIncrease(int labels) {
    return """
        SELECT ExplicitBounds,
          sum(multiIf(mode = 0, toFloat64(Count), mode = 1, toFloat64(Count) - toFloat64(prevCount), 0)),
          sum(multiIf(mode = 0, Sum, mode = 1, Sum - prevSum, 0)),
          sumForEach(multiIf(mode = 0, arrayMap(x -> toFloat64(x), BucketCounts),
                             mode = 1, arrayMap((x, p) -> toFloat64(x) - toFloat64(p), BucketCounts, prevBuckets),
                             arrayMap(x -> toFloat64(0), BucketCounts))),
          minIf(Min, NOT (Min = 0 AND Max = 0)),
          maxIf(Max, NOT (Min = 0 AND Max = 0)),
          countIf(NOT (Min = 0 AND Max = 0)),
          count()
        FROM (
          SELECT TimeUnix, ExplicitBounds, BucketCounts, prevBuckets, Count, prevCount, Sum, prevSum, Min, Max,
            multiIf(AggregationTemporality = 1, 0,
                    rn = 1, if(StartTimeUnix >= fromUnixTimestamp64Nano({from_ns:Int64}), 0, 2),
                    Count < prevCount OR StartTimeUnix != prevStart
                      OR length(BucketCounts) != length(prevBuckets), 0,
                    1) AS mode
          FROM (
            SELECT TimeUnix, ExplicitBounds, BucketCounts, Count, Sum, Min, Max, StartTimeUnix,
              AggregationTemporality,
              lagInFrame(BucketCounts) OVER w AS prevBuckets,
              lagInFrame(Count) OVER w AS prevCount,
              lagInFrame(Sum) OVER w AS prevSum,
              lagInFrame(StartTimeUnix) OVER w AS prevStart,
              row_number() OVER w AS rn
            FROM {db:Identifier}.otel_metrics_histogram
            WHERE MetricName = {name:String} AND"""
        + UP_TO_END
        + labelFilters(labels)
        + "\n    WINDOW w AS (PARTITION BY "
        + SERIES_WITH_BOUNDS
        + " ORDER BY TimeUnix ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)"
        + """

          )
        )
        WHERE TimeUnix >= fromUnixTimestamp64Nano({from_ns:Int64})
        GROUP BY ExplicitBounds
        """;
  }

  /**
   * Count and sum observed in the window by exponential histograms (with temporality) and summaries (always
   * cumulative): columns (count, sum, min, max, points).
   */
  public static String countSumIncrease(MetricKind kind, int labels) {
    boolean summary = kind == MetricKind.SUMMARY;
    String temporality = summary ? "toInt32(2)" : "AggregationTemporality";
    String minMax = summary ? "nan, nan" : "minIf(Min, NOT (Min = 0 AND Max = 0)), maxIf(Max, NOT (Min = 0 AND Max = 0))";
    String innerMinMax = summary ? "" : ", Min, Max";
    return "SELECT"
        + " sum(multiIf(mode = 0, toFloat64(Count), mode = 1, toFloat64(Count) - toFloat64(prevCount), 0)),"
        + " sum(multiIf(mode = 0, Sum, mode = 1, Sum - prevSum, 0)), "
        + minMax
        + ", count()"
        + " FROM (SELECT TimeUnix, Count, prevCount, Sum, prevSum"
        + innerMinMax
        + ", multiIf(temporality = 1, 0,"
        + " rn = 1, if(StartTimeUnix >= fromUnixTimestamp64Nano({from_ns:Int64}), 0, 2),"
        + " Count < prevCount OR StartTimeUnix != prevStart, 0, 1) AS mode"
        + " FROM (SELECT TimeUnix, Count, Sum, StartTimeUnix"
        + innerMinMax
        + ", "
        + temporality
        + " AS temporality,"
        + " lagInFrame(Count) OVER w AS prevCount, lagInFrame(Sum) OVER w AS prevSum,"
        + " lagInFrame(StartTimeUnix) OVER w AS prevStart, row_number() OVER w AS rn"
        + " FROM "
        + kind.table()
        + " WHERE MetricName = {name:String} AND"
        + UP_TO_END
        + labelFilters(labels)
        + " WINDOW w AS (PARTITION BY cityHash64(ServiceName, ResourceAttributes, ScopeName, Attributes, temporality)"
        + " ORDER BY TimeUnix ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)))"
        + " WHERE TimeUnix >= fromUnixTimestamp64Nano({from_ns:Int64})";
  }
}
