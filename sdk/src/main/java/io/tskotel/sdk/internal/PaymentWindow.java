package io.tskotel.sdk.internal;

import java.time.Clock;

/**
 * Payments of the last 24 hours in hourly buckets: the seed's {@code calculate_payment_success_rate} without a
 * database. Thread-safe.
 */
public final class PaymentWindow {
  private static final long HOUR_MILLIS = 3_600_000L;
  private static final int HOURS = 24;

  private final Clock clock;
  private final long[] hour = new long[HOURS];
  private final long[] total = new long[HOURS];
  private final long[] ok = new long[HOURS];

  public PaymentWindow(Clock clock) {
    this.clock = clock;
  }

  /** Adds a payment; returns the success rate (percent) over the last 24 hours including it. */
  public synchronized double add(boolean success) {
    long h = clock.millis() / HOUR_MILLIS;
    int i = (int) (h % HOURS);
    if (hour[i] != h) {
      hour[i] = h;
      total[i] = 0;
      ok[i] = 0;
    }
    total[i]++;
    if (success) {
      ok[i]++;
    }
    return rate(h);
  }

  /** Percent of the last 24 hours' payments that succeeded; 0 without payments (as the seed). */
  public synchronized double rate() {
    return rate(clock.millis() / HOUR_MILLIS);
  }

  private double rate(long h) {
    long t = 0;
    long s = 0;
    for (int i = 0; i < HOURS; i++) {
      if (h - hour[i] < HOURS && hour[i] <= h) {
        t += total[i];
        s += ok[i];
      }
    }
    return t == 0 ? 0 : 100.0 * s / t;
  }
}
