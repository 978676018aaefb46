package io.tskotel.collector.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Whether a signal's batcher moves queued data into the store. While it cannot, {@code reason} says why in a
 * few fixed words (safe for an unauthenticated probe: "store: authentication failed", "batcher failed"),
 * {@code detail} the error text (for the admin only), {@code since} when it began and {@code attempts} how
 * many tries failed since.
 */
public record DrainStatus(
    boolean draining, @Nullable String reason, @Nullable String detail, @Nullable Instant since, long attempts) {

  private static final DrainStatus DRAINING = new DrainStatus(true, null, null, null, 0);

  public static DrainStatus ok() {
    return DRAINING;
  }

  /** Blocked for {@code reason}; {@code previous} keeps its start time when it was already blocked. */
  static DrainStatus blocked(DrainStatus previous, String reason, String detail, Instant now) {
    requireNonNull(reason, "reason");
    Instant since = previous.draining() || previous.since() == null ? now : previous.since();
    return new DrainStatus(false, reason, detail, since, previous.attempts() + 1);
  }
}
