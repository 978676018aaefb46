package io.tskotel.collector.query.prometheus;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One of the collector's own measurements, as exposed on {@code /metrics} next to the stored metrics. The
 * name is sanitized like any other; a {@link Type#COUNTER} gets {@code _total}.
 *
 * @param name e.g. {@code tskotel_receiver_accepted_spans}
 * @param help one line saying what is counted
 * @param labels label names are sanitized, values escaped
 */
public record SelfMetric(String name, String help, Type type, Map<String, String> labels, double value)
    implements SelfSeries {
  public SelfMetric {
    requireNonNull(name, "name");
    requireNonNull(help, "help");
    requireNonNull(type, "type");
    labels = Map.copyOf(requireNonNull(labels, "labels"));
  }

  /** Monotonic since process start, or a value that goes up and down. */
  public enum Type {
    COUNTER,
    GAUGE
  }
}
