package io.tskotel.sdk.internal;

import java.util.concurrent.atomic.AtomicLong;

/** Lets a repeated warning through at most once a minute, so a failing hot path cannot flood the log. */
final class Throttle {
  private static final long PERIOD_NANOS = 60_000_000_000L;
  private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);

  boolean allow() {
    long now = System.nanoTime();
    long due = next.get();
    return (due == Long.MIN_VALUE || now - due >= 0) && next.compareAndSet(due, now + PERIOD_NANOS);
  }
}
