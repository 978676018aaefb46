package io.tskotel.collector.receiver.internal;

import java.time.Duration;

/** How one well-formed request ended, for the transport to turn into its status. */
public sealed interface IngestResult {

  /** Valid items durable (possibly none); {@code rejectedItems} invalid ones dropped. */
  record Done(long rejectedItems, String errorMessage) implements IngestResult {}

  /** Nothing taken, nothing lost: the client must retry after {@code retryAfter}. */
  record RetryLater(Duration retryAfter, String message) implements IngestResult {}

  /** Our fault; the client may retry. */
  record Failed(String message) implements IngestResult {}
}
