package io.tskotel.collector.query;

import static java.util.Objects.requireNonNull;

import io.tskotel.exporter.AlertRecord;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The seed's {@code generate_dashboard_data}. Where the seed returns {@code get_metrics}' one-element list,
 * this holds the number, or null when the metric has no point in its window.
 *
 * @param generatedAt Unix time in seconds, as the seed's {@code time.time()}
 */
public record DashboardData(
    SystemMetrics system,
    ApplicationMetrics application,
    BusinessMetrics business,
    List<AlertRecord> alerts,
    double generatedAt) {

  public DashboardData {
    requireNonNull(system, "system");
    requireNonNull(application, "application");
    requireNonNull(business, "business");
    alerts = List.copyOf(requireNonNull(alerts, "alerts"));
  }

  /** Averages over the last hour, in percent. */
  public record SystemMetrics(
      @Nullable Double cpuUsage, @Nullable Double memoryUsage, @Nullable Double diskUsage) {}

  /**
   * @param requestRate requests per second over the last minute
   * @param errorRate percent of requests that failed over the last 5 minutes
   * @param responseTime average over the last hour
   * @param activeUsers maximum over the last hour
   */
  public record ApplicationMetrics(
      double requestRate,
      double errorRate,
      @Nullable Double responseTime,
      @Nullable Double activeUsers) {}

  /**
   * @param revenueToday the revenue counter's increase since midnight
   * @param userRegistrations registrations over the last 24 hours
   * @param paymentSuccessRate percent over the last 24 hours
   */
  public record BusinessMetrics(
      double revenueToday, @Nullable Double userRegistrations, double paymentSuccessRate) {}
}
