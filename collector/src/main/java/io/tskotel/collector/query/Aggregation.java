package io.tskotel.collector.query;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How {@link MetricQueries#getMetrics} folds the points of a metric over a time range. What each one means
 * depends on the instrument type; see {@link MetricQueries}.
 */
public enum Aggregation {
  AVG,
  MAX,
  MIN,
  SUM,
  COUNT,
  /** The latest 100 point values, newest first (the seed's fallback branch). */
  RAW,
  P50(0.5),
  P90(0.9),
  P95(0.95),
  P99(0.99);

  private final double quantile;

  Aggregation() {
    this(Double.NaN);
  }

  Aggregation(double quantile) {
    this.quantile = quantile;
  }

  /** The level of a percentile aggregation; NaN for the others. */
  public double quantile() {
    return quantile;
  }

  public boolean isPercentile() {
    return !Double.isNaN(quantile);
  }

  /** The name used in the API, the CLI and the fujsen: {@code avg}, {@code p99}… */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Every wire name, comma-separated, for error messages. */
  public static String allowedValues() {
    return Arrays.stream(values()).map(Aggregation::wireName).collect(Collectors.joining(", "));
  }

  /**
   * Parses a wire name (case-insensitive).
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static Aggregation parse(String text) {
    if (text != null) {
      String wanted = text.trim().toLowerCase(Locale.ROOT);
      for (Aggregation a : values()) {
        if (a.wireName().equals(wanted)) {
          return a;
        }
      }
    }
    throw new IllegalArgumentException(
        "aggregation: \"" + text + "\" (expected one of: " + allowedValues() + ")");
  }
}
