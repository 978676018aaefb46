package io.tskotel.collector.queue;

import org.jspecify.annotations.Nullable;

/** The outcome of {@link DurableQueue#append}. Only {@link Status#APPENDED} means durable (per policy). */
public record QueueAppend(Status status, long seq, @Nullable Exception error) {

  public enum Status {
    /** Durable under the queue's {@link FsyncPolicy}; {@link #seq()} is its sequence number. */
    APPENDED,
    /** Over the byte bound: retry later, nothing was written. */
    FULL,
    /** Larger than a segment can hold: retrying cannot help. */
    TOO_LARGE,
    /** An I/O error; the record may or may not be on disk (a retry may duplicate it, never lose it). */
    FAILED,
    /** The queue was closed. */
    CLOSED
  }

  private static final QueueAppend FULL = new QueueAppend(Status.FULL, -1, null);
  private static final QueueAppend TOO_LARGE = new QueueAppend(Status.TOO_LARGE, -1, null);
  private static final QueueAppend CLOSED = new QueueAppend(Status.CLOSED, -1, null);

  static QueueAppend appended(long seq) {
    return new QueueAppend(Status.APPENDED, seq, null);
  }

  static QueueAppend full() {
    return FULL;
  }

  static QueueAppend tooLarge() {
    return TOO_LARGE;
  }

  static QueueAppend closed() {
    return CLOSED;
  }

  static QueueAppend failed(Exception error) {
    return new QueueAppend(Status.FAILED, -1, error);
  }

  public boolean appended() {
    return status == Status.APPENDED;
  }
}
