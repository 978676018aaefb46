package io.tskotel.collector.query;

import static java.util.Objects.requireNonNull;

import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import io.tskotel.collector.query.internal.HistogramQuantiles;
import io.tskotel.collector.query.internal.MetricKind;
import io.tskotel.collector.query.internal.MetricSql;
import io.tskotel.collector.query.internal.Values;
import io.tskotel.collector.query.internal.WholeMinutes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The seed's {@code get_metrics}: one metric folded over a window that ends now, answered from the
 * {@code otel_metrics_*} tables. The result is a list, as the seed's: one value, the latest 100 values for
 * {@code raw}, or empty when the metric is unknown or has no point in the window.
 *
 * <p>What an aggregation means depends on where the metric's points are stored:
 *
 * <ul>
 *   <li><b>Gauge</b>, and <b>non-monotonic sum</b> (up-down counter): {@code avg max min sum count} and the
 *       percentiles ({@code quantileExact}) over the point values in the window; {@code raw} the latest values.
 *   <li><b>Monotonic sum</b> (counter): {@code sum} is the counter's increase over the window, {@code avg} that
 *       increase per second of window (for {@code all}: since the earliest start). Cumulative points add their
 *       growth since the previous point of the same series (which may lie before the window, by up to {@link
 *       QueryConfig#counterLookback()}); a value that went
 *       down or a new start time is a reset and adds the whole new value; delta points add their value. {@code
 *       max min count}, percentiles and {@code raw} are over the point values as stored.
 *   <li><b>Histogram</b>: over the observations made in the window (increases of Count, Sum and every bucket, as
 *       for counters): {@code avg} = Σsum / Σcount, {@code sum} = Σsum, {@code count} = Σcount, {@code min} and
 *       {@code max} from the points' Min and Max, percentiles interpolated inside the buckets (see {@link
 *       HistogramQuantiles}); {@code raw} the latest 100 point means (Sum / Count).
 *   <li><b>Exponential histogram</b> and <b>summary</b>: {@code avg sum count raw} as histograms (plus {@code
 *       min max} for exponential histograms); percentiles are refused.
 * </ul>
 *
 * <p>Label filters match a point when its attributes or its resource's attributes hold the value (an empty
 * value also matches an absent key). {@code name} may be a TSK instrument key, resolved through {@link
 * QueryConfig#metricAliases()}.
 */
public final class MetricQueries {
  private static final Set<Aggregation> COUNT_SUM_AGGREGATIONS =
      EnumSet.of(Aggregation.AVG, Aggregation.SUM, Aggregation.COUNT, Aggregation.RAW);
  private static final Set<Aggregation> EXP_HISTOGRAM_AGGREGATIONS =
      EnumSet.of(
          Aggregation.AVG,
          Aggregation.SUM,
          Aggregation.COUNT,
          Aggregation.RAW,
          Aggregation.MIN,
          Aggregation.MAX);

  private final TelemetryStore store;
  private final Clock clock;
  private final QueryConfig config;
  private final boolean rollups;

  private MetricQueries(TelemetryStore store, Clock clock, QueryConfig config, boolean rollups) {
    this.store = requireNonNull(store, "store");
    this.clock = requireNonNull(clock, "clock");
    this.config = requireNonNull(config, "config");
    this.rollups = rollups;
  }

  public static MetricQueries create(TelemetryStore store, Clock clock, QueryConfig config) {
    return new MetricQueries(store, clock, config, true);
  }

  /** With {@code rollups} false every query reads raw points (for comparisons: same answers, slower). */
  static MetricQueries create(TelemetryStore store, Clock clock, QueryConfig config, boolean rollups) {
    return new MetricQueries(store, clock, config, rollups);
  }

  /**
   * The seed's signature: {@code range} and {@code aggregation} as text.
   *
   * @throws IllegalArgumentException for an unknown range or aggregation (the message lists the allowed
   *     values), a blank name, or bad label filters
   */
  public List<Double> getMetrics(
      String name, String range, String aggregation, Map<String, String> labelFilters)
      throws StoreException {
    TimeRange r = TimeRange.parse(range);
    Aggregation a = Aggregation.parse(aggregation);
    return getMetrics(name, r, a, labelFilters);
  }

  public List<Double> getMetrics(
      String name, TimeRange range, Aggregation aggregation, Map<String, String> labelFilters)
      throws StoreException {
    return getMetrics(name, range, aggregation, labelFilters, true);
  }

  /**
   * With {@code gaugeFirst}, an aggregation the gauge rollup answers is asked of it before the metric's
   * kind is looked up: points there make the metric a gauge (gauges come first in {@link MetricSql#KIND}'s
   * order), so their answer is the one the lookup would lead to, one statement sooner. Without points the
   * lookup runs as before. Callers that often ask for metrics that are no gauges (the dashboard: counters,
   * histograms, absent names) pass false and spare that extra statement.
   */
  List<Double> getMetrics(
      String name,
      TimeRange range,
      Aggregation aggregation,
      Map<String, String> labelFilters,
      boolean gaugeFirst)
      throws StoreException {
    requireNonNull(range, "range");
    requireNonNull(aggregation, "aggregation");
    String metric = metricName(name);
    Map<String, String> labels = checkLabels(labelFilters);
    if (gaugeFirst && rollups && labels.isEmpty() && MetricSql.rollupAnswers(aggregation)) {
      Instant now = clock.instant();
      List<Double> gauge = gaugeRollupIfAny(aggregation, params(metric, range.start(now), now, labels));
      if (gauge != null) {
        return gauge;
      }
    }
    Optional<Kind> kind = kindOf(metric);
    if (kind.isEmpty()) {
      return List.of();
    }
    Instant now = clock.instant();
    Map<String, Object> params = params(metric, range.start(now), now, labels);
    Kind k = kind.get();
    return switch (k.kind()) {
      case GAUGE -> values(MetricKind.GAUGE, aggregation, params, labels.size());
      case SUM ->
          k.monotonic() && (aggregation == Aggregation.SUM || aggregation == Aggregation.AVG)
              ? counter(aggregation, range, now, params, labels.size())
              : values(MetricKind.SUM, aggregation, params, labels.size());
      case HISTOGRAM -> histogram(aggregation, params, labels.size());
      case EXPONENTIAL_HISTOGRAM, SUMMARY -> countSum(k.kind(), aggregation, params, labels.size());
    };
  }

  /**
   * How much a monotonic counter grew between {@code from} and {@code to} (both inclusive), by the rules in
   * the class comment; 0 when it has no point there.
   */
  public double increase(String name, Instant from, Instant to, Map<String, String> labelFilters)
      throws StoreException {
    Double increase = increaseIfAny(name, from, to, labelFilters);
    return increase == null ? 0 : increase;
  }

  /**
   * As {@link #increase}, but null when the counter has no point between {@code from} and {@code to}: a
   * counter that did not report is no data, one that reported without growing increased by 0.
   */
  public @Nullable Double increaseIfAny(
      String name, Instant from, Instant to, Map<String, String> labelFilters) throws StoreException {
    Map<String, String> labels = checkLabels(labelFilters);
    Map<String, Object> params = params(metricName(name), from, to, labels);
    QueryResult r = store.query(MetricSql.sumIncrease(labels.size()), params);
    if (r.rows().isEmpty() || Values.toLong(r.rows().get(0).get(1)) == 0) {
      return null;
    }
    return Values.toDouble(r.rows().get(0).get(0));
  }

  /**
   * The unit ({@code MetricUnit}) a metric's points in the window declare, e.g. {@code s} or {@code ms};
   * null when it has no point there, empty when they declare none.
   */
  public @Nullable String unit(String name, Instant from, Instant to) throws StoreException {
    QueryResult r = store.query(MetricSql.UNIT, params(metricName(name), from, to, Map.of()));
    return r.rows().isEmpty() ? null : Values.toStr(r.rows().get(0).get(0));
  }

  QueryConfig config() {
    return config;
  }

  private String metricName(String name) {
    requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name: \"\" (expected: a metric name)");
    }
    return config.resolveMetric(name);
  }

  private static Map<String, String> checkLabels(Map<String, String> labels) {
    requireNonNull(labels, "labelFilters");
    if (labels.size() > MetricSql.MAX_LABELS) {
      throw new IllegalArgumentException(
          "labels: " + labels.size() + " filters (expected: <= " + MetricSql.MAX_LABELS + ")");
    }
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (e.getKey() == null || e.getKey().isEmpty()) {
        throw new IllegalArgumentException("labels: empty label name (expected: label.<name>=<value>)");
      }
      requireNonNull(e.getValue(), "label value");
    }
    return new LinkedHashMap<>(labels);
  }

  private record Kind(MetricKind kind, boolean monotonic) {}

  private Optional<Kind> kindOf(String metric) throws StoreException {
    QueryResult r = store.query(MetricSql.KIND, Map.of("db", config.database(), "name", metric));
    return r.rows().stream()
        .min((a, b) -> Long.compare(Values.toLong(a.get(0)), Values.toLong(b.get(0))))
        .map(
            row ->
                new Kind(MetricKind.valueOf(Values.toStr(row.get(1))), Values.toLong(row.get(2)) != 0));
  }

  private Map<String, Object> params(
      String metric, Instant from, Instant to, Map<String, String> labels) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("db", config.database());
    p.put("name", metric);
    p.put("from_ns", nanos(from));
    p.put("base_ns", Math.max(0, nanos(from) - config.counterLookback().toNanos()));
    p.put("to_ns", nanos(to));
    int i = 0;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      p.put("lk" + i, e.getKey());
      p.put("lv" + i, e.getValue());
      i++;
    }
    return p;
  }

  static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  private List<Double> values(
      MetricKind table, Aggregation agg, Map<String, Object> params, int labels)
      throws StoreException {
    if (agg == Aggregation.RAW) {
      return column(store.query(MetricSql.rawValues(table, labels), params));
    }
    if (rollups && table == MetricKind.GAUGE && labels == 0 && MetricSql.rollupAnswers(agg)) {
      return gaugeRollup(agg, params);
    }
    QueryResult r = store.query(MetricSql.valueAggregate(table, agg, labels), params);
    return single(r, 0, 1);
  }

  /**
   * A gauge's avg, sum, min, max or count from the per-minute rollup (whole minutes) and the raw points of
   * the partial minutes: the same answer as the raw aggregate (sums may differ in the last bits, being added
   * in another order). Percentiles cannot be folded from per-minute aggregates and stay raw.
   */
  private List<Double> gaugeRollup(Aggregation agg, Map<String, Object> params) throws StoreException {
    List<Double> v = gaugeRollupIfAny(agg, params);
    return v == null ? List.of() : v;
  }

  /** {@link #gaugeRollup}, but null when the gauge table holds no point of the metric in the window. */
  private @Nullable List<Double> gaugeRollupIfAny(Aggregation agg, Map<String, Object> params)
      throws StoreException {
    Map<String, Object> p = new LinkedHashMap<>(params);
    WholeMinutes.put(p, (Long) params.get("from_ns"), (Long) params.get("to_ns"));
    QueryResult r = store.query(MetricSql.GAUGE_ROLLUP, p);
    // (sum, points, min, max); no row or no point is no data
    if (r.rows().isEmpty() || Values.toLong(r.rows().get(0).get(1)) == 0) {
      return null;
    }
    List<Object> row = r.rows().get(0);
    double sum = Values.toDouble(row.get(0));
    long points = Values.toLong(row.get(1));
    double v =
        switch (agg) {
          case AVG -> sum / points;
          case SUM -> sum;
          case COUNT -> points;
          case MIN -> Values.toDouble(row.get(2));
          case MAX -> Values.toDouble(row.get(3));
          default -> throw new AssertionError(agg);
        };
    return Double.isNaN(v) ? List.of() : List.of(v);
  }

  private List<Double> counter(
      Aggregation agg, TimeRange range, Instant now, Map<String, Object> params, int labels)
      throws StoreException {
    QueryResult r = store.query(MetricSql.sumIncrease(labels), params);
    if (r.rows().isEmpty() || Values.toLong(r.rows().get(0).get(1)) == 0) {
      return List.of();
    }
    List<Object> row = r.rows().get(0);
    double increase = Values.toDouble(row.get(0));
    if (agg == Aggregation.SUM) {
      return List.of(increase);
    }
    Instant start = range.isAll() ? Values.toInstant(row.get(2)) : range.start(now);
    double seconds = Duration.between(start, now).toNanos() / 1e9;
    return seconds > 0 ? List.of(increase / seconds) : List.of();
  }

  private List<Double> histogram(Aggregation agg, Map<String, Object> params, int labels)
      throws StoreException {
    if (agg == Aggregation.RAW) {
      return column(store.query(MetricSql.rawMeans(MetricKind.HISTOGRAM, labels), params));
    }
    QueryResult r = store.query(MetricSql.histogramIncrease(labels), params);
    // One row per bucket layout: (bounds, count, sum, buckets, min, max, points with min/max, points).
    double count = 0;
    double sum = 0;
    double min = Double.NaN;
    double max = Double.NaN;
    List<Object> widest = null;
    double widestCount = -1;
    long points = 0;
    for (List<Object> row : r.rows()) {
      double c = Values.toDouble(row.get(1));
      count += c;
      sum += Values.toDouble(row.get(2));
      if (Values.toLong(row.get(6)) > 0) {
        min = Double.isNaN(min) ? Values.toDouble(row.get(4)) : Math.min(min, Values.toDouble(row.get(4)));
        max = Double.isNaN(max) ? Values.toDouble(row.get(5)) : Math.max(max, Values.toDouble(row.get(5)));
      }
      points += Values.toLong(row.get(7));
      if (c > widestCount) {
        widestCount = c;
        widest = row;
      }
    }
    if (points == 0) {
      return List.of();
    }
    return switch (agg) {
      case AVG -> count > 0 ? List.of(sum / count) : List.of();
      case SUM -> List.of(sum);
      case COUNT -> List.of(count);
      case MIN -> Double.isNaN(min) ? List.of() : List.of(min);
      case MAX -> Double.isNaN(max) ? List.of() : List.of(max);
      case P50, P90, P95, P99 -> {
        // Layouts cannot be merged without guessing; the one holding most observations answers.
        double q =
            HistogramQuantiles.quantile(
                agg.quantile(),
                Values.toDoubles(widest.get(0)),
                Values.toDoubles(widest.get(3)),
                min,
                max);
        yield Double.isNaN(q) ? List.of() : List.of(q);
      }
      case RAW -> throw new AssertionError("handled above");
    };
  }

  private List<Double> countSum(
      MetricKind kind, Aggregation agg, Map<String, Object> params, int labels)
      throws StoreException {
    Set<Aggregation> supported =
        kind == MetricKind.SUMMARY ? COUNT_SUM_AGGREGATIONS : EXP_HISTOGRAM_AGGREGATIONS;
    if (!supported.contains(agg)) {
      throw new IllegalArgumentException(
          "aggregation: \""
              + agg.wireName()
              + "\" is not supported for "
              + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
              + " metrics (expected one of: "
              + supported.stream().map(Aggregation::wireName).collect(Collectors.joining(", "))
              + ")");
    }
    if (agg == Aggregation.RAW) {
      return column(store.query(MetricSql.rawMeans(kind, labels), params));
    }
    QueryResult r = store.query(MetricSql.countSumIncrease(kind, labels), params);
    if (r.rows().isEmpty() || Values.toLong(r.rows().get(0).get(4)) == 0) {
      return List.of();
    }
    List<Object> row = r.rows().get(0);
    double count = Values.toDouble(row.get(0));
    double sum = Values.toDouble(row.get(1));
    double v =
        switch (agg) {
          case AVG -> count > 0 ? sum / count : Double.NaN;
          case SUM -> sum;
          case COUNT -> count;
          case MIN -> Values.toDouble(row.get(2));
          case MAX -> Values.toDouble(row.get(3));
          default -> throw new AssertionError(agg);
        };
    return Double.isNaN(v) ? List.of() : List.of(v);
  }

  private static List<Double> single(QueryResult r, int valueColumn, int countColumn) {
    if (r.rows().isEmpty() || Values.toLong(r.rows().get(0).get(countColumn)) == 0) {
      return List.of();
    }
    double v = Values.toDouble(r.rows().get(0).get(valueColumn));
    return Double.isNaN(v) ? List.of() : List.of(v);
  }

  private static List<Double> column(QueryResult r) {
    List<Double> out = new ArrayList<>(r.rows().size());
    for (List<Object> row : r.rows()) {
      out.add(Values.toDouble(row.get(0)));
    }
    return List.copyOf(out);
  }
}
