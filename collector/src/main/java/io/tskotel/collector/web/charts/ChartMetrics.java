package io.tskotel.collector.web.charts;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.query.QueryConfig;

/**
 * The metric names the dashboard charts read; the defaults are the seed's names. Gauges: {@code cpu},
 * {@code memory}, {@code disk} (percent), {@code activeUsers}, {@code paymentSuccess} (percent). Counters
 * (monotonic sums, charted as their increase per step): {@code revenue}, {@code registrations}, and {@code
 * payments} (attempts, {@code paymentOutcomeLabel} = {@code paymentSuccessValue} on the successful ones),
 * whose success share per step is the payment success rate when it reports, as for the query functions.
 */
public record ChartMetrics(
    String cpu,
    String memory,
    String disk,
    String activeUsers,
    String paymentSuccess,
    String revenue,
    String registrations,
    String payments,
    String paymentOutcomeLabel,
    String paymentSuccessValue) {

  public static final ChartMetrics SEED =
      new ChartMetrics(
          "cpu_usage",
          "memory_usage",
          "disk_usage",
          "daily_active_users",
          "payment_success_rate",
          "payment_volume_total",
          "user_registrations_total",
          "payments_total",
          "success",
          "true");

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
        config.resolveMetric(d.userRegistrations()),
        config.resolveMetric(config.paymentsMetric()),
        config.paymentOutcomeLabel(),
        config.paymentSuccessValue());
  }

  public ChartMetrics {
    requireNonNull(cpu, "cpu");
    requireNonNull(memory, "memory");
    requireNonNull(disk, "disk");
    requireNonNull(activeUsers, "activeUsers");
    requireNonNull(paymentSuccess, "paymentSuccess");
    requireNonNull(revenue, "revenue");
    requireNonNull(registrations, "registrations");
    requireNonNull(payments, "payments");
    requireNonNull(paymentOutcomeLabel, "paymentOutcomeLabel");
    requireNonNull(paymentSuccessValue, "paymentSuccessValue");
  }
}
