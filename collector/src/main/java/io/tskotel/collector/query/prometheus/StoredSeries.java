package io.tskotel.collector.query.prometheus;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/** The latest state of one stored OpenTelemetry series (metric + resource + scope + attributes). */
record StoredSeries(
    String metricName,
    String unit,
    String description,
    PromType type,
    String job,
    String instance,
    String scopeName,
    Map<String, String> attributes,
    Point point) {
  StoredSeries {
    requireNonNull(metricName, "metricName");
    requireNonNull(unit, "unit");
    requireNonNull(description, "description");
    requireNonNull(type, "type");
    requireNonNull(job, "job");
    requireNonNull(instance, "instance");
    requireNonNull(scopeName, "scopeName");
    attributes = Map.copyOf(attributes);
    requireNonNull(point, "point");
  }

  sealed interface Point {}

  record Value(double value) implements Point {}

  /** OTLP layout: {@code bucketCounts} has one more entry than {@code explicitBounds} (or is empty). */
  record Histogram(List<Double> explicitBounds, List<Long> bucketCounts, double sum, long count)
      implements Point {}

  record Summary(List<Double> quantiles, List<Double> values, double sum, long count) implements Point {}

  /**
   * OTLP exponential layout: bucket {@code offset + i} covers {@code (base^(offset+i), base^(offset+i+1)]}
   * with {@code base = 2^(2^-scale)}; negative buckets mirror that below zero.
   */
  record Exponential(
      int scale,
      long zeroCount,
      int positiveOffset,
      List<Long> positive,
      int negativeOffset,
      List<Long> negative,
      double sum,
      long count)
      implements Point {}
}
