package io.tskotel.collector.telemetry;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.Collection;

/**
 * The one reader of the collector's own {@code SdkMeterProvider}: nothing runs on a schedule, each consumer
 * ({@code /metrics}, {@code /status}, the self-telemetry report) pulls when it needs the numbers.
 * Cumulative, because Prometheus wants counters that only go up and several consumers read the same
 * instruments (a delta reader would hand each one only what the previous read left).
 */
final class PullReader implements MetricReader {
  private volatile CollectionRegistration registration = CollectionRegistration.noop();

  @Override
  public void register(CollectionRegistration registration) {
    this.registration = registration;
  }

  /** Every instrument's current points; thread-safe (the SDK serializes collections). */
  Collection<MetricData> collect() {
    return registration.collectAllMetrics();
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return AggregationTemporality.CUMULATIVE;
  }

  @Override
  public CompletableResultCode forceFlush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    registration = CollectionRegistration.noop();
    return CompletableResultCode.ofSuccess();
  }
}
