package io.tskotel.collector.internal;

import static java.util.Objects.requireNonNull;

import io.tskotel.sdk.internal.Throttle;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs a recurring failure at most once per period, with how many occurrences were not logged, so a
 * failing store, a full disk or a broken request path cannot flood the log.
 */
public final class ThrottledLog {
  private final Logger logger;
  private final Throttle throttle;
  private final AtomicLong suppressed = new AtomicLong();

  public ThrottledLog(Logger logger, Duration period) {
    this.logger = requireNonNull(logger, "logger");
    this.throttle = new Throttle(period);
  }

  /**
   * For expected trouble (the store is down, the disk is full): the error's message at WARN, its stack
   * trace only at DEBUG.
   */
  public void warn(String message, Throwable error) {
    long skipped = acquire();
    if (skipped >= 0) {
      logger.warn("{}{}: {}", message, suffix(skipped), String.valueOf(error.getMessage()));
      logger.debug("{}", message, error);
    }
  }

  /** For failures that should not happen (a bug, an unexpected exception): the stack trace at WARN. */
  public void warnWithStackTrace(String message, Throwable error) {
    long skipped = acquire();
    if (skipped >= 0) {
      logger.warn(message + suffix(skipped), error);
    }
  }

  /** How many calls were suppressed since the last logged one, or -1 when this call must stay silent. */
  private long acquire() {
    if (!throttle.allow()) {
      suppressed.incrementAndGet();
      return -1;
    }
    return suppressed.getAndSet(0);
  }

  private static String suffix(long skipped) {
    return skipped > 0 ? " (" + skipped + " similar not logged)" : "";
  }
}
