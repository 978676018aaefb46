package io.tskotel.collector.pipeline.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a recurring failure at most once per period, with how many occurrences were not logged, so a
 * failing store or a full disk cannot flood the log.
 */
public final class ThrottledLog {
  private final Logger logger;
  private final long periodNanos;
  private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  public ThrottledLog(Logger logger, Duration period) {
    this.logger = logger;
    this.periodNanos = period.toNanos();
  }

  public void warn(String message, Throwable error) {
    long now = System.nanoTime();
    long next = nextAllowed.get();
    if ((next != Long.MIN_VALUE && now - next < 0) || !nextAllowed.compareAndSet(next, now + periodNanos)) {
      suppressed.incrementAndGet();
      return;
    }
    long skipped = suppressed.getAndSet(0);
    String suffix = skipped > 0 ? " (" + skipped + " similar suppressed)" : "";
    logger.warn("{}{}: {}", message, suffix, String.valueOf(error.getMessage()));
    logger.debug("{}", message, error);
  }
}
