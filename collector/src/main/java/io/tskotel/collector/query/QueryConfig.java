package io.tskotel.collector.query;

import static java.util.Objects.requireNonNull;

import static io.tskotel.tsk.ValueType.BOOLEAN;
import static io.tskotel.tsk.ValueType.DURATION;
import static io.tskotel.tsk.ValueType.INT;
import static io.tskotel.tsk.ValueType.STRING;

import io.tskotel.tsk.Instrument;
import io.tskotel.tsk.SettingsReader;
import io.tskotel.tsk.Tsk;
import io.tskotel.tsk.ValueType;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the query functions need to know about the data they read: which metric names mean requests, errors,
 * revenue and payments, which HTTP status counts as an error, and the business time zone. Defaults follow the seed document. Build with {@link #builder()}; {@link Builder#build()} reports
 * every invalid field at once.
 *
 * @param database the database holding the OTel tables (the store's, {@code otel} by default)
 * @param errorStatusThreshold a server span whose {@code http.response.status_code} is at least this counts
 *     as an error (the seed: 400)
 * @param requestsMetric counter of requests, used by the rates when there are no server spans
 * @param errorsMetric counter of failed requests, used by the error rate when there are no server spans
 * @param revenueMetric monotonic counter of payment revenue, for {@code revenueToday}
 * @param paymentsMetric monotonic counter of payment attempts, with {@code paymentOutcomeLabel}
 * @param paymentOutcomeLabel attribute of {@code paymentsMetric} telling whether a payment succeeded
 * @param paymentSuccessValue value of {@code paymentOutcomeLabel} for a successful payment
 * @param paymentSuccessRateGauge gauge (percent) used when {@code paymentsMetric} has no points
 * @param zone where "today" starts for {@code revenueToday}
 * @param metricAliases TSK instrument keys to metric names ({@code response_time} to
 *     {@code response_time_seconds}): {@code getMetrics} accepts either
 * @param dashboard metric names the dashboard reads (before aliasing)
 * @param counterLookback how far before a window a cumulative series' previous point (the baseline of its
 *     first increase in the window) is looked for; longer covers slower exporters, shorter reads less
 * @param explorerMaxRange the longest time range one trace or log search may cover ({@code from}..{@code to})
 * @param explorerMaxRows the most spans one trace shows, and the most logs shown with it
 * @param concurrentDashboard whether {@code dashboardData} runs its two halves (the span rates and alerts;
 *     the ~10 metric statements) side by side on two of the store's read connections rather than one after
 *     the other; the answers are the same (docs/performance.md, "Query latency")
 */
public record QueryConfig(
    String database,
    int errorStatusThreshold,
    String requestsMetric,
    String errorsMetric,
    String revenueMetric,
    String paymentsMetric,
    String paymentOutcomeLabel,
    String paymentSuccessValue,
    String paymentSuccessRateGauge,
    ZoneId zone,
    Map<String, String> metricAliases,
    DashboardMetrics dashboard,
    Duration counterLookback,
    Duration explorerMaxRange,
    int explorerMaxRows,
    boolean concurrentDashboard) {

  /**
   * The metric names behind each dashboard field (the seed's {@code generate_dashboard_data}); each may be a
   * TSK instrument key resolved through {@link QueryConfig#metricAliases()}.
   */
  public record DashboardMetrics(
      String cpuUsage,
      String memoryUsage,
      String diskUsage,
      String responseTime,
      String activeUsers,
      String userRegistrations,
      String paymentSuccessRate) {
    public static final DashboardMetrics SEED =
        new DashboardMetrics(
            "cpu_usage",
            "memory_usage",
            "disk_usage",
            "response_time",
            "daily_active_users",
            "user_registrations",
            "payment_success_rate");

    public DashboardMetrics {
      requireNonNull(cpuUsage, "cpuUsage");
      requireNonNull(memoryUsage, "memoryUsage");
      requireNonNull(diskUsage, "diskUsage");
      requireNonNull(responseTime, "responseTime");
      requireNonNull(activeUsers, "activeUsers");
      requireNonNull(userRegistrations, "userRegistrations");
      requireNonNull(paymentSuccessRate, "paymentSuccessRate");
    }
  }

  public QueryConfig {
    requireNonNull(database, "database");
    requireNonNull(requestsMetric, "requestsMetric");
    requireNonNull(errorsMetric, "errorsMetric");
    requireNonNull(revenueMetric, "revenueMetric");
    requireNonNull(paymentsMetric, "paymentsMetric");
    requireNonNull(paymentOutcomeLabel, "paymentOutcomeLabel");
    requireNonNull(paymentSuccessValue, "paymentSuccessValue");
    requireNonNull(paymentSuccessRateGauge, "paymentSuccessRateGauge");
    requireNonNull(zone, "zone");
    requireNonNull(dashboard, "dashboard");
    requireNonNull(counterLookback, "counterLookback");
    requireNonNull(explorerMaxRange, "explorerMaxRange");
    metricAliases = Map.copyOf(requireNonNull(metricAliases, "metricAliases"));
    List<String> errors = validate(database, errorStatusThreshold, counterLookback);
    if (explorerMaxRange.isNegative() || explorerMaxRange.isZero() || explorerMaxRange.compareTo(MAX_RANGE) > 0) {
      errors.add("explorerMaxRange: " + explorerMaxRange + " (expected: > 0 and <= 366d)");
    }
    if (explorerMaxRows < 1 || explorerMaxRows > MAX_ROWS) {
      errors.add("explorerMaxRows: " + explorerMaxRows + " (expected: 1.." + MAX_ROWS + ")");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid query config: " + String.join("; ", errors));
    }
  }

  private static List<String> validate(
      String database, int errorStatusThreshold, Duration counterLookback) {
    List<String> errors = new ArrayList<>();
    if (counterLookback.isNegative() || counterLookback.compareTo(MAX_LOOKBACK) > 0) {
      errors.add("counterLookback: " + counterLookback + " (expected: 0..366d)");
    }
    if (!database.matches("[A-Za-z_][A-Za-z0-9_]{0,127}")) {
      errors.add("database: \"" + database + "\" (expected: letters, digits and _)");
    }
    if (errorStatusThreshold < 100 || errorStatusThreshold > 599) {
      errors.add("errorStatusThreshold: " + errorStatusThreshold + " (expected: 100..599)");
    }
    return errors;
  }

  /**
   * A builder holding TSK instrument keys as aliases and the {@code [query]} section: {@code
   * error_status_threshold} (400), {@code requests_metric}, {@code errors_metric}, {@code revenue_metric},
   * {@code payments_metric}, {@code payment_outcome_label}, {@code payment_success_value}, {@code
   * payment_success_rate_gauge}, {@code time_zone} (UTC), {@code counter_lookback} (1h), {@code
   * explorer_max_range} (7d), {@code explorer_max_rows} (10000), {@code concurrent_dashboard} (true). Bad
   * values are errors
   * in {@code r} and yield the default; the caller sets the database (the store's).
   */
  public static Builder read(SettingsReader r) {
    QueryConfig d = defaults();
    SettingsReader.Section s = r.section("query");
    Map<String, String> aliases = new LinkedHashMap<>();
    for (Instrument i : r.tsk().instruments()) {
      aliases.putIfAbsent(i.key(), i.name());
    }
    return builder()
        .metricAliases(aliases)
        .errorStatusThreshold(s.get("error_status_threshold", INT, d.errorStatusThreshold(),
            v -> v >= 100 && v <= 599, "100..599"))
        .requestsMetric(s.get("requests_metric", STRING, d.requestsMetric()))
        .errorsMetric(s.get("errors_metric", STRING, d.errorsMetric()))
        .revenueMetric(s.get("revenue_metric", STRING, d.revenueMetric()))
        .paymentsMetric(s.get("payments_metric", STRING, d.paymentsMetric()))
        .paymentOutcomeLabel(s.get("payment_outcome_label", STRING, d.paymentOutcomeLabel()))
        .paymentSuccessValue(s.get("payment_success_value", STRING, d.paymentSuccessValue()))
        .paymentSuccessRateGauge(s.get("payment_success_rate_gauge", STRING, d.paymentSuccessRateGauge()))
        .zone(s.get("time_zone", ZONE, d.zone()))
        .counterLookback(s.get("counter_lookback", DURATION, d.counterLookback(),
            v -> !v.isNegative() && v.compareTo(MAX_LOOKBACK) <= 0, "0..366d"))
        .explorerMaxRange(s.get("explorer_max_range", DURATION, d.explorerMaxRange(),
            v -> v.isPositive() && v.compareTo(MAX_RANGE) <= 0, "> 0 and <= 366d"))
        .explorerMaxRows(s.get("explorer_max_rows", INT, d.explorerMaxRows(),
            v -> v >= 1 && v <= MAX_ROWS, "1.." + MAX_ROWS))
        .concurrentDashboard(s.get("concurrent_dashboard", BOOLEAN, d.concurrentDashboard()));
  }

  /**
   * The configuration {@link #read} gives on {@code database}, from {@code tsk} alone.
   *
   * @throws io.tskotel.tsk.SettingsException listing every bad value
   */
  public static QueryConfig fromTsk(Tsk tsk, String database) {
    return SettingsReader.readOnly(tsk, r -> read(r).database(database).build());
  }

  private static final Duration MAX_LOOKBACK = Duration.ofDays(366);
  private static final Duration MAX_RANGE = Duration.ofDays(366);
  private static final int MAX_ROWS = 1_000_000;

  private static final ValueType<ZoneId> ZONE = (tsk, path) -> {
    String id = tsk.getString(path);
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      throw ValueType.invalid(tsk, path, ValueType.shown(id), "a time zone such as UTC or Europe/Berlin");
    }
  };

  public static QueryConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The metric name behind {@code nameOrKey}: its alias target when it is a TSK instrument key. */
  public String resolveMetric(String nameOrKey) {
    return metricAliases.getOrDefault(nameOrKey, nameOrKey);
  }

  public static final class Builder {
    private String database = "otel";
    private int errorStatusThreshold = 400;
    private String requestsMetric = "requests_total";
    private String errorsMetric = "errors_total";
    private String revenueMetric = "revenue_daily_total";
    private String paymentsMetric = "payments_total";
    private String paymentOutcomeLabel = "success";
    private String paymentSuccessValue = "true";
    private String paymentSuccessRateGauge = "payment_success_rate";
    private ZoneId zone = ZoneId.of("UTC");
    private final Map<String, String> metricAliases = new LinkedHashMap<>();
    private DashboardMetrics dashboard = DashboardMetrics.SEED;
    private Duration counterLookback = Duration.ofHours(1);
    private Duration explorerMaxRange = Duration.ofDays(7);
    private int explorerMaxRows = 10_000;
    private boolean concurrentDashboard = true;

    private Builder() {}

    public Builder database(String v) {
      this.database = v;
      return this;
    }

    public Builder errorStatusThreshold(int v) {
      this.errorStatusThreshold = v;
      return this;
    }

    public Builder requestsMetric(String v) {
      this.requestsMetric = v;
      return this;
    }

    public Builder errorsMetric(String v) {
      this.errorsMetric = v;
      return this;
    }

    public Builder revenueMetric(String v) {
      this.revenueMetric = v;
      return this;
    }

    public Builder paymentsMetric(String v) {
      this.paymentsMetric = v;
      return this;
    }

    public Builder paymentOutcomeLabel(String v) {
      this.paymentOutcomeLabel = v;
      return this;
    }

    public Builder paymentSuccessValue(String v) {
      this.paymentSuccessValue = v;
      return this;
    }

    public Builder paymentSuccessRateGauge(String v) {
      this.paymentSuccessRateGauge = v;
      return this;
    }

    public Builder zone(ZoneId v) {
      this.zone = v;
      return this;
    }

    /** Adds one TSK instrument key → metric name mapping. */
    public Builder metricAlias(String key, String metricName) {
      metricAliases.put(requireNonNull(key, "key"), requireNonNull(metricName, "metricName"));
      return this;
    }

    public Builder metricAliases(Map<String, String> aliases) {
      aliases.forEach(this::metricAlias);
      return this;
    }

    public Builder dashboard(DashboardMetrics v) {
      this.dashboard = v;
      return this;
    }

    public Builder counterLookback(Duration v) {
      this.counterLookback = v;
      return this;
    }

    public Builder explorerMaxRange(Duration v) {
      this.explorerMaxRange = v;
      return this;
    }

    public Builder explorerMaxRows(int v) {
      this.explorerMaxRows = v;
      return this;
    }

    public Builder concurrentDashboard(boolean v) {
      this.concurrentDashboard = v;
      return this;
    }

    public QueryConfig build() {
      return new QueryConfig(
          database,
          errorStatusThreshold,
          requestsMetric,
          errorsMetric,
          revenueMetric,
          paymentsMetric,
          paymentOutcomeLabel,
          paymentSuccessValue,
          paymentSuccessRateGauge,
          zone,
          metricAliases,
          dashboard,
          counterLookback,
          explorerMaxRange,
          explorerMaxRows,
          concurrentDashboard);
    }
  }
}
