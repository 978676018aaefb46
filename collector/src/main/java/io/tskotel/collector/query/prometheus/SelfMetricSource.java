package io.tskotel.collector.query.prometheus;

import java.util.Collection;
import java.util.List;

/**
 * Where the collector's own metrics come from at scrape time: the pipeline's registry implements this.
 * Called once per scrape, from the HTTP thread; must be thread-safe and cheap.
 */
@FunctionalInterface
public interface SelfMetricSource {
  /** Counters and gauges. */
  Collection<SelfMetric> collect();

  /** Histograms; none by default. */
  default Collection<SelfHistogram> collectHistograms() {
    return List.of();
  }
}
