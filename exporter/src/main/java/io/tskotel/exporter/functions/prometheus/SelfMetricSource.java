package io.tskotel.exporter.functions.prometheus;

import java.util.Collection;

/**
 * Where the collector's own metrics come from at scrape time: the pipeline's registry implements this.
 * Called once per scrape, from the HTTP thread; must be thread-safe and cheap.
 */
@FunctionalInterface
public interface SelfMetricSource {
  Collection<SelfMetric> collect();
}
