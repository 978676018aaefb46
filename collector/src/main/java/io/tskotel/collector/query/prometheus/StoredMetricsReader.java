package io.tskotel.collector.query.prometheus;

import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the latest state of every stored series that reported since a cutoff.
 *
 * <ul>
 *   <li>Gauges, cumulative sums and histograms, summaries: the newest point of the series.
 *   <li>Delta sums and histograms: the points added up over everything stored (a delta stream's running
 *       total is what a Prometheus counter holds). Delta histograms add up per bucket layout; after a layout
 *       change only the newest layout is exposed.
 *   <li>Exponential histograms, cumulative only: the newest point, as classic buckets (the 0.0.4 text
 *       format has no native histograms). Delta exponential histograms are not exposed.
 * </ul>
 *
 * A series is exposed while its newest point is younger than the cutoff, like the Collector's
 * prometheusexporter {@code metric_expiration}.
 */
final class StoredMetricsReader {
  private final TelemetryStore store;
  private final String database;

  StoredMetricsReader(TelemetryStore store, String database) {
    this.store = store;
    this.database = database;
  }

  // The series key shared by every query: metric, resource identity, scope, point attributes.
  private static final String KEY_COLUMNS =
      "MetricName, MetricUnit, ServiceName,"
          + " ResourceAttributes['service.namespace'] AS namespace,"
          + " ResourceAttributes['service.instance.id'] AS instance, ScopeName, Attributes";
  private static final String GROUP_BY =
      " GROUP BY MetricName, MetricUnit, ServiceName, namespace, instance, ScopeName, Attributes";
  private static final String FRESH = " HAVING max(TimeUnix) >= fromUnixTimestamp64Nano({cutoff:Int64})";

  static final String GAUGE_SQL =
      "SELECT "
          + KEY_COLUMNS
          + ", any(MetricDescription) AS description, argMax(Value, TimeUnix) AS value"
          + " FROM {db:Identifier}.otel_metrics_gauge"
          + GROUP_BY
          + FRESH;

  static final String SUM_SQL =
      "SELECT "
          + KEY_COLUMNS
          + ", IsMonotonic, AggregationTemporality = 1 AS delta,"
          + " any(MetricDescription) AS description,"
          + " if(delta, sum(Value), argMax(Value, TimeUnix)) AS value"
          + " FROM {db:Identifier}.otel_metrics_sum"
          + GROUP_BY
          + ", IsMonotonic, delta"
          + FRESH;

  static final String HISTOGRAM_SQL =
      "SELECT "
          + KEY_COLUMNS
          + ", AggregationTemporality = 1 AS delta, length(BucketCounts) AS buckets,"
          + " any(MetricDescription) AS description, max(TimeUnix) AS last,"
          + " argMax(tuple(Count, Sum, BucketCounts, ExplicitBounds), TimeUnix) AS latest,"
          + " if(delta, sum(Count), latest.1) AS count,"
          + " if(delta, sum(Sum), latest.2) AS total,"
          + " if(delta, sumForEach(BucketCounts), latest.3) AS bucket_counts,"
          + " latest.4 AS bounds"
          + " FROM {db:Identifier}.otel_metrics_histogram"
          + GROUP_BY
          + ", delta, if(delta, ExplicitBounds, []) AS layout, buckets"
          + FRESH;

  static final String SUMMARY_SQL =
      "SELECT "
          + KEY_COLUMNS
          + ", any(MetricDescription) AS description,"
          + " argMax(tuple(Count, Sum, ValueAtQuantiles.Quantile, ValueAtQuantiles.Value), TimeUnix)"
          + " AS latest, latest.1 AS count, latest.2 AS total, latest.3 AS quantiles,"
          + " latest.4 AS qvalues"
          + " FROM {db:Identifier}.otel_metrics_summary"
          + GROUP_BY
          + FRESH;

  static final String EXPONENTIAL_SQL =
      "SELECT "
          + KEY_COLUMNS
          + ", any(MetricDescription) AS description,"
          + " argMax(tuple(Count, Sum, Scale, ZeroCount, PositiveOffset, PositiveBucketCounts,"
          + " NegativeOffset, NegativeBucketCounts), TimeUnix) AS latest,"
          + " latest.1 AS count, latest.2 AS total, latest.3 AS scale, latest.4 AS zero_count,"
          + " latest.5 AS positive_offset, latest.6 AS positive, latest.7 AS negative_offset,"
          + " latest.8 AS negative"
          + " FROM {db:Identifier}.otel_metrics_exponential_histogram"
          + " WHERE AggregationTemporality != 1"
          + GROUP_BY
          + FRESH;

  List<StoredSeries> read(Instant cutoff) throws StoreException {
    Map<String, String> params =
        Map.of("db", database, "cutoff", Long.toString(epochNanos(cutoff)));
    List<StoredSeries> out = new ArrayList<>();
    for (Row r : rows(store.query(GAUGE_SQL, params))) {
      out.add(series(r, PromType.GAUGE, new StoredSeries.Value(r.dbl("value"))));
    }
    for (Row r : rows(store.query(SUM_SQL, params))) {
      PromType type = r.bool("IsMonotonic") ? PromType.COUNTER : PromType.GAUGE;
      out.add(series(r, type, new StoredSeries.Value(r.dbl("value"))));
    }
    out.addAll(histograms(rows(store.query(HISTOGRAM_SQL, params))));
    for (Row r : rows(store.query(EXPONENTIAL_SQL, params))) {
      out.add(
          series(
              r,
              PromType.HISTOGRAM,
              new StoredSeries.Exponential(
                  (int) r.lng("scale"),
                  r.lng("zero_count"),
                  (int) r.lng("positive_offset"),
                  r.longs("positive"),
                  (int) r.lng("negative_offset"),
                  r.longs("negative"),
                  r.dbl("total"),
                  r.lng("count"))));
    }
    for (Row r : rows(store.query(SUMMARY_SQL, params))) {
      out.add(
          series(
              r,
              PromType.SUMMARY,
              new StoredSeries.Summary(
                  r.doubles("quantiles"), r.doubles("qvalues"), r.dbl("total"), r.lng("count"))));
    }
    return out;
  }

  /** Of the groups a delta histogram may have (one per bucket layout), keeps the newest. */
  private static List<StoredSeries> histograms(List<Row> rows) {
    Map<List<Object>, Row> newest = new HashMap<>();
    List<List<Object>> order = new ArrayList<>();
    for (Row r : rows) {
      List<Object> key =
          List.of(
              r.get("MetricName"),
              r.get("MetricUnit"),
              r.get("ServiceName"),
              r.get("namespace"),
              r.get("instance"),
              r.get("ScopeName"),
              r.get("Attributes"),
              r.get("delta"));
      Row seen = newest.get(key);
      if (seen == null) {
        order.add(key);
        newest.put(key, r);
      } else if (((Instant) r.get("last")).isAfter((Instant) seen.get("last"))) {
        newest.put(key, r);
      }
    }
    List<StoredSeries> out = new ArrayList<>(order.size());
    for (List<Object> key : order) {
      Row r = newest.get(key);
      out.add(
          series(
              r,
              PromType.HISTOGRAM,
              new StoredSeries.Histogram(
                  r.doubles("bounds"), r.longs("bucket_counts"), r.dbl("total"), r.lng("count"))));
    }
    return out;
  }

  private static StoredSeries series(Row r, PromType type, StoredSeries.Point point) {
    String namespace = r.str("namespace");
    String service = r.str("ServiceName");
    String job = namespace.isEmpty() || service.isEmpty() ? service : namespace + "/" + service;
    return new StoredSeries(
        r.str("MetricName"),
        r.str("MetricUnit"),
        r.str("description"),
        type,
        job,
        r.str("instance"),
        r.str("ScopeName"),
        r.stringMap("Attributes"),
        point);
  }

  static long epochNanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  private static List<Row> rows(QueryResult result) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < result.columnNames().size(); i++) {
      index.put(result.columnNames().get(i), i);
    }
    List<Row> out = new ArrayList<>(result.rows().size());
    for (List<Object> values : result.rows()) {
      out.add(new Row(index, values));
    }
    return out;
  }

  private record Row(Map<String, Integer> index, List<Object> values) {
    Object get(String column) {
      Integer i = index.get(column);
      if (i == null) {
        throw new IllegalStateException("column " + column + " missing from " + index.keySet());
      }
      return values.get(i);
    }

    String str(String column) {
      Object v = get(column);
      return v == null ? "" : v.toString();
    }

    double dbl(String column) {
      return ((Number) get(column)).doubleValue();
    }

    long lng(String column) {
      return ((Number) get(column)).longValue();
    }

    boolean bool(String column) {
      Object v = get(column);
      return v instanceof Boolean b ? b : ((Number) v).intValue() != 0;
    }

    List<Double> doubles(String column) {
      List<Double> out = new ArrayList<>();
      for (Object o : (List<?>) get(column)) {
        out.add(((Number) o).doubleValue());
      }
      return out;
    }

    List<Long> longs(String column) {
      List<Long> out = new ArrayList<>();
      for (Object o : (List<?>) get(column)) {
        out.add(((Number) o).longValue());
      }
      return out;
    }

    Map<String, String> stringMap(String column) {
      Map<String, String> out = new HashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) get(column)).entrySet()) {
        out.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
      }
      return out;
    }
  }
}
