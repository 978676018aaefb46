package io.tskotel.collector.query;

import static java.util.Objects.requireNonNull;

import io.tskotel.exporter.AlertRecord;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import io.tskotel.collector.query.internal.ServiceSql;
import io.tskotel.collector.query.internal.Values;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The seed's query and dashboard functions over the store: what the HTTP and gRPC APIs, the CLI and the TSK
 * fujsen registry call. Windows end at the injected clock's now. Thread-safe.
 */
public final class QueryFunctions {
  private final TelemetryStore store;
  private final Clock clock;
  private final QueryConfig config;
  private final MetricQueries metrics;
  private final SqlFujsens sqlFujsen;
  private final MetricsExposition exposition;
  private final LogQueries logs;
  private final TraceQueries traces;

  private QueryFunctions(Builder b) {
    this.store = requireNonNull(b.store, "store");
    this.clock = b.clock;
    this.config = b.config;
    this.metrics = MetricQueries.create(store, clock, config);
    this.sqlFujsen = b.sqlFujsen != null ? b.sqlFujsen : SqlFujsens.of(List.of(), store, config);
    this.exposition = b.exposition != null ? b.exposition : MetricsExposition.seed(this);
    this.logs = LogQueries.create(store, clock, config);
    this.traces = new TraceQueries(store, clock, config, logs);
  }

  public static Builder builder(TelemetryStore store) {
    return new Builder(store);
  }

  public QueryConfig config() {
    return config;
  }

  public Clock clock() {
    return clock;
  }

  public MetricQueries metrics() {
    return metrics;
  }

  public SqlFujsens sqlFujsen() {
    return sqlFujsen;
  }

  /** The trace explorer: search and one trace. */
  public TraceQueries traces() {
    return traces;
  }

  /** The log explorer. */
  public LogQueries logs() {
    return logs;
  }

  /** See {@link MetricQueries#getMetrics(String, String, String, Map)}. */
  public List<Double> getMetrics(
      String name, String range, String aggregation, Map<String, String> labels)
      throws StoreException {
    return metrics.getMetrics(name, range, aggregation, labels);
  }

  /**
   * Percent of server spans in the window that failed: status Error, or an HTTP status at or above {@link
   * QueryConfig#errorStatusThreshold()}. With no server span in the window, percent of the {@link
   * QueryConfig#requestsMetric()} increase that the {@link QueryConfig#errorsMetric()} increase makes up. 0
   * when there were no requests at all (as the seed).
   */
  public double errorRate(Duration window) throws StoreException {
    Instant now = clock.instant();
    Instant from = now.minus(checkWindow(window));
    Map<String, Object> params = window(from, now);
    params.put("threshold", (long) config.errorStatusThreshold());
    List<Object> row = first(store.query(ServiceSql.ERROR_COUNTS, params));
    long total = row == null ? 0 : Values.toLong(row.get(0));
    if (total > 0) {
      return 100.0 * Values.toLong(row.get(1)) / total;
    }
    double requests = metrics.increase(config.requestsMetric(), from, now, Map.of());
    if (requests <= 0) {
      return 0;
    }
    return 100.0 * metrics.increase(config.errorsMetric(), from, now, Map.of()) / requests;
  }

  /**
   * Requests per second over the window: server spans, else the {@link QueryConfig#requestsMetric()}
   * increase, divided by the window's length in seconds (as the seed divides by 60).
   */
  public double requestRate(Duration window) throws StoreException {
    Instant now = clock.instant();
    Instant from = now.minus(checkWindow(window));
    List<Object> row = first(store.query(ServiceSql.REQUEST_COUNT, window(from, now)));
    double requests = row == null ? 0 : Values.toLong(row.get(0));
    if (requests == 0) {
      requests = metrics.increase(config.requestsMetric(), from, now, Map.of());
    }
    return requests / (window.toNanos() / 1e9);
  }

  /** Server-span latency per service and route over the window, ordered by service then route. */
  public List<LatencyStats> latency(Duration window) throws StoreException {
    Instant now = clock.instant();
    Map<String, Object> params = window(now.minus(checkWindow(window)), now);
    params.put("threshold", (long) config.errorStatusThreshold());
    QueryResult r = store.query(ServiceSql.LATENCY, params);
    List<LatencyStats> out = new ArrayList<>(r.rows().size());
    for (List<Object> row : r.rows()) {
      List<Double> q = Values.toDoubles(row.get(5));
      out.add(
          new LatencyStats(
              Values.toStr(row.get(0)),
              Values.toStr(row.get(1)),
              Values.toLong(row.get(2)),
              Values.toLong(row.get(3)),
              Values.toDouble(row.get(4)) / 1e6,
              q.get(0) / 1e6,
              q.get(1) / 1e6,
              q.get(2) / 1e6,
              q.get(3) / 1e6,
              Values.toDouble(row.get(6)) / 1e6));
    }
    return List.copyOf(out);
  }

  /** The {@link QueryConfig#revenueMetric()} counter's increase since midnight in {@link QueryConfig#zone()}. */
  public double revenueToday() throws StoreException {
    Instant now = clock.instant();
    Instant midnight = now.atZone(config.zone()).toLocalDate().atStartOfDay(config.zone()).toInstant();
    return metrics.increase(config.revenueMetric(), midnight, now, Map.of());
  }

  /**
   * Percent of payments in the window that succeeded: the {@link QueryConfig#paymentsMetric()} increase with
   * {@link QueryConfig#paymentOutcomeLabel()} = {@link QueryConfig#paymentSuccessValue()} over its whole
   * increase; with no such counter data, the average of the {@link QueryConfig#paymentSuccessRateGauge()}
   * gauge over the window; 0 when neither has data (as the seed).
   */
  public double paymentSuccessRate(Duration window) throws StoreException {
    Instant now = clock.instant();
    Instant from = now.minus(checkWindow(window));
    double total = metrics.increase(config.paymentsMetric(), from, now, Map.of());
    if (total > 0) {
      double ok =
          metrics.increase(
              config.paymentsMetric(),
              from,
              now,
              Map.of(config.paymentOutcomeLabel(), config.paymentSuccessValue()));
      return 100.0 * ok / total;
    }
    List<Double> gauge =
        metrics.getMetrics(
            config.paymentSuccessRateGauge(), TimeRange.of(window), Aggregation.AVG, Map.of());
    return gauge.isEmpty() ? 0 : gauge.get(0);
  }

  /** Alerts raised in the window, newest first, at most {@code limit} (the seed: 1h, 10). */
  public List<AlertRecord> recentAlerts(Duration since, int limit) throws StoreException {
    if (limit <= 0 || limit > 10_000) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: 1..10000)");
    }
    Instant now = clock.instant();
    Map<String, Object> params = window(now.minus(checkWindow(since)), now);
    params.put("limit", (long) limit);
    QueryResult r = store.query(ServiceSql.RECENT_ALERTS, params);
    List<AlertRecord> out = new ArrayList<>(r.rows().size());
    for (List<Object> row : r.rows()) {
      out.add(
          new AlertRecord(
              Values.toInstant(row.get(5)),
              Values.toStr(row.get(0)),
              Values.toStr(row.get(1)),
              Values.toStr(row.get(2)),
              Values.toDouble(row.get(3)),
              Values.toDouble(row.get(4)),
              Values.toStringMap(row.get(6)),
              Values.toStr(row.get(7)),
              Values.toStr(row.get(8)),
              Values.toInstant(row.get(9)),
              AlertRecord.resolvedAt(Values.toInstant(row.get(10)))));
    }
    return List.copyOf(out);
  }

  /** The seed's {@code generate_dashboard_data}, metric names from {@link QueryConfig#dashboard()}. */
  public DashboardData dashboardData() throws StoreException {
    QueryConfig.DashboardMetrics names = config.dashboard();
    TimeRange hour = TimeRange.of(Duration.ofHours(1));
    TimeRange day = TimeRange.of(Duration.ofHours(24));
    var system =
        new DashboardData.SystemMetrics(
            one(names.cpuUsage(), hour, Aggregation.AVG),
            one(names.memoryUsage(), hour, Aggregation.AVG),
            one(names.diskUsage(), hour, Aggregation.AVG));
    var application =
        new DashboardData.ApplicationMetrics(
            requestRate(Duration.ofMinutes(1)),
            errorRate(Duration.ofMinutes(5)),
            one(names.responseTime(), hour, Aggregation.AVG),
            one(names.activeUsers(), hour, Aggregation.MAX));
    var business =
        new DashboardData.BusinessMetrics(
            revenueToday(),
            one(names.userRegistrations(), day, Aggregation.SUM),
            paymentSuccessRate(Duration.ofHours(24)));
    List<AlertRecord> alerts = recentAlerts(Duration.ofHours(1), 10);
    Instant now = clock.instant();
    return new DashboardData(
        system, application, business, alerts, now.getEpochSecond() + now.getNano() / 1e9);
  }

  /** The seed's {@code export_metrics}: Prometheus text from the configured {@link MetricsExposition}. */
  public String exportMetrics() throws StoreException {
    return exposition.render();
  }

  /** Runs a SQL fujsen; see {@link SqlFujsens#run}. */
  public QueryResult runSqlFujsen(String name, Map<String, String> args) throws StoreException {
    return sqlFujsen.run(name, args);
  }

  private @Nullable Double one(String name, TimeRange range, Aggregation agg) throws StoreException {
    List<Double> v = metrics.getMetrics(name, range, agg, Map.of());
    return v.isEmpty() ? null : v.get(0);
  }

  private static Duration checkWindow(Duration window) {
    requireNonNull(window, "window");
    if (window.isNegative() || window.isZero() || window.compareTo(Duration.ofDays(3660)) > 0) {
      throw new IllegalArgumentException("window: " + window + " (expected: > 0 and <= 3660d)");
    }
    return window;
  }

  private Map<String, Object> window(Instant from, Instant to) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("db", config.database());
    p.put("from_ns", MetricQueries.nanos(from));
    p.put("to_ns", MetricQueries.nanos(to));
    return p;
  }

  private static @Nullable List<Object> first(QueryResult r) {
    return r.rows().isEmpty() ? null : r.rows().get(0);
  }

  public static final class Builder {
    private final TelemetryStore store;
    private Clock clock = Clock.systemUTC();
    private QueryConfig config = QueryConfig.defaults();
    private @Nullable SqlFujsens sqlFujsen;
    private @Nullable MetricsExposition exposition;

    private Builder(TelemetryStore store) {
      this.store = requireNonNull(store, "store");
    }

    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    public Builder config(QueryConfig config) {
      this.config = requireNonNull(config, "config");
      return this;
    }

    public Builder sqlFujsen(SqlFujsens sqlFujsen) {
      this.sqlFujsen = requireNonNull(sqlFujsen, "sqlFujsen");
      return this;
    }

    /** The Prometheus renderer behind {@code export_metrics}; default {@link MetricsExposition#seed}. */
    public Builder exposition(MetricsExposition exposition) {
      this.exposition = requireNonNull(exposition, "exposition");
      return this;
    }

    public QueryFunctions build() {
      return new QueryFunctions(this);
    }
  }
}
