package io.tskotel.collector.query.prometheus;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.SortedMap;

/** One labelled series of a family, labels already sanitized and sorted by name. */
sealed interface Series {

  SortedMap<String, String> labels();

  /** A counter or gauge value. */
  record Scalar(SortedMap<String, String> labels, double value) implements Series {
    public Scalar {
      requireNonNull(labels, "labels");
    }
  }

  /**
   * A classic histogram: {@code upperBounds} without {@code +Inf}, {@code cumulativeCounts} aligned with
   * them; {@code count} is both the {@code +Inf} bucket and {@code _count}.
   */
  record Histogram(
      SortedMap<String, String> labels,
      List<Double> upperBounds,
      List<Long> cumulativeCounts,
      double sum,
      long count)
      implements Series {
    public Histogram {
      requireNonNull(labels, "labels");
      upperBounds = List.copyOf(upperBounds);
      cumulativeCounts = List.copyOf(cumulativeCounts);
      if (upperBounds.size() != cumulativeCounts.size()) {
        throw new IllegalArgumentException(
            "cumulativeCounts: " + cumulativeCounts.size() + " (expected: " + upperBounds.size() + ")");
      }
    }
  }

  /** A summary: the value at each quantile (0..1), plus {@code _sum} and {@code _count}. */
  record Summary(
      SortedMap<String, String> labels,
      List<Double> quantiles,
      List<Double> values,
      double sum,
      long count)
      implements Series {
    public Summary {
      requireNonNull(labels, "labels");
      quantiles = List.copyOf(quantiles);
      values = List.copyOf(values);
      if (quantiles.size() != values.size()) {
        throw new IllegalArgumentException(
            "values: " + values.size() + " (expected: " + quantiles.size() + ")");
      }
    }
  }
}
