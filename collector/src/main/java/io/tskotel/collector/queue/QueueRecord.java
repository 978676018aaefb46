package io.tskotel.collector.queue;

import static java.util.Objects.requireNonNull;

/** One record read from a {@link DurableQueue}: its sequence number and the bytes that were appended. */
public final class QueueRecord {
  private final long seq;
  private final byte[] payload;
  // Where the record ends in the queue's byte and record count, so commit can account what it releases.
  final long logicalEnd;
  final long ordinal;

  QueueRecord(long seq, byte[] payload, long logicalEnd, long ordinal) {
    this.seq = seq;
    this.payload = requireNonNull(payload, "payload");
    this.logicalEnd = logicalEnd;
    this.ordinal = ordinal;
  }

  public long seq() {
    return seq;
  }

  /** The appended bytes; callers must not modify them. */
  public byte[] payload() {
    return payload;
  }

  @Override
  public String toString() {
    return "QueueRecord{seq=" + seq + ", bytes=" + payload.length + "}";
  }
}
