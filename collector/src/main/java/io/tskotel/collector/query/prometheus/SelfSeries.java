package io.tskotel.collector.query.prometheus;

/** One series of the collector's own metrics on {@code /metrics}: a counter or gauge, or a histogram. */
public sealed interface SelfSeries permits SelfMetric, SelfHistogram {
  /** The family name, e.g. {@code tskotel_accepted_items_total}. */
  String name();
}
