package io.tskotel.collector.query;

import static java.util.Objects.requireNonNull;

import io.tskotel.exporter.AlertRecord;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import io.tskotel.collector.query.internal.MetricSql;
import io.tskotel.collector.query.internal.ServiceSql;
import io.tskotel.collector.query.internal.Values;
import io.tskotel.collector.query.internal.WholeMinutes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * The seed's query and dashboard functions over the store: what the HTTP and gRPC APIs, the CLI and the TSK
 * fujsen registry call. Windows end at the injected clock's now. Thread-safe.
 */
public final class QueryFunctions {
  /** How far back server spans make a window without requests a quiet one (0) rather than no data. */
  private static final Duration IDLE_LOOKBACK = Duration.ofHours(1);

  private final TelemetryStore store;
  private final Clock clock;
  private final QueryConfig config;
  private final MetricQueries metrics;
  private final SqlFujsens sqlFujsen;
  private final MetricsExposition exposition;
  private final LogQueries logs;
  private final TraceQueries traces;
  private final boolean rollups;
  private final boolean concurrentDashboard;

  /**
   * Runs half of each dashboard call; threads are created on demand and end after a minute idle. Daemons:
   * nothing to shut down.
   */
  private static final ExecutorService DASHBOARD_THREADS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "tskotel-dashboard");
            t.setDaemon(true);
            return t;
          });

  private QueryFunctions(Builder b) {
    this.store = requireNonNull(b.store, "store");
    this.clock = b.clock;
    this.config = b.config;
    this.rollups = b.rollups;
    this.concurrentDashboard =
        b.concurrentDashboard != null ? b.concurrentDashboard : config.concurrentDashboard();
    this.metrics = MetricQueries.create(store, clock, config, rollups);
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
   * QueryConfig#requestsMetric()} increase that the {@link QueryConfig#errorsMetric()} increase makes up.
   * Null when there were no requests to divide by: no data is not 0 %.
   */
  public @Nullable Double errorRate(Duration window) throws StoreException {
    return errorRateMeasured(window).value();
  }

  /**
   * Requests per second over the window: server spans, else the {@link QueryConfig#requestsMetric()}
   * increase, divided by the window's length in seconds (as the seed divides by 60). 0 when neither has data
   * in the window but server spans arrived in the hour before (a quiet minute); null when there is nothing.
   */
  public @Nullable Double requestRate(Duration window) throws StoreException {
    return requestRateMeasured(window).value();
  }

  /** A value and where it came from ({@link DashboardData#SPANS} or {@code metric:<name>}); both null for none. */
  private record Measured(@Nullable Double value, @Nullable String source) {
    static final Measured NONE = new Measured(null, null);
  }

  private record Rates(Measured requests, Measured errors) {}

  private Measured errorRateMeasured(Duration window) throws StoreException {
    Instant now = clock.instant();
    Instant from = now.minus(checkWindow(window));
    Map<String, Object> params = window(from, now);
    params.put("threshold", (long) config.errorStatusThreshold());
    if (rollups) {
      // The dashboard's statement without its request rate (a rate window starting now counts nothing).
      params.put("rate_from_ns", MetricQueries.nanos(now));
      WholeMinutes.put(params, from, now);
      List<Object> row = first(store.query(ServiceSql.RATE_AND_ERROR_ROLLUP, params));
      return row == null
          ? errorRateFrom(0, 0, from, now)
          : errorRateFrom(Values.toLong(row.get(1)), Values.toLong(row.get(2)), from, now);
    }
    List<Object> row = first(store.query(ServiceSql.ERROR_COUNTS, params));
    return row == null
        ? errorRateFrom(0, 0, from, now)
        : errorRateFrom(Values.toLong(row.get(0)), Values.toLong(row.get(1)), from, now);
  }

  /** The error rate from the server spans counted in the window, else from the request and error counters. */
  private Measured errorRateFrom(long spans, long failed, Instant from, Instant now) throws StoreException {
    if (spans > 0) {
      return new Measured(100.0 * failed / spans, DashboardData.SPANS);
    }
    Double requests = metrics.increaseIfAny(config.requestsMetric(), from, now, Map.of());
    if (requests == null || requests <= 0) {
      return Measured.NONE;
    }
    // An errors counter that never reported counted no errors (SDKs create it on the first error).
    double errors = metrics.increase(config.errorsMetric(), from, now, Map.of());
    return new Measured(
        100.0 * errors / requests, DashboardData.metricSource(config.resolveMetric(config.requestsMetric())));
  }

  private Measured requestRateMeasured(Duration window) throws StoreException {
    Instant now = clock.instant();
    Instant from = now.minus(checkWindow(window));
    List<Object> row = first(store.query(ServiceSql.REQUEST_COUNT, window(from, now)));
    return requestRateFrom(row == null ? 0 : Values.toLong(row.get(0)), window, from, now);
  }

  /** The request rate from the server spans counted in the window, else from the requests counter. */
  private Measured requestRateFrom(long spans, Duration window, Instant from, Instant now)
      throws StoreException {
    double seconds = window.toNanos() / 1e9;
    if (spans > 0) {
      return new Measured(spans / seconds, DashboardData.SPANS);
    }
    Double requests = metrics.increaseIfAny(config.requestsMetric(), from, now, Map.of());
    if (requests != null) {
      return new Measured(
          requests / seconds, DashboardData.metricSource(config.resolveMetric(config.requestsMetric())));
    }
    // An app that served requests in the last hour and none in the window had a quiet window: 0, not no data.
    if (window.compareTo(IDLE_LOOKBACK) < 0) {
      List<Object> recent = first(store.query(ServiceSql.REQUEST_COUNT, window(now.minus(IDLE_LOOKBACK), now)));
      if (recent != null && Values.toLong(recent.get(0)) > 0) {
        return new Measured(0.0, DashboardData.SPANS);
      }
    }
    return Measured.NONE;
  }

  /**
   * The dashboard's request rate (over {@code rateWindow}) and error rate (over {@code errorWindow}, which
   * holds it) from one pass over the server spans of {@code errorWindow}: one scan instead of two, and the
   * same instant ends both windows.
   */
  private Rates requestAndErrorRates(Duration rateWindow, Duration errorWindow) throws StoreException {
    Instant now = clock.instant();
    Instant errorFrom = now.minus(checkWindow(errorWindow));
    Instant rateFrom = now.minus(checkWindow(rateWindow));
    Map<String, Object> params = window(errorFrom, now);
    params.put("rate_from_ns", MetricQueries.nanos(rateFrom));
    params.put("threshold", (long) config.errorStatusThreshold());
    List<Object> row;
    if (rollups) {
      WholeMinutes.put(params, errorFrom, now);
      row = first(store.query(ServiceSql.RATE_AND_ERROR_ROLLUP, params));
    } else {
      row = first(store.query(ServiceSql.RATE_AND_ERROR_COUNTS, params));
    }
    long rateSpans = row == null ? 0 : Values.toLong(row.get(0));
    long errorSpans = row == null ? 0 : Values.toLong(row.get(1));
    long failed = row == null ? 0 : Values.toLong(row.get(2));
    return new Rates(
        requestRateFrom(rateSpans, rateWindow, rateFrom, now), errorRateFrom(errorSpans, failed, errorFrom, now));
  }

  /**
   * Average response time over the window in milliseconds: the {@code name} metric when it has points there
   * (converted from the unit they declare: {@code s} when they declare none, as the seed records it), else
   * the average duration of server spans.
   */
  private Measured responseTimeMs(String name, Duration window) throws StoreException {
    Instant now = clock.instant();
    Instant from = now.minus(checkWindow(window));
    List<Double> metric = metrics.getMetrics(name, TimeRange.of(window), Aggregation.AVG, Map.of(), false);
    if (!metric.isEmpty() && !Double.isNaN(metric.get(0))) {
      double toMs = millisPer(metrics.unit(name, from, now));
      return new Measured(metric.get(0) * toMs, DashboardData.metricSource(config.resolveMetric(name)));
    }
    if (rollups) {
      // (spans, sum of their durations in ns): whole minutes from the rollup, the partial ones raw
      Map<String, Object> params = window(from, now);
      WholeMinutes.put(params, from, now);
      List<Object> row = first(store.query(ServiceSql.DURATION_ROLLUP, params));
      if (row == null || Values.toLong(row.get(0)) == 0) {
        return Measured.NONE;
      }
      return new Measured(Values.toDouble(row.get(1)) / Values.toLong(row.get(0)) / 1e6, DashboardData.SPANS);
    }
    List<Object> row = first(store.query(ServiceSql.AVG_DURATION, window(from, now)));
    if (row == null || Values.toLong(row.get(0)) == 0) {
      return Measured.NONE;
    }
    return new Measured(Values.toDouble(row.get(1)) / 1e6, DashboardData.SPANS);
  }

  /** Milliseconds in one of the UCUM time units OTel metrics declare; seconds when none is declared. */
  static double millisPer(@Nullable String unit) {
    return switch (unit == null ? "" : unit) {
      case "ms" -> 1;
      case "us", "µs" -> 1e-3;
      case "ns" -> 1e-6;
      case "min" -> 60_000;
      default -> 1000;
    };
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

  /**
   * The {@link QueryConfig#revenueMetric()} counter's increase since midnight in {@link QueryConfig#zone()};
   * null when it has no point today.
   */
  public @Nullable Double revenueToday() throws StoreException {
    Instant now = clock.instant();
    Instant midnight = now.atZone(config.zone()).toLocalDate().atStartOfDay(config.zone()).toInstant();
    return metrics.increaseIfAny(config.revenueMetric(), midnight, now, Map.of());
  }

  /**
   * Percent of payments in the window that succeeded: the {@link QueryConfig#paymentsMetric()} increase with
   * {@link QueryConfig#paymentOutcomeLabel()} = {@link QueryConfig#paymentSuccessValue()} over its whole
   * increase; with no such counter data, the average of the {@link QueryConfig#paymentSuccessRateGauge()}
   * gauge over the window; null when neither has data (no payments is not a 0 % success rate).
   */
  public @Nullable Double paymentSuccessRate(Duration window) throws StoreException {
    Instant now = clock.instant();
    Instant from = now.minus(checkWindow(window));
    Double total = metrics.increaseIfAny(config.paymentsMetric(), from, now, Map.of());
    if (total != null && total > 0) {
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
            config.paymentSuccessRateGauge(), TimeRange.of(window), Aggregation.AVG, Map.of(), false);
    return gauge.isEmpty() || Double.isNaN(gauge.get(0)) ? null : gauge.get(0);
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

  /**
   * The seed's {@code generate_dashboard_data}, metric names from {@link QueryConfig#dashboard()}; null
   * for every value without data, each application value with the source it came from.
   */
  public DashboardData dashboardData() throws StoreException {
    if (!concurrentDashboard) {
      Rates rates = requestAndErrorRates(Duration.ofMinutes(1), Duration.ofMinutes(5));
      List<AlertRecord> alerts = recentAlerts(Duration.ofHours(1), 10);
      return dashboard(rates, alerts, metricFigures());
    }
    // Two halves of about equal cost side by side (the rates' statement against the ~10 small metric
    // statements), each on its own read connection: the embedded engine keeps its read-only connections
    // apart from the writers', so ingest keeps its own.
    Future<MetricFigures> other = DASHBOARD_THREADS.submit(this::metricFigures);
    Rates rates;
    List<AlertRecord> alerts;
    try {
      rates = requestAndErrorRates(Duration.ofMinutes(1), Duration.ofMinutes(5));
      alerts = recentAlerts(Duration.ofHours(1), 10);
    } catch (StoreException | RuntimeException | Error e) {
      other.cancel(true);
      throw e;
    }
    return dashboard(rates, alerts, join(other));
  }

  /** The dashboard's figures that come from metrics (or, for the response time, from span durations). */
  private record MetricFigures(
      DashboardData.SystemMetrics system,
      Measured responseTime,
      @Nullable Double activeUsers,
      DashboardData.BusinessMetrics business) {}

  private MetricFigures metricFigures() throws StoreException {
    QueryConfig.DashboardMetrics names = config.dashboard();
    TimeRange hour = TimeRange.of(Duration.ofHours(1));
    TimeRange day = TimeRange.of(Duration.ofHours(24));
    var system =
        new DashboardData.SystemMetrics(
            one(names.cpuUsage(), hour, Aggregation.AVG),
            one(names.memoryUsage(), hour, Aggregation.AVG),
            one(names.diskUsage(), hour, Aggregation.AVG),
            systemReporters(names, Duration.ofHours(1)));
    Measured responseTime = responseTimeMs(names.responseTime(), Duration.ofHours(1));
    Double activeUsers = one(names.activeUsers(), hour, Aggregation.MAX);
    var business =
        new DashboardData.BusinessMetrics(
            revenueToday(),
            one(names.userRegistrations(), day, Aggregation.SUM),
            paymentSuccessRate(Duration.ofHours(24)));
    return new MetricFigures(system, responseTime, activeUsers, business);
  }

  private DashboardData dashboard(Rates rates, List<AlertRecord> alerts, MetricFigures m) {
    Measured requests = rates.requests();
    Measured errors = rates.errors();
    var application =
        new DashboardData.ApplicationMetrics(
            requests.value(),
            errors.value(),
            m.responseTime().value(),
            m.activeUsers(),
            requests.source(),
            errors.source(),
            m.responseTime().source());
    Instant now = clock.instant();
    return new DashboardData(
        m.system(), application, m.business(), alerts, now.getEpochSecond() + now.getNano() / 1e9);
  }

  /** The other half's result, its failure rethrown as it was thrown there. */
  private static <T> T join(Future<T> f) throws StoreException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw StoreException.retryable("interrupted while waiting for the dashboard's metric figures", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof StoreException s) {
        throw s;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }

  private List<DashboardData.Reporter> systemReporters(
      QueryConfig.DashboardMetrics names, Duration window) throws StoreException {
    Instant now = clock.instant();
    Map<String, Object> params = window(now.minus(window), now);
    params.put("cpu", config.resolveMetric(names.cpuUsage()));
    params.put("memory", config.resolveMetric(names.memoryUsage()));
    params.put("disk", config.resolveMetric(names.diskUsage()));
    List<DashboardData.Reporter> out = new ArrayList<>();
    for (List<Object> row : store.query(MetricSql.SYSTEM_REPORTERS, params).rows()) {
      out.add(
          new DashboardData.Reporter(
              Values.toStr(row.get(0)), Values.toStr(row.get(1)), Values.toStr(row.get(2))));
    }
    return out;
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
    // Kind first: the dashboard's names are often counters, histograms or absent (see MetricQueries).
    List<Double> v = metrics.getMetrics(name, range, agg, Map.of(), false);
    return v.isEmpty() || Double.isNaN(v.get(0)) ? null : v.get(0);
  }

  private static Duration checkWindow(Duration window) {
    requireNonNull(window, "window");
    if (window.isNegative() || window.isZero() || window.compareTo(Duration.ofDays(3660)) > 0) {
      throw new IllegalArgumentException("window: " + window + " (expected: > 0 and <= 3660d)");
    }
    return window;
  }

  private Map<String, Object> window(Instant from, Instant to) {
    return Times.rangeParams(config.database(), from, to);
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
    private boolean rollups = true;
    private @Nullable Boolean concurrentDashboard;

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

    /**
     * Whether gauge aggregates and the dashboard's span figures read the per-minute rollups of migration 6
     * (default true). False reads every raw row: the same answers, slower; for comparisons.
     */
    public Builder rollups(boolean rollups) {
      this.rollups = rollups;
      return this;
    }

    /**
     * Whether {@link #dashboardData()} runs its span figures and its metric figures side by side, on two
     * of the store's read connections; default {@link QueryConfig#concurrentDashboard()} ({@code [query]
     * concurrent_dashboard}, true). The answers are the same either way (docs/performance.md, "Query
     * latency").
     */
    public Builder concurrentDashboard(boolean concurrentDashboard) {
      this.concurrentDashboard = concurrentDashboard;
      return this;
    }

    public QueryFunctions build() {
      return new QueryFunctions(this);
    }
  }
}
