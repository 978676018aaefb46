package io.tskotel.collector.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** The answer of {@link IngestSink#admit}: accepted, or refused with a hint of when to retry. */
public record Admission(Outcome outcome, Duration retryAfter, String message) {

  public enum Outcome {
    /** Durable: the client may forget the data. */
    ACCEPTED,
    /** Not taken, nothing lost: the client retries (gRPC UNAVAILABLE, HTTP 503 + Retry-After). */
    RETRY_LATER
  }

  private static final Admission ACCEPTED = new Admission(Outcome.ACCEPTED, Duration.ZERO, "");

  public Admission {
    requireNonNull(outcome, "outcome");
    requireNonNull(retryAfter, "retryAfter");
    requireNonNull(message, "message");
  }

  public static Admission accepted() {
    return ACCEPTED;
  }

  public static Admission retryLater(Duration retryAfter, String message) {
    return new Admission(Outcome.RETRY_LATER, retryAfter, message);
  }
}
