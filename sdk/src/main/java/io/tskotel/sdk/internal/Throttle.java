package io.tskotel.sdk.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a repeated warning through at most once per period (the first at once), so a failing hot path cannot
 * flood the log. Thread-safe; shared by the sdk, the exporter and the collector.
 */
public final class Throttle {
  private final long periodNanos;
  private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);

  /** At most once a minute. */
  public Throttle() {
    this(Duration.ofMinutes(1));
  }

  public Throttle(Duration period) {
    this.periodNanos = requireNonNull(period, "period").toNanos();
    if (periodNanos <= 0) {
      throw new IllegalArgumentException("period: " + period + " (expected: > 0)");
    }
  }

  /** Whether this call may log: true for the first call and then once per period, false in between. */
  public boolean allow() {
    long now = System.nanoTime();
    long due = next.get();
    return (due == Long.MIN_VALUE || now - due >= 0) && next.compareAndSet(due, now + periodNanos);
  }
}
