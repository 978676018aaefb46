package io.tskotel.collector.query.prometheus;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * One of the collector's own histograms, as exposed on {@code /metrics}: {@code _bucket{le}} for each upper
 * bound and {@code +Inf}, {@code _sum}, {@code _count}.
 *
 * @param name the family name, e.g. {@code tskotel_batch_write_seconds}
 * @param upperBounds ascending, without {@code +Inf}
 * @param cumulativeCounts observations at or below each bound (non-decreasing), aligned with the bounds
 * @param count all observations (the {@code +Inf} bucket)
 */
public record SelfHistogram(
    String name,
    String help,
    Map<String, String> labels,
    List<Double> upperBounds,
    List<Long> cumulativeCounts,
    double sum,
    long count)
    implements SelfSeries {
  public SelfHistogram {
    requireNonNull(name, "name");
    requireNonNull(help, "help");
    labels = Map.copyOf(requireNonNull(labels, "labels"));
    upperBounds = List.copyOf(requireNonNull(upperBounds, "upperBounds"));
    cumulativeCounts = List.copyOf(requireNonNull(cumulativeCounts, "cumulativeCounts"));
    if (upperBounds.size() != cumulativeCounts.size()) {
      throw new IllegalArgumentException(
          "cumulativeCounts: " + cumulativeCounts.size() + " entries (expected: " + upperBounds.size()
              + ", one per upper bound)");
    }
  }
}
