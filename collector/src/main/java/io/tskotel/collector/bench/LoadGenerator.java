package io.tskotel.collector.bench;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Sends OTLP load to a collector as {@link LoadConfig} says, prints progress once a second, and reports what
 * was acknowledged, refused and retried, with latency percentiles; when the collector's {@code /status} is
 * given, it then follows the store until everything acknowledged is written, and reports the committed rate.
 *
 * <p>Bounded by construction: a run ends at its duration or request count, retries stop at {@code
 * maxRetries}, and the drain is followed for at most {@code drainTimeout}.
 */
public final class LoadGenerator {
  private static final long MAX_BACKOFF_MILLIS = 5_000;
  private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(10);

  private final LoadConfig config;
  private final PrintWriter progress;
  private final Semaphore window;
  private final Recorder latency = new Recorder(MAX_LATENCY_MICROS, 3);
  private final Histogram total = new Histogram(MAX_LATENCY_MICROS, 3);
  private final LongAdder attempts = new LongAdder();
  private final LongAdder acked = new LongAdder();
  private final LongAdder ackedItems = new LongAdder();
  private final LongAdder rejectedItems = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
  private final AtomicLong lastAckedItems = new AtomicLong();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "loadgen-scheduler");
    t.setDaemon(true);
    return t;
  });
  private Transport transport;

  private LoadGenerator(LoadConfig config, PrintWriter progress) {
    this.config = config;
    this.progress = progress;
    this.window = new Semaphore(config.inFlight());
  }

  /** Runs {@code config} to its end; progress and the summary go to {@code progress}. */
  public static LoadReport run(LoadConfig config, PrintWriter progress) throws InterruptedException, IOException {
    requireNonNull(config, "config");
    requireNonNull(progress, "progress");
    List<String> errors = config.validate();
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join(", ", errors));
    }
    return new LoadGenerator(config, progress).run();
  }

  private LoadReport run() throws InterruptedException, IOException {
    long nowNanos = System.currentTimeMillis() * 1_000_000L;
    List<byte[]> bodies = new Payloads(config, 42, nowNanos).bodies();
    progress.printf("loadgen: %s over %s to %s: %d items a request, %d in flight on %d connection(s), %s%n",
        config.signal().name().toLowerCase(java.util.Locale.ROOT), config.protocol(), config.endpoint(),
        config.itemsPerRequest(), config.inFlight(), config.connections(),
        config.rate() > 0 ? String.format("%.0f requests/s", config.rate()) : "max rate");
    progress.flush();
    StatusFollower follower = config.statusUrl() == null ? null
        : new StatusFollower(config.statusUrl(), config.statusToken(), config.signal());
    StatusFollower.Reading baseline = follower == null ? null : follower.read();
    transport = config.protocol() == LoadConfig.Protocol.GRPC ? new GrpcTransport(config) : new HttpTransport(config);
    long start = System.nanoTime();
    long sent;
    try {
      scheduler.scheduleAtFixedRate(() -> printProgress(start), 1, 1, TimeUnit.SECONDS);
      sent = send(bodies, start);
      // Every request answered (or given up on) before the phase ends: acquire the whole window back.
      if (!window.tryAcquire(config.inFlight(), config.drainTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
        progress.println("loadgen: requests still unanswered after " + config.drainTimeout());
      }
    } finally {
      scheduler.shutdownNow();
      transport.close();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    synchronized (total) {
      total.add(latency.getIntervalHistogram());
    }
    Long committed = null;
    double committedSeconds = 0;
    boolean drained = false;
    if (follower != null) {
      try (follower) {
        StatusFollower.Reading last = followDrain(follower, baseline);
        committed = last.writtenItems() - baseline.writtenItems();
        committedSeconds = (last.atNanos() - start) / 1e9;
        drained = last.queueRecords() <= 0 && committed >= ackedItems.sum();
      }
    }
    Map<String, Long> byStatus = new TreeMap<>();
    refusals.forEach((k, v) -> byStatus.put(k, v.sum()));
    LoadReport report = new LoadReport(seconds, sent, acked.sum(), ackedItems.sum(), rejectedItems.sum(),
        refused.sum(), retries.sum(), millis(total.getValueAtPercentile(50)),
        millis(total.getValueAtPercentile(99)), millis(total.getMaxValue()), byStatus, committed,
        committedSeconds, drained);
    printSummary(report);
    return report;
  }

  /** The sending phase: paced or as fast as the window allows, until the duration or the count ends it. */
  private long send(List<byte[]> bodies, long start) throws InterruptedException {
    long end = start + config.duration().toNanos();
    long n = 0;
    while (config.requests() == 0 || n < config.requests()) {
      long now = System.nanoTime();
      if (now >= end) {
        break;
      }
      if (config.rate() > 0) {
        long due = start + (long) (n * 1e9 / config.rate());
        if (due > now) {
          LockSupport.parkNanos(Math.min(due, end) - now);
          continue;
        }
      }
      if (!window.tryAcquire(end - now, TimeUnit.NANOSECONDS)) {
        break;
      }
      attempt(bodies.get((int) (n % bodies.size())), System.nanoTime(), 0);
      n++;
    }
    return n;
  }

  /** One attempt of a request that holds a window permit until it is acknowledged or given up on. */
  private void attempt(byte[] body, long firstSentNanos, int tries) {
    attempts.increment();
    transport.send(body).thenAccept(answer -> {
      switch (answer.outcome()) {
        case ACCEPTED -> {
          acked.increment();
          ackedItems.add(config.itemsPerRequest() - answer.rejectedItems());
          rejectedItems.add(answer.rejectedItems());
          latency.recordValue(Math.min(MAX_LATENCY_MICROS, (System.nanoTime() - firstSentNanos) / 1000));
          window.release();
        }
        case RETRYABLE -> {
          if (tries < config.maxRetries() && !scheduler.isShutdown()) {
            retries.increment();
            // As the OpenTelemetry Collector's exporters: the collector's delay, or the backoff when longer, so
            // that the refused requests of a storm neither retry in lockstep nor sooner than asked.
            long delay = Math.max(answer.retryAfterMillis(), backoffMillis(tries));
            try {
              scheduler.schedule(() -> attempt(body, firstSentNanos, tries + 1), delay, TimeUnit.MILLISECONDS);
              return;
            } catch (java.util.concurrent.RejectedExecutionException e) {
              // shutting down: counted as refused below
            }
          }
          refuse(answer.detail());
        }
        case REFUSED -> refuse(answer.detail());
      }
    });
  }

  private void refuse(String detail) {
    refused.increment();
    refusals.computeIfAbsent(detail, k -> new LongAdder()).increment();
    window.release();
  }

  /** 100 ms doubling per try up to 5 s, each with jitter in [50 %, 100 %] so that retries spread out. */
  private static long backoffMillis(int tries) {
    long ceiling = Math.min(MAX_BACKOFF_MILLIS, 100L << Math.min(tries, 16));
    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }

  private StatusFollower.Reading followDrain(StatusFollower follower, StatusFollower.Reading baseline)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + config.drainTimeout().toNanos();
    long target = baseline.writtenItems() + ackedItems.sum();
    StatusFollower.Reading last = follower.read();
    StatusFollower.Reading lastChange = last;
    long lastPrint = 0;
    while (System.nanoTime() < deadline && (last.writtenItems() < target || last.queueRecords() > 0)) {
      Thread.sleep(250); // polling a remote process against the deadline above
      StatusFollower.Reading r = follower.read();
      if (r.writtenItems() != last.writtenItems()) {
        lastChange = r;
        if (r.atNanos() - lastPrint >= 1_000_000_000L) { // a line a second at most
          lastPrint = r.atNanos();
          progress.printf("  draining: %,d of %,d acknowledged items written, %,d records queued%n",
              r.writtenItems() - baseline.writtenItems(), ackedItems.sum(), Math.max(0, r.queueRecords()));
          progress.flush();
        }
      }
      last = r;
    }
    // The committed rate ends where the last item was written, not where polling noticed the queue empty.
    return new StatusFollower.Reading(last.writtenItems(), last.queueRecords(), lastChange.atNanos());
  }

  private void printProgress(long start) {
    Histogram interval;
    synchronized (total) {
      interval = latency.getIntervalHistogram();
      total.add(interval);
    }
    long items = ackedItems.sum();
    long delta = items - lastAckedItems.getAndSet(items);
    progress.printf("  %4ds  %,10d items/s  acked %,12d  refused %,6d  retried %,6d  p50 %7.1f ms  p99 %7.1f ms"
            + "  in flight %d%n",
        (System.nanoTime() - start) / 1_000_000_000L, delta, items, refused.sum(), retries.sum(),
        millis(interval.getValueAtPercentile(50)), millis(interval.getValueAtPercentile(99)),
        config.inFlight() - window.availablePermits());
    progress.flush();
  }

  private void printSummary(LoadReport r) {
    progress.printf("loadgen: %,d requests in %.1f s: %,d acknowledged (%,d items, %,.0f items/s), %,d refused %s,"
            + " %,d retries, %,d items rejected by partial success%n",
        r.requests(), r.seconds(), r.ackedRequests(), r.ackedItems(), r.ackedPerSecond(), r.refusedRequests(),
        r.refusals(), r.retries(), r.rejectedItems());
    progress.printf("loadgen: latency (first send to acknowledgement) p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        r.p50Millis(), r.p99Millis(), r.maxMillis());
    if (r.committedItems() != null) {
      progress.printf("loadgen: store committed %,d items in %.1f s (%,.0f items/s)%s%n", r.committedItems(),
          r.committedSeconds(), r.committedPerSecond(), r.drained() ? ", queue drained"
              : ", NOT drained within " + config.drainTimeout());
    }
    progress.flush();
  }

  private static double millis(long micros) {
    return micros / 1000.0;
  }
}
