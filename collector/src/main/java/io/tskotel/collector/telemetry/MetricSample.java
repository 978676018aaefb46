package io.tskotel.collector.telemetry;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One series of the collector's own metrics at the moment of {@link CollectorMetrics#samples()}, shaped
 * like a line of the Prometheus text format: a histogram family yields {@code _bucket} samples (with an
 * {@code le} label, cumulative), a {@code _sum} and a {@code _count}, all typed {@link Type#HISTOGRAM}.
 *
 * @param name the series name, e.g. {@code tskotel_accepted_items_total}
 * @param family the metric family the series belongs to (equal to {@code name} except for histograms)
 * @param type the family's type
 * @param help one line describing the family
 * @param labels label names to values, in a stable order
 * @param value the current value
 */
public record MetricSample(
    String name, String family, Type type, String help, Map<String, String> labels, double value) {

  public enum Type {
    COUNTER,
    GAUGE,
    HISTOGRAM
  }

  public MetricSample {
    requireNonNull(name, "name");
    requireNonNull(family, "family");
    requireNonNull(type, "type");
    requireNonNull(help, "help");
    requireNonNull(labels, "labels");
  }
}
