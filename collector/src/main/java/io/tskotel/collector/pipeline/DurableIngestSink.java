package io.tskotel.collector.pipeline;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.internal.ThrottledLog;
import io.tskotel.collector.queue.DurableQueue;
import io.tskotel.collector.queue.QueueAppend;
import io.tskotel.collector.telemetry.CollectorMetrics;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link IngestSink} of the collector: a request is ACCEPTED once appended to its signal's
 * {@link DurableQueue} (durable per the queue's fsync policy); a full queue, a disk error or a shutdown
 * answers RETRY_LATER with {@code retryAfter}, and nothing is dropped silently: every refusal is counted.
 */
public final class DurableIngestSink implements IngestSink {
  private static final Logger logger = LoggerFactory.getLogger(DurableIngestSink.class);

  private final Map<Signal, DurableQueue> queues;
  private final CollectorMetrics metrics;
  private final Duration retryAfter;
  private final ThrottledLog failureLog = new ThrottledLog(logger, Duration.ofSeconds(10));
  private volatile boolean closed;

  public DurableIngestSink(Map<Signal, DurableQueue> queues, CollectorMetrics metrics, Duration retryAfter) {
    requireNonNull(queues, "queues");
    this.queues = new EnumMap<>(queues);
    for (Signal signal : Signal.values()) {
      requireNonNull(this.queues.get(signal), "queue of " + signal);
    }
    this.metrics = requireNonNull(metrics, "metrics");
    this.retryAfter = requireNonNull(retryAfter, "retryAfter");
  }

  @Override
  public Admission admit(Signal signal, byte[] otlpProtobuf, int itemCount) {
    try {
      if (closed) {
        return refuse(signal, "shutting_down", itemCount, "collector is shutting down");
      }
      QueueAppend result = queues.get(signal).append(otlpProtobuf);
      return switch (result.status()) {
        case APPENDED -> {
          metrics.accepted(signal, itemCount);
          yield Admission.accepted();
        }
        case FULL -> refuse(signal, "queue_full", itemCount, "queue full");
        case CLOSED -> refuse(signal, "shutting_down", itemCount, "collector is shutting down");
        case TOO_LARGE -> {
          failureLog.warn("request larger than a queue segment refused",
              new IllegalStateException(otlpProtobuf.length + " bytes"));
          yield refuse(signal, "too_large", itemCount, "request larger than the queue segment size");
        }
        case FAILED -> {
          failureLog.warn("appending to the " + CollectorMetrics.signalName(signal) + " queue failed",
              result.error() == null ? new IllegalStateException("unknown") : result.error());
          yield refuse(signal, "io_error", itemCount, "queue write failed");
        }
      };
    } catch (RuntimeException e) {
      failureLog.warn("admitting a request failed", e);
      return refuse(signal, "internal_error", itemCount, "internal error");
    }
  }

  private Admission refuse(Signal signal, String reason, int itemCount, String message) {
    metrics.refused(signal, reason, itemCount);
    return Admission.retryLater(retryAfter, message);
  }

  /** From now on every request is refused (retryably); queued data is unaffected. Safe to call twice. */
  public void close() {
    closed = true;
  }
}
