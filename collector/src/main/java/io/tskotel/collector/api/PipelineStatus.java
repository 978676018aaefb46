package io.tskotel.collector.api;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.sdk.metrics.data.MetricData;
import io.tskotel.collector.Collector;
import io.tskotel.collector.pipeline.QueueDepth;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.collector.telemetry.CollectorMetrics;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The pipeline's entry in {@code /status}: per signal, the queue depth, whether it drains (and if not, why)
 * and whether its queue takes data, and the items accepted and written, in total and per second since the
 * previous snapshot (since start for the first). Reads the collector's
 * own counters; nothing is counted twice.
 */
final class PipelineStatus implements StatusSource {
  private final Collector collector;
  private final Clock clock;
  private Instant last;
  private Map<String, Double> lastTotals = Map.of();

  PipelineStatus(Collector collector, Clock clock) {
    this.collector = requireNonNull(collector, "collector");
    this.clock = requireNonNull(clock, "clock");
    this.last = clock.instant();
  }

  @Override
  public synchronized Object snapshot() {
    Instant now = clock.instant();
    double seconds = Math.max(1e-3, (now.toEpochMilli() - last.toEpochMilli()) / 1000.0);
    Collection<MetricData> read = collector.metrics().collect();
    Map<String, Double> totals = new LinkedHashMap<>();
    for (Signal signal : Signal.values()) {
      for (String name : new String[] {CollectorMetrics.ACCEPTED, CollectorMetrics.WRITTEN}) {
        totals.put(name + "/" + CollectorMetrics.signalName(signal),
            CollectorMetrics.total(read, name, labels(signal)));
      }
    }
    Map<String, Object> signals = new LinkedHashMap<>();
    Map<Signal, QueueDepth> depths = new EnumMap<>(collector.queueDepths());
    for (Signal signal : Signal.values()) {
      String name = CollectorMetrics.signalName(signal);
      double accepted = totals.getOrDefault(CollectorMetrics.ACCEPTED + "/" + name, 0.0);
      double written = totals.getOrDefault(CollectorMetrics.WRITTEN + "/" + name, 0.0);
      Map<String, Object> m = new LinkedHashMap<>();
      QueueDepth d = depths.get(signal);
      if (d != null) {
        m.put("queue_bytes", d.bytes());
        m.put("queue_records", d.records());
        m.put("queue_max_bytes", d.maxBytes());
      }
      m.putAll(PipelineHealth.describe(collector.pipeline(), signal));
      m.put("accepted_items", (long) accepted);
      m.put("written_items", (long) written);
      // What the collector pushed back or had to retry (all counted since start; rates are the caller's).
      m.put("refused_items", (long) CollectorMetrics.total(read, CollectorMetrics.REFUSED, labels(signal)));
      m.put("refused_requests",
          (long) CollectorMetrics.total(read, CollectorMetrics.REFUSED_REQUESTS, labels(signal)));
      m.put("store_errors_retryable",
          (long) CollectorMetrics.total(read, CollectorMetrics.STORE_ERRORS, labels(signal, "retryable")));
      m.put("store_errors_permanent",
          (long) CollectorMetrics.total(read, CollectorMetrics.STORE_ERRORS, labels(signal, "permanent")));
      m.put("accepted_per_second", rate(accepted, lastTotals.get(CollectorMetrics.ACCEPTED + "/" + name), seconds));
      m.put("written_per_second", rate(written, lastTotals.get(CollectorMetrics.WRITTEN + "/" + name), seconds));
      signals.put(signal.name().toLowerCase(Locale.ROOT), m);
    }
    last = now;
    lastTotals = totals;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("otlp_grpc_port", collector.grpcPort());
    out.put("otlp_http_port", collector.httpPort());
    out.put("signals", signals);
    return out;
  }

  private static Map<String, String> labels(Signal signal) {
    return Map.of("signal", CollectorMetrics.signalName(signal));
  }

  private static Map<String, String> labels(Signal signal, String kind) {
    return Map.of("signal", CollectorMetrics.signalName(signal), "kind", kind);
  }

  private static double rate(double now, Double before, double seconds) {
    return (now - (before == null ? 0 : before)) / seconds;
  }
}
