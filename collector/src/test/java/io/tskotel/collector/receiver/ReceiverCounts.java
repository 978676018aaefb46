package io.tskotel.collector.receiver;

import io.tskotel.collector.pipeline.Signal;
import io.tskotel.collector.telemetry.CollectorMetrics;
import java.util.Map;

/** What a receiver counted into its {@link CollectorMetrics}, for assertions. */
final class ReceiverCounts {
  private ReceiverCounts() {}

  static long rejected(OtlpReceiver receiver, Signal signal) {
    return (long) receiver.metrics().value(CollectorMetrics.REJECTED, signalLabel(signal));
  }

  static long failedRequests(OtlpReceiver receiver, Signal signal) {
    return (long) receiver.metrics().value(CollectorMetrics.FAILED_REQUESTS, signalLabel(signal));
  }

  static long unauthenticated(OtlpReceiver receiver) {
    return (long) receiver.metrics().value(CollectorMetrics.UNAUTHENTICATED, Map.of());
  }

  private static Map<String, String> signalLabel(Signal signal) {
    return Map.of("signal", CollectorMetrics.signalName(signal));
  }
}
