package io.tskotel.sdk.internal;

import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.ExplicitBucketHistogramOptions;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.View;
import io.tskotel.tsk.Instrument;
import io.tskotel.tsk.Tsk;
import java.util.List;
import java.util.Map;

/** Histogram bucket views from {@code [telemetry.histogram_buckets]}, keyed by TSK instrument key or metric name. */
public final class Views {
  private Views() {}

  public static SdkMeterProviderBuilder register(SdkMeterProviderBuilder meters, Tsk tsk, TskSettings settings) {
    for (Map.Entry<String, List<Double>> e : settings.histogramBuckets().entrySet()) {
      meters.registerView(
          InstrumentSelector.builder().setName(metricName(tsk, e.getKey())).build(),
          View.builder().setAggregation(Aggregation.explicitBucketHistogram(
              ExplicitBucketHistogramOptions.builder().setBucketBoundaries(e.getValue()).build())).build());
    }
    return meters;
  }

  static String metricName(Tsk tsk, String keyOrName) {
    for (Instrument i : tsk.instruments()) {
      if (i.key().equals(keyOrName)) {
        return i.name();
      }
    }
    for (Instrument i : Instruments.SEED) {
      if (i.key().equals(keyOrName)) {
        return i.name();
      }
    }
    return keyOrName;
  }
}
