package io.tskotel.collector.receiver.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.tskotel.collector.pipeline.Signal;

/**
 * What differs between traces, metrics and logs: the request and response messages, and which items
 * are invalid. Everything else (transport, auth, admission) is shared.
 */
public abstract sealed class OtlpCodec<Req extends Message, Resp extends Message>
    permits TracesCodec, MetricsCodec, LogsCodec {

  public static final TracesCodec TRACES = new TracesCodec();
  public static final MetricsCodec METRICS = new MetricsCodec();
  public static final LogsCodec LOGS = new LogsCodec();

  OtlpCodec() {}

  public abstract Signal signal();

  /** The OTLP/HTTP path, e.g. {@code /v1/traces}. */
  public abstract String httpPath();

  public abstract Req parse(byte[] protobuf) throws InvalidProtocolBufferException;

  /** A builder for the request message, for the JSON parser to merge into. */
  abstract Message.Builder newRequestBuilder();

  /**
   * The fast path's check, on the wire (see {@link WireWalk}): the item count of a well-formed request
   * whose items are all valid, else -1 and {@link #parse} + {@link #validate} give the exact answer.
   */
  public abstract long walkValid(byte[] protobuf);

  /** Keeps the valid items of {@code request}, counting and describing the others. */
  public abstract Validated<Req> validate(Req request);

  /** The success response, with {@code partial_success} when items were rejected. */
  public abstract Resp response(long rejectedItems, String errorMessage);

  /** The empty response: the message type gRPC marshals. */
  public abstract Resp defaultResponse();

  /** Plural noun for messages: "spans", "data points", "log records". */
  abstract String itemNoun();
}
