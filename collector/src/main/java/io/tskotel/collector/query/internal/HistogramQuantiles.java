package io.tskotel.collector.query.internal;

import java.util.List;

/**
 * Percentiles estimated from explicit-bucket histogram counts, as Prometheus' {@code histogram_quantile}
 * does (linear interpolation inside the bucket that holds the rank), refined with the observed min and max
 * that OTLP histograms carry: the first bucket starts at min rather than 0, and the overflow bucket ends at max
 * rather than at the last finite bound.
 */
public final class HistogramQuantiles {
  private HistogramQuantiles() {}

  /**
   * @param q level in (0, 1]
   * @param bounds the N explicit upper bounds, increasing
   * @param counts N + 1 bucket counts: (-inf, b0], (b0, b1], …, (bN-1, +inf)
   * @param min the smallest observation, NaN when unknown
   * @param max the largest observation, NaN when unknown
   * @return NaN when the histogram holds no observation
   */
  public static double quantile(
      double q, List<Double> bounds, List<Double> counts, double min, double max) {
    if (!(q > 0 && q <= 1)) {
      throw new IllegalArgumentException("q: " + q + " (expected: (0, 1])");
    }
    int n = bounds.size();
    if (counts.size() != n + 1) {
      // A point without buckets (only count and sum) cannot place a percentile.
      return Double.NaN;
    }
    double total = 0;
    for (double c : counts) {
      total += Math.max(c, 0);
    }
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = q * total;
    double below = 0;
    for (int i = 0; i <= n; i++) {
      double c = Math.max(counts.get(i), 0);
      if (c > 0 && below + c >= rank) {
        double lower = i == 0 ? firstLowerBound(bounds, min) : bounds.get(i - 1);
        double upper = i == n ? lastUpperBound(bounds, max) : bounds.get(i);
        if (!Double.isNaN(min)) {
          lower = Math.max(lower, min);
        }
        if (!Double.isNaN(max)) {
          upper = Math.min(upper, max);
        }
        if (upper < lower) {
          upper = lower;
        }
        return lower + (upper - lower) * (rank - below) / c;
      }
      below += c;
    }
    return lastUpperBound(bounds, max);
  }

  private static double firstLowerBound(List<Double> bounds, double min) {
    if (!Double.isNaN(min)) {
      return min;
    }
    // Prometheus' convention: observations are assumed non-negative when the first bound is positive.
    return bounds.isEmpty() ? 0 : Math.min(0, bounds.get(0));
  }

  private static double lastUpperBound(List<Double> bounds, double max) {
    if (!Double.isNaN(max)) {
      return max;
    }
    return bounds.isEmpty() ? 0 : bounds.get(bounds.size() - 1);
  }
}
