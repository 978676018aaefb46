package io.tskotel.collector.query;

import static java.util.Objects.requireNonNull;

/**
 * Server-span latency of one route of one service over a window, in milliseconds. Percentiles are exact
 * ({@code quantilesExact}: the observed duration at that rank, no interpolation).
 *
 * @param route the {@code http.route} attribute, or the span name when the span has none
 * @param errors spans that failed by the error-rate rules
 */
public record LatencyStats(
    String service,
    String route,
    long count,
    long errors,
    double avgMs,
    double p50Ms,
    double p90Ms,
    double p95Ms,
    double p99Ms,
    double maxMs) {
  public LatencyStats {
    requireNonNull(service, "service");
    requireNonNull(route, "route");
  }
}
