package io.tskotel.exporter.functions.charts;

import static java.util.Objects.requireNonNull;

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
