package io.tskotel.collector.memory;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.pipeline.Ticker;
import io.tskotel.collector.receiver.Throttle;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's memory limiter, as the OpenTelemetry Collector's {@code memory_limiter}: every
 * {@link MemoryConfig#checkInterval} it reads the heap in use (and, if asked, the process's resident memory).
 * Over the soft limit the receivers refuse new requests retryably ({@link #refusal}) until use falls below it
 * again; over the hard limit it also asks for a full garbage collection (at most once per interval), and over
 * the soft one too when no collection ran since the previous check: the heap is judged by what the latest
 * collection left, and while receivers refuse little is allocated, so no collection would come to say that
 * the heap is free again (a collector refusing everything, its heap mostly garbage, was seen under load). So the
 * process answers "retry later" before it grows past its budget, instead of failing with an
 * {@link OutOfMemoryError} or being killed.
 *
 * <p>{@link #check} does one reading; {@link #start} runs it on a daemon thread. Tests call {@link #check}
 * with their own {@link MemoryReadings} and {@link Ticker}.
 */
public final class MemoryGuard implements Throttle, AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(MemoryGuard.class);
  /** The reason receivers give and {@code /health} shows: a few fixed words. */
  public static final String REASON = "memory limit reached";

  /** What the guard saw at its latest check. */
  public enum Level {
    NORMAL,
    SOFT,
    HARD
  }

  private final MemoryConfig config;
  private final MemoryReadings readings;
  private final Runnable gc;
  private final Ticker ticker;
  private final long heapSoft;
  private final long heapHard;
  private final long residentSoft;
  private final long residentHard;
  private volatile Level level = Level.NORMAL;
  private volatile long lastHeap;
  private volatile long lastResident = -1;
  private volatile long forcedGcs;
  private long lastGcNanos;
  private long lastCollections = -1;
  private boolean gcEver;
  private @Nullable ScheduledExecutorService scheduler;

  private MemoryGuard(MemoryConfig config, MemoryReadings readings, Runnable gc, Ticker ticker) {
    this.config = config;
    this.readings = readings;
    this.gc = gc;
    this.ticker = ticker;
    long heapMax = readings.heapMax();
    this.heapSoft = heapMax * config.softPercent() / 100;
    this.heapHard = heapMax * config.hardPercent() / 100;
    boolean resident = config.checkResident() && config.limitBytes() > 0;
    this.residentSoft = resident ? config.limitBytes() * config.softPercent() / 100 : Long.MAX_VALUE;
    this.residentHard = resident ? config.limitBytes() * config.hardPercent() / 100 : Long.MAX_VALUE;
  }

  /** A guard on this JVM's memory. */
  public static MemoryGuard create(MemoryConfig config) {
    return create(config, MemoryReadings.system(), System::gc, Ticker.SYSTEM);
  }

  /** A guard on these readings; {@code gc} is what "ask for a garbage collection" does. */
  public static MemoryGuard create(MemoryConfig config, MemoryReadings readings, Runnable gc, Ticker ticker) {
    requireNonNull(config, "config");
    if (!config.validate().isEmpty()) {
      throw new IllegalArgumentException("invalid memory config: " + String.join("; ", config.validate()));
    }
    return new MemoryGuard(config, requireNonNull(readings, "readings"), requireNonNull(gc, "gc"),
        requireNonNull(ticker, "ticker"));
  }

  /** Reads memory use once and decides whether receivers refuse; never throws. */
  public synchronized Level check() {
    try {
      Level now = read();
      long collections = readings.collections();
      boolean stale = collections > 0 && collections == lastCollections;
      if ((now == Level.HARD || (now == Level.SOFT && stale)) && gcDue()) {
        lastGcNanos = ticker.nanoTime();
        gcEver = true;
        forcedGcs++;
        gc.run();
        now = read();
        collections = readings.collections();
      }
      lastCollections = collections;
      if (now != level) {
        if (now == Level.NORMAL) {
          logger.info("memory use back under the soft limit ({} heap bytes in use): receivers take data again",
              lastHeap);
        } else if (level == Level.NORMAL) {
          logger.warn("memory use over the {} limit ({} heap bytes of {} soft / {} hard; resident {}):"
              + " receivers refuse new data until it falls", now == Level.HARD ? "hard" : "soft", lastHeap,
              heapSoft, heapHard, lastResident);
        }
        level = now;
      }
    } catch (RuntimeException e) {
      logger.warn("reading memory use failed; keeping the previous state", e);
    }
    return level;
  }

  private Level read() {
    long heap = readings.heapUsed();
    long resident = config.checkResident() ? readings.residentBytes() : -1;
    lastHeap = heap;
    lastResident = resident;
    if (heap >= heapHard || resident >= residentHard) {
      return Level.HARD;
    }
    if (heap >= heapSoft || resident >= residentSoft) {
      return Level.SOFT;
    }
    return Level.NORMAL;
  }

  private boolean gcDue() {
    return !gcEver || ticker.nanoTime() - lastGcNanos >= config.checkInterval().toNanos();
  }

  @Override
  public @Nullable String refusal() {
    return level == Level.NORMAL ? null : REASON;
  }

  @Override
  public Duration retryAfter() {
    Duration interval = config.checkInterval();
    return interval.compareTo(Duration.ofSeconds(1)) > 0 ? interval : Duration.ofSeconds(1);
  }

  public Level level() {
    return level;
  }

  public MemoryConfig config() {
    return config;
  }

  /** The heap in use at the latest check, as {@link MemoryReadings#heapUsed} judges it. */
  public long heapUsed() {
    return lastHeap;
  }

  /** Resident bytes at the latest check, -1 when they are not checked. */
  public long residentBytes() {
    return lastResident;
  }

  public long heapSoftLimit() {
    return heapSoft;
  }

  public long heapHardLimit() {
    return heapHard;
  }

  /** Garbage collections asked for over the hard limit. */
  public long forcedGcs() {
    return forcedGcs;
  }

  /** Checks every interval on a daemon thread (nothing when the guard is off); a second call does nothing. */
  public synchronized void start() {
    if (scheduler != null || !config.guardEnabled()) {
      return;
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tskotel-memory-guard");
      t.setDaemon(true);
      return t;
    });
    long millis = Math.max(1, config.checkInterval().toMillis());
    scheduler.scheduleWithFixedDelay(this::check, 0, millis, TimeUnit.MILLISECONDS);
    logger.info("memory guard on: heap soft limit {} bytes, hard limit {} bytes{}, checked every {}",
        heapSoft, heapHard, config.checkResident() ? ", resident limits " + residentSoft + " / " + residentHard : "",
        config.checkInterval());
  }

  /** Stops checking; receivers are no longer refused. Safe to call twice. */
  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
    level = Level.NORMAL;
  }
}
