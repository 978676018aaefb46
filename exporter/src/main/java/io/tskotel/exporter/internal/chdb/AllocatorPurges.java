package io.tskotel.exporter.internal.chdb;

import static java.util.Objects.requireNonNull;

import io.tskotel.exporter.StoreException;
import io.tskotel.sdk.internal.Throttle;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns the memory the engine freed to the system once the allocator holds more than a threshold of it, as
 * the ClickHouse server's memory worker does (chDB runs without it). chDB allocates through its own jemalloc,
 * which keeps freed pages for 5 s so that the next allocation finds them; an insert or a merge frees 50-300 MiB
 * at once, so under load the process held up to 310 MiB the engine no longer used and its memory limit did not
 * count (docs/performance.md, "The engine's allocator"). Every check ({@link AllocatorStats#SQL}) and purge
 * ({@code SYSTEM JEMALLOC PURGE}) runs on a connection of its own, from one daemon thread; a failure is logged
 * at most once a minute and the next check tries again.
 */
final class AllocatorPurges {
  static final String PURGE = "SYSTEM JEMALLOC PURGE";
  /**
   * Often enough that a burst of frees is returned within a quarter second. A check prints jemalloc's whole
   * report (~60 KB, every arena's statistics), which slows the engine's inserts beside it: likely most of what
   * the purges cost (docs/performance.md, "The engine's allocator").
   */
  static final Duration CHECK_INTERVAL = Duration.ofMillis(250);
  private static final Logger logger = LoggerFactory.getLogger(AllocatorPurges.class);

  private final ChdbConnection connection;
  private final long thresholdBytes;
  private final long intervalMillis;
  private final ScheduledExecutorService executor;
  private final AtomicLong purges = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile @Nullable AllocatorStats last;
  private final Throttle failureLog = new Throttle();

  private AllocatorPurges(ChdbConnection connection, long thresholdBytes, Duration checkInterval) {
    this.connection = requireNonNull(connection, "connection");
    this.thresholdBytes = thresholdBytes;
    this.intervalMillis = checkInterval.toMillis();
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "chdb-allocator-purges");
      t.setDaemon(true);
      return t;
    });
    executor.scheduleWithFixedDelay(this::check, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Checks every {@code checkInterval} on {@code connection} (which it closes when stopped) and purges when the
   * allocator holds at least {@code thresholdBytes} (> 0) freed.
   */
  static AllocatorPurges start(ChdbConnection connection, long thresholdBytes, Duration checkInterval) {
    if (thresholdBytes <= 0) {
      throw new IllegalArgumentException("thresholdBytes: " + thresholdBytes + " (expected: > 0)");
    }
    if (checkInterval.isNegative() || checkInterval.isZero()) {
      throw new IllegalArgumentException("checkInterval: " + checkInterval + " (expected: > 0)");
    }
    return new AllocatorPurges(connection, thresholdBytes, checkInterval);
  }

  private void check() {
    try {
      AllocatorStats stats = AllocatorStats.of(connection.query(AllocatorStats.SQL, Map.of()).rows().get(0));
      last = stats;
      if (stats.freedBytes() >= thresholdBytes) {
        connection.execute(PURGE, Map.of());
        purges.incrementAndGet();
      }
    } catch (StoreException | RuntimeException e) {
      long failed = failures.incrementAndGet();
      if (failureLog.allow()) {
        logger.warn("chDB allocator check failed ({} failed so far); trying again every {} ms: {}", failed,
            intervalMillis, e.toString());
      }
    }
  }

  /** The allocator at the last check, or null before the first. */
  @Nullable AllocatorStats last() {
    return last;
  }

  /** Purges done so far. */
  long purges() {
    return purges.get();
  }

  /** Checks that failed so far. */
  long failures() {
    return failures.get();
  }

  /** Stops the checks (waiting for one running) and closes the connection; safe to call twice. */
  void stop() {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        logger.warn("chDB allocator check still running after 30 s; its connection is left open");
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    connection.close();
  }
}
