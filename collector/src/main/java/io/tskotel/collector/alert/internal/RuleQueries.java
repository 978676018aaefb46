package io.tskotel.collector.alert.internal;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.alert.AlertRule;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import io.tskotel.collector.query.QueryFunctions;
import io.tskotel.collector.query.SqlFujsen;
import io.tskotel.collector.query.SqlFujsens;
import io.tskotel.collector.query.TimeRange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures a rule's value with the query functions: {@code getMetrics} for metric rules (per group value
 * with {@code group_by}), {@code errorRate} for the built-in error rate, the store for SQL fujsen. Every value
 * is bound as a parameter; no SQL is built from configuration.
 */
public final class RuleQueries {
  /** Distinct values of one label of a metric in a window, over every metric table. */
  private static final String GROUP_VALUES;

  static {
    StringBuilder sql = new StringBuilder("SELECT DISTINCT v FROM (");
    List<String> tables = List.of("otel_metrics_gauge", "otel_metrics_sum", "otel_metrics_histogram",
        "otel_metrics_exponential_histogram", "otel_metrics_summary");
    for (int i = 0; i < tables.size(); i++) {
      sql.append(i == 0 ? "" : " UNION ALL ")
          .append("SELECT if(mapContains(Attributes, {key:String}), Attributes[{key:String}],")
          .append(" ResourceAttributes[{key:String}]) AS v FROM {db:Identifier}.")
          .append(tables.get(i))
          .append(" WHERE MetricName = {name:String}")
          .append(" AND TimeUnix >= fromUnixTimestamp64Nano({from_ns:Int64})")
          .append(" AND TimeUnix <= fromUnixTimestamp64Nano({to_ns:Int64})");
    }
    GROUP_VALUES = sql.append(") WHERE v != '' ORDER BY v LIMIT 1000").toString();
  }

  private final QueryFunctions functions;
  private final TelemetryStore store;
  private final String database;

  public RuleQueries(QueryFunctions functions, TelemetryStore store) {
    this.functions = requireNonNull(functions, "functions");
    this.store = requireNonNull(store, "store");
    this.database = functions.config().database();
  }

  /** The rule's values now: one per group (none when the metric has no data in its window). */
  public List<Sample> measure(AlertRule rule) throws StoreException {
    return switch (rule.source()) {
      case AlertRule.Metric m -> metric(rule, m);
      case AlertRule.ErrorRate e -> errorRate(e);
      case AlertRule.Sql s -> sql(rule, s);
    };
  }

  /** No requests in the window is no data (no sample), as for a metric without points. */
  private List<Sample> errorRate(AlertRule.ErrorRate e) throws StoreException {
    Double rate = functions.errorRate(e.window());
    return rate == null ? List.of() : List.of(new Sample(Map.of(), rate));
  }

  private List<Sample> metric(AlertRule rule, AlertRule.Metric m) throws StoreException {
    if (rule.groupBy().isEmpty()) {
      return first(functions.getMetrics(m.metric(), m.range(), m.aggregation(), m.filters()), Map.of());
    }
    String label = rule.groupBy().get(0);
    String key = label.equals("service") ? "service.name" : label;
    Instant now = functions.clock().instant();
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("db", database);
    params.put("key", key);
    params.put("name", functions.config().resolveMetric(m.metric()));
    params.put("from_ns", nanos(TimeRange.parse(m.range()).start(now)));
    params.put("to_ns", nanos(now));
    List<Sample> out = new ArrayList<>();
    for (List<Object> row : store.query(GROUP_VALUES, params).rows()) {
      String value = String.valueOf(row.get(0));
      Map<String, String> filters = new LinkedHashMap<>(m.filters());
      filters.put(key, value);
      out.addAll(first(functions.getMetrics(m.metric(), m.range(), m.aggregation(), filters),
          Map.of(label, value)));
    }
    return out;
  }

  private static List<Sample> first(List<Double> values, Map<String, String> group) {
    return values.isEmpty() ? List.of() : List.of(new Sample(group, values.get(0)));
  }

  private List<Sample> sql(AlertRule rule, AlertRule.Sql s) throws StoreException {
    SqlFujsen f = SqlFujsen.parse(s.section(), s.fujsen(), s.sql()).orElseThrow();
    Instant now = functions.clock().instant();
    Map<String, String> args = new LinkedHashMap<>();
    if (f.params().containsKey("from_ns")) {
      args.put("from_ns", Long.toString(nanos(TimeRange.parse(s.range()).start(now))));
    }
    if (f.params().containsKey("to_ns")) {
      args.put("to_ns", Long.toString(nanos(now)));
    }
    QueryResult r = SqlFujsens.of(List.of(f), store, functions.config()).run(s.section() + "." + s.fujsen(), args);
    List<Sample> out = new ArrayList<>();
    int last = r.columnNames().size() - 1;
    for (List<Object> row : r.rows()) {
      Object v = row.get(last);
      if (v == null) {
        continue;
      }
      Map<String, String> group = new LinkedHashMap<>();
      for (int i = 0; i < last; i++) {
        group.put(r.columnNames().get(i), String.valueOf(row.get(i)));
      }
      out.add(new Sample(group, v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString())));
    }
    return out;
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
