package io.tskotel.collector.receiver.internal;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.tskotel.collector.internal.ThrottledLog;
import io.tskotel.collector.pipeline.Admission;
import io.tskotel.collector.pipeline.IngestSink;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.collector.receiver.RequestBudget;
import io.tskotel.collector.receiver.Throttle;
import io.tskotel.collector.telemetry.CollectorMetrics;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The transport-independent part of receiving one request: drop invalid items, hand the rest to the
 * sink, count what the sink does not (rejected items, failed requests). Never throws.
 */
public final class OtlpIngest {
  /** Requests in flight end within milliseconds to seconds: a second is a fair wait. */
  private static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(1);
  private static final ThrottledLog LOG = new ThrottledLog(LoggerFactory.getLogger(OtlpIngest.class), Duration.ofSeconds(10));

  private static final byte[] EMPTY = new byte[0];

  /**
   * The heap a protobuf request takes while parsed, per byte of it: protobuf's objects hold 5.3-6.7x the
   * bytes (the load generator's spans, logs and gauge points, measured in docs/performance.md → Memory), next to
   * the bytes themselves and the kept items re-serialized.
   */
  static final int PARSED_BYTES_PER_BYTE = 8;

  /**
   * The same for OTLP JSON, per byte of JSON: Jackson's tree (6.5-8.6x) for the ids' rewrite, then protobuf's
   * JSON parser's own tree (7.8-9.8x) with the objects it builds (2.1-2.8x), one after the other. The HTTP
   * receiver asks for it before reading a JSON body.
   */
  public static final int JSON_BYTES_PER_BYTE = 16;

  private final IngestSink sink;
  private final CollectorMetrics metrics;
  private final RequestBudget budget;
  private final Throttle throttle;

  /** Without a byte budget or throttle: every request is read (for tools and tests of the decoding alone). */
  public OtlpIngest(IngestSink sink, CollectorMetrics metrics) {
    this(sink, metrics, new RequestBudget(Long.MAX_VALUE), Throttle.NONE);
  }

  public OtlpIngest(IngestSink sink, CollectorMetrics metrics, RequestBudget budget, Throttle throttle) {
    this.sink = requireNonNull(sink, "sink");
    this.metrics = requireNonNull(metrics, "metrics");
    this.budget = requireNonNull(budget, "budget");
    this.throttle = requireNonNull(throttle, "throttle");
  }

  public CollectorMetrics metrics() {
    return metrics;
  }

  /**
   * Asked before a request's body is read: a permit for {@code bytes} of the shared budget (at most all of
   * it: any request can be read alone), or a refusal (the memory guard over its limit, or the budget spent),
   * already counted. Never throws.
   */
  public Entry enter(Signal signal, long bytes) {
    String refusal = throttle.refusal();
    if (refusal != null) {
      metrics.refusedRequest(signal, CollectorMetrics.REFUSED_MEMORY_LIMIT);
      return new Entry(null, new IngestResult.RetryLater(throttle.retryAfter(),
          refusal + "; retry later"));
    }
    RequestBudget.Permit permit = budget.tryAcquire(Math.min(bytes, budget.limit()));
    if (permit == null) {
      metrics.refusedRequest(signal, CollectorMetrics.REFUSED_BYTES_IN_FLIGHT);
      return new Entry(null, busy());
    }
    return new Entry(permit, null);
  }

  /** Either a permit to read the request, or the refusal to answer with. */
  public record Entry(RequestBudget.@Nullable Permit permit, IngestResult.@Nullable RetryLater refusal) {}

  /**
   * Ingests an OTLP protobuf request. The common case — well-formed, every item valid — is checked on
   * the wire without building message objects, and the bytes go to the sink as they came; anything
   * else is parsed and validated in full, as {@link #ingest} does.
   *
   * @throws InvalidProtocolBufferException when the bytes are not a request of the codec's signal
   */
  public <Req extends Message> IngestResult ingestProtobuf(OtlpCodec<Req, ?> codec, byte[] protobuf)
      throws InvalidProtocolBufferException {
    return ingestProtobuf(codec, protobuf, null);
  }

  /**
   * As {@link #ingestProtobuf(OtlpCodec, byte[])}, the request holding {@code permit}: before a request is
   * parsed into objects, the permit grows by what they take ({@link #reserve}), or the request is refused.
   */
  public <Req extends Message> IngestResult ingestProtobuf(
      OtlpCodec<Req, ?> codec, byte[] protobuf, RequestBudget.@Nullable Permit permit)
      throws InvalidProtocolBufferException {
    long items = codec.walkValid(protobuf);
    if (items >= 0) {
      return admit(codec.signal(), protobuf, items, 0, "");
    }
    IngestResult.RetryLater refusal = reserve(codec.signal(), permit, (long) protobuf.length * PARSED_BYTES_PER_BYTE);
    if (refusal != null) {
      return refusal;
    }
    return ingest(codec, codec.parse(protobuf), protobuf);
  }

  /**
   * Grows {@code permit} to {@code bytes} before a request is parsed into objects: null when it did (or there
   * is no permit), else the refusal to answer with, counted as the byte budget's. Never throws.
   */
  private IngestResult.@Nullable RetryLater reserve(
      Signal signal, RequestBudget.@Nullable Permit permit, long bytes) {
    if (permit == null || permit.tryGrow(bytes)) {
      return null;
    }
    metrics.refusedRequest(signal, CollectorMetrics.REFUSED_BYTES_IN_FLIGHT);
    return busy();
  }

  private static IngestResult.RetryLater busy() {
    return new IngestResult.RetryLater(BUSY_RETRY_AFTER, "too many request bytes in flight; retry later");
  }

  /**
   * Ingests a parsed request. {@code receivedProtobuf} are the bytes it was parsed from, if any: when
   * every item is valid they go to the sink as they came, without re-serializing.
   */
  public <Req extends Message> IngestResult ingest(
      OtlpCodec<Req, ?> codec, Req request, byte @Nullable [] receivedProtobuf) {
    try {
      Validated<Req> validated = codec.validate(request);
      byte[] bytes =
          validated.keptItems() == 0
              ? EMPTY
              : validated.changed() || receivedProtobuf == null
                  ? validated.kept().toByteArray()
                  : receivedProtobuf;
      return admit(
          codec.signal(),
          bytes,
          validated.keptItems(),
          validated.rejectedItems(),
          validated.errorMessage());
    } catch (RuntimeException | StackOverflowError e) {
      return failed(codec.signal(), e);
    }
  }

  private IngestResult admit(
      Signal signal, byte[] bytes, long keptItems, long rejectedItems, String errorMessage) {
    try {
      metrics.rejected(signal, rejectedItems);
      if (keptItems > 0) {
        int items = (int) Math.min(Integer.MAX_VALUE, keptItems);
        Admission admission = sink.admit(signal, bytes, items);
        // The sink counts what it accepts and refuses (with the reason only it knows).
        if (admission.outcome() != Admission.Outcome.ACCEPTED) {
          return new IngestResult.RetryLater(admission.retryAfter(), refusal(admission));
        }
      }
      return new IngestResult.Done(rejectedItems, errorMessage);
    } catch (RuntimeException | StackOverflowError e) {
      return failed(signal, e);
    }
  }

  private IngestResult failed(Signal signal, Throwable e) {
    // The sink promises not to throw; if it (or we) did anyway, this request fails and the
    // server goes on serving.
    metrics.failedRequest(signal);
    LOG.warnWithStackTrace("failed to ingest " + signal.name().toLowerCase(java.util.Locale.ROOT) + " request", e);
    return new IngestResult.Failed("internal error while ingesting the request");
  }

  private static String refusal(Admission admission) {
    return admission.message().isEmpty()
        ? "the collector is busy; retry later"
        : admission.message();
  }
}
