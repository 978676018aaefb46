package io.tskotel.collector.web.charts;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.query.QueryConfig;

/**
 * The metric names the dashboard charts read; the defaults are the seed's names. Gauges: {@code cpu},
 * {@code memory}, {@code disk} (percent), {@code activeUsers}, {@code paymentSuccess} (percent). Counters
 * (monotonic sums, charted as their increase per step): {@code revenue}, {@code registrations}.
 */
public record ChartMetrics(
    String cpu,
    String memory,
    String disk,
    String activeUsers,
    String paymentSuccess,
    String revenue,
    String registrations) {

  public static final ChartMetrics SEED =
      new ChartMetrics(
          "cpu_usage",
          "memory_usage",
          "disk_usage",
          "daily_active_users",
          "payment_success_rate",
          "payment_volume_total",
          "user_registrations_total");

  /**
   * The names the query functions use for the same values (after TSK aliases), so that the dashboard's
   * charts and its current values read the same metrics.
   */
  public static ChartMetrics from(QueryConfig config) {
    QueryConfig.DashboardMetrics d = config.dashboard();
    return new ChartMetrics(
        config.resolveMetric(d.cpuUsage()),
        config.resolveMetric(d.memoryUsage()),
        config.resolveMetric(d.diskUsage()),
        config.resolveMetric(d.activeUsers()),
        config.resolveMetric(d.paymentSuccessRate()),
        config.resolveMetric(config.revenueMetric()),
        config.resolveMetric(d.userRegistrations()));
  }

  public ChartMetrics {
    requireNonNull(cpu, "cpu");
    requireNonNull(memory, "memory");
    requireNonNull(disk, "disk");
    requireNonNull(activeUsers, "activeUsers");
    requireNonNull(paymentSuccess, "paymentSuccess");
    requireNonNull(revenue, "revenue");
    requireNonNull(registrations, "registrations");
  }
}
