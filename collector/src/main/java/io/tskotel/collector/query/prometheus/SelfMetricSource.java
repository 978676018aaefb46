package io.tskotel.collector.query.prometheus;

import java.util.Collection;

/**
 * Where the collector's own metrics come from at scrape time: the collector's metrics implement this
 * (web's {@code CollectorMetricsSource}). Called once per scrape, from the HTTP thread, and read once: all
 * series of one scrape come from the same moment. Must be thread-safe and cheap.
 */
@FunctionalInterface
public interface SelfMetricSource {
  /** Counters, gauges and histograms. */
  Collection<? extends SelfSeries> collect();
}
