package io.tskotel.collector.query;

import static java.util.Objects.requireNonNull;

import io.tskotel.exporter.AlertRecord;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The seed's {@code generate_dashboard_data}. Where the seed returns {@code get_metrics}' one-element list,
 * this holds the number. Every value is null when nothing it is computed from has data in its window (no
 * data is not zero: a rate over no requests is unknown, not 0 %).
 *
 * @param generatedAt Unix time in seconds, as the seed's {@code time.time()}
 */
public record DashboardData(
    SystemMetrics system,
    ApplicationMetrics application,
    BusinessMetrics business,
    List<AlertRecord> alerts,
    double generatedAt) {

  /** Where a value came from: server spans ({@link #SPANS}) or {@code metric:<name>}. */
  public static final String SPANS = "spans";

  public DashboardData {
    requireNonNull(system, "system");
    requireNonNull(application, "application");
    requireNonNull(business, "business");
    alerts = List.copyOf(requireNonNull(alerts, "alerts"));
  }

  static String metricSource(String metric) {
    return "metric:" + metric;
  }

  /**
   * Averages over the last hour, in percent.
   *
   * @param reporters who reported these gauges in the last hour (at most 20), so that a reader knows whose
   *     CPU it is looking at
   */
  public record SystemMetrics(
      @Nullable Double cpuUsage,
      @Nullable Double memoryUsage,
      @Nullable Double diskUsage,
      List<Reporter> reporters) {
    public SystemMetrics {
      reporters = List.copyOf(requireNonNull(reporters, "reporters"));
    }
  }

  /**
   * A service that reported a system gauge.
   *
   * @param host its {@code host.name} resource attribute, empty when it has none
   */
  public record Reporter(String metric, String service, String host) {
    public Reporter {
      requireNonNull(metric, "metric");
      requireNonNull(service, "service");
      requireNonNull(host, "host");
    }
  }

  /**
   * @param requestRate requests per second over the last minute
   * @param errorRate percent of requests that failed over the last 5 minutes
   * @param responseTime average over the last hour, in milliseconds: the response-time metric when one
   *     reports (converted from its unit; seconds when it declares none, as the seed records it), else
   *     server-span durations
   * @param activeUsers maximum over the last hour
   * @param requestRateSource {@link DashboardData#SPANS} or {@code metric:<name>}; null with the value
   * @param errorRateSource likewise
   * @param responseTimeSource likewise
   */
  public record ApplicationMetrics(
      @Nullable Double requestRate,
      @Nullable Double errorRate,
      @Nullable Double responseTime,
      @Nullable Double activeUsers,
      @Nullable String requestRateSource,
      @Nullable String errorRateSource,
      @Nullable String responseTimeSource) {}

  /**
   * @param revenueToday the revenue counter's increase since midnight
   * @param userRegistrations registrations over the last 24 hours
   * @param paymentSuccessRate percent over the last 24 hours
   */
  public record BusinessMetrics(
      @Nullable Double revenueToday,
      @Nullable Double userRegistrations,
      @Nullable Double paymentSuccessRate) {}
}
