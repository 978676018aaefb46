package io.tskotel.collector.receiver.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/** Logs a recurring failure at most once per interval, saying how many were not logged. */
final class ThrottledLog {
  private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Logger logger;
  private final AtomicLong nextNanos = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  ThrottledLog(Logger logger) {
    this.logger = logger;
  }

  void warn(String message, Throwable error) {
    long now = System.nanoTime();
    long next = nextNanos.get();
    if ((next == Long.MIN_VALUE || now - next >= 0)
        && nextNanos.compareAndSet(next, now + INTERVAL_NANOS)) {
      long skipped = suppressed.getAndSet(0);
      logger.warn(
          skipped == 0 ? message : message + " (" + skipped + " similar not logged)", error);
    } else {
      suppressed.incrementAndGet();
    }
  }
}
