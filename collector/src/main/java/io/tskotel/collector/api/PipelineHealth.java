package io.tskotel.collector.api;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.pipeline.DrainStatus;
import io.tskotel.collector.pipeline.Pipeline;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.collector.queue.QueueAppend;
import io.tskotel.collector.telemetry.CollectorMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The pipeline's entry in {@code /health} and {@code /ready}: unhealthy while a signal cannot drain into the
 * store (with the batcher's fixed reason, e.g. {@code logs: store: authentication failed}) or its queue
 * cannot take data ({@code traces: queue disk full}). The details (error text, since when, attempts) are
 * for the admin; {@code /status} shows the same per signal.
 */
final class PipelineHealth implements HealthCheck {
  private final Pipeline pipeline;

  PipelineHealth(Pipeline pipeline) {
    this.pipeline = requireNonNull(pipeline, "pipeline");
  }

  @Override
  public Result check() {
    List<String> problems = new ArrayList<>();
    Map<String, Object> details = new LinkedHashMap<>();
    for (Signal signal : Signal.values()) {
      String name = CollectorMetrics.signalName(signal);
      Map<String, Object> m = describe(pipeline, signal);
      details.put(name, m);
      if (m.get("drain_reason") instanceof String reason) {
        problems.add(name + ": " + reason);
      }
      if (m.get("queue_refusing") instanceof String reason) {
        problems.add(name + ": " + reason);
      }
    }
    return problems.isEmpty()
        ? Result.healthy(Map.of())
        : Result.unhealthy(String.join("; ", problems), details);
  }

  /** One signal's drain and queue state, for the health details and {@code /status}. */
  static Map<String, Object> describe(Pipeline pipeline, Signal signal) {
    Map<String, Object> m = new LinkedHashMap<>();
    DrainStatus drain = pipeline.drainStatus(signal);
    m.put("draining", drain.draining());
    if (!drain.draining()) {
      m.put("drain_reason", drain.reason());
      m.put("drain_error", drain.detail());
      m.put("drain_blocked_since", String.valueOf(drain.since()));
      m.put("drain_attempts", drain.attempts());
    }
    QueueAppend refusal = pipeline.queue(signal).refusing();
    if (refusal != null) {
      m.put("queue_refusing", queueReason(refusal));
      if (refusal.error() != null) {
        m.put("queue_error", String.valueOf(refusal.error().getMessage()));
      }
    }
    return m;
  }

  private static String queueReason(QueueAppend refusal) {
    if (refusal.status() == QueueAppend.Status.FULL) {
      return "queue full";
    }
    return isDiskFull(refusal.error()) ? "queue disk full" : "queue write failed";
  }

  private static boolean isDiskFull(@Nullable Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("No space left on device")) {
        return true;
      }
    }
    return false;
  }
}
