package io.tskotel.collector.pipeline;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.tskotel.collector.queue.FsyncPolicy;
import io.tskotel.collector.testing.ForwardingStore;
import io.tskotel.collector.testing.OtlpRequests;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import io.tskotel.exporter.internal.chdb.ChdbEngine;
import io.tskotel.exporter.testing.NonClosingEngine;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Load generator for the batch defaults ({@code batch_max_items} N, {@code batch_max_delay} T) on the
 * embedded store. Not a test: run it by hand, e.g.
 * {@code java --enable-native-access=ALL-UNNAMED -cp <test classpath>
 * io.tskotel.collector.pipeline.BatchSizeBenchmark [secondsPerCase] [spansPerRequest]}.
 *
 * <p>Per (N, T), through the real sink → queue → batcher → store (chDB), with trace requests:
 *
 * <ul>
 *   <li><b>saturated</b>: producers send as fast as the queue takes (refused requests back off), so the
 *       store sets the pace: spans written per second, as a ratio to the baseline, and the p99 time of one
 *       batch write;
 *   <li><b>busy</b> and <b>light</b>: a fixed offered load (a quarter, and a fiftieth, of the baseline),
 *       open loop: p99 delay from send to stored, which is what a user waiting for fresh data sees.
 * </ul>
 *
 * The baseline, measured in the same run right before each case, is the store alone: {@code writeTraces} of 10,000-span batches
 * in a loop, with nothing in front of it. The queue runs with fsync {@code never} here, so the queue's
 * disk syncs (measured separately by {@code QueueAppendBenchmark}) do not hide the batching effect.
 */
public final class BatchSizeBenchmark {
  private static final int PRODUCERS = 3;

  private BatchSizeBenchmark() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    int spansPerRequest = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Path root = Files.createTempDirectory("tskotel-batch-bench");
    ChdbEngine engine = ChdbEngine.builder().dataPath(root.resolve("chdb")).build();
    int[] databases = {0};

    // Warm-up (JIT, chDB caches).
    baseline(newStore(engine, databases), spansPerRequest, seconds / 2);
    dropDatabases(engine, databases);
    System.out.printf("%d spans per request, %.1f s per case, %d producers when saturated; baseline measured"
        + " again before each case (the machine is shared)%n%n", spansPerRequest, seconds, PRODUCERS);
    System.out.printf("%-16s | %14s %14s %7s %13s | %12s %6s | %12s %6s%n", "N / T", "baseline sp/s",
        "saturated sp/s", "ratio", "p99 write ms", "busy p99 ms", "/ T", "light p99 ms", "/ T");
    Object[][] cases = {
      {1_000, Duration.ofMillis(200)}, {5_000, Duration.ofSeconds(1)}, {10_000, Duration.ofMillis(200)},
      {10_000, Duration.ofSeconds(1)}, {20_000, Duration.ofSeconds(1)}, {50_000, Duration.ofSeconds(1)},
    };
    for (Object[] c : cases) {
      int n = (Integer) c[0];
      Duration t = (Duration) c[1];
      BatcherConfig batch = BatcherConfig.builder().maxItems(n).maxDelay(t).build();
      double baseline = baseline(newStore(engine, databases), spansPerRequest, seconds / 2);
      dropDatabases(engine, databases);
      Result saturated = saturated(newStore(engine, databases), root, batch, spansPerRequest, seconds);
      dropDatabases(engine, databases);
      double busyP99 = steady(newStore(engine, databases), root, batch, spansPerRequest, seconds, baseline / 4);
      dropDatabases(engine, databases);
      double lightP99 = steady(newStore(engine, databases), root, batch, spansPerRequest, seconds, baseline / 50);
      dropDatabases(engine, databases);
      System.out.printf("%-16s | %,14.0f %,14.0f %7.3f %13.1f | %12.1f %6.2f | %12.1f %6.2f%n",
          n + " / " + t.toMillis() + "ms", baseline, saturated.spansPerSecond(),
          saturated.spansPerSecond() / baseline, saturated.p99WriteMillis(), busyP99, busyP99 / t.toMillis(),
          lightP99, lightP99 / t.toMillis());
    }
    engine.close();
  }

  private static ClickHouseStore newStore(ChdbEngine engine, int[] databases) throws StoreException {
    StoreConfig config = StoreConfig.builder().database("bench_" + databases[0]++).build();
    return ClickHouseStore.create(config, new NonClosingEngine(engine));
  }

  /** Drops the databases made so far, so their background merges do not slow down the next case. */
  private static void dropDatabases(ChdbEngine engine, int[] databases) throws StoreException {
    for (int i = 0; i < databases[0]; i++) {
      engine.execute("DROP DATABASE IF EXISTS {db:Identifier} SYNC", Map.of("db", "bench_" + i));
    }
  }

  private static double baseline(ClickHouseStore store, int spansPerRequest, double seconds) throws Exception {
    List<ResourceSpans> batch = new ArrayList<>();
    for (int r = 0; r < 10_000 / spansPerRequest; r++) {
      batch.addAll(OtlpRequests.traces(r, spansPerRequest, "bench").getResourceSpansList());
    }
    long spans = 0;
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      store.writeTraces(batch);
      spans += 10_000;
    }
    double rate = spans / ((System.nanoTime() - start) / 1e9);
    store.close();
    return rate;
  }

  record Result(double spansPerSecond, double p99WriteMillis) {}

  private static PipelineConfig config(Path root, BatcherConfig batch, Duration drainTimeout) throws Exception {
    return PipelineConfig.builder(Files.createTempDirectory(root, "queue"))
        .fsync(FsyncPolicy.NEVER)
        .queueMaxBytes(16L << 20)
        .segmentBytes(4L << 20)
        .batch(batch)
        .drainTimeout(drainTimeout)
        .build();
  }

  private static Result saturated(
      ClickHouseStore store, Path root, BatcherConfig batch, int spansPerRequest, double seconds)
      throws Exception {
    TimingStore timing = new TimingStore(store);
    // The backlog is not needed afterwards: stop without draining it.
    Pipeline pipeline = Pipeline.builder(config(root, batch, Duration.ZERO), timing).start();
    byte[][] requests = new byte[64][];
    for (int i = 0; i < requests.length; i++) {
      requests[i] = OtlpRequests.traces(i, spansPerRequest, "bench").toByteArray();
    }
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> producers = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      int offset = p;
      producers.add(Thread.ofPlatform().start(() -> {
        for (int i = offset; !stop.get(); i++) {
          if (pipeline.sink().admit(Signal.TRACES, requests[i % requests.length], spansPerRequest).outcome()
              != Admission.Outcome.ACCEPTED) {
            LockSupport.parkNanos(1_000_000);
          }
        }
      }));
    }
    LockSupport.parkNanos((long) (seconds * 0.3e9)); // fill the queue, let batches reach their size
    long spans0 = timing.spans.get();
    long t0 = System.nanoTime();
    timing.writeNanos.clear();
    LockSupport.parkNanos((long) (seconds * 1e9));
    double rate = (timing.spans.get() - spans0) / ((System.nanoTime() - t0) / 1e9);
    double p99 = percentile(timing.writeNanos, 0.99) / 1e6;
    stop.set(true);
    for (Thread t : producers) {
      t.join();
    }
    pipeline.shutdown();
    store.close();
    return new Result(rate, p99);
  }

  /** Open loop at {@code spansPerSecond}; returns the p99 delay from send to stored, in ms. */
  private static double steady(ClickHouseStore store, Path root, BatcherConfig batch, int spansPerRequest,
      double seconds, double spansPerSecond) throws Exception {
    int requests = (int) (seconds * spansPerSecond / spansPerRequest);
    TimingStore timing = new TimingStore(store);
    timing.sentNanos = new AtomicLongArray(requests);
    Pipeline pipeline = Pipeline.builder(config(root, batch, Duration.ofSeconds(60)), timing).start();
    long intervalNanos = (long) (1e9 * spansPerRequest / spansPerSecond);
    long start = System.nanoTime();
    for (int r = 0; r < requests; r++) {
      long due = start + r * intervalNanos;
      for (long now; (now = System.nanoTime()) < due; ) {
        LockSupport.parkNanos(due - now);
      }
      byte[] request = OtlpRequests.traces(r, spansPerRequest, "bench").toByteArray();
      timing.sentNanos.set(r, System.nanoTime());
      if (pipeline.sink().admit(Signal.TRACES, request, spansPerRequest).outcome() != Admission.Outcome.ACCEPTED) {
        throw new IllegalStateException("steady load refused: lower the offered load");
      }
    }
    pipeline.shutdown();
    store.close();
    return percentile(timing.delays, 0.99) / 1e6;
  }

  private static double percentile(List<Long> values, double p) {
    long[] sorted;
    synchronized (values) {
      sorted = values.stream().mapToLong(Long::longValue).toArray();
    }
    if (sorted.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  /** The real store, timing each batch write and, in steady mode, each request's send-to-stored delay. */
  private static final class TimingStore extends ForwardingStore {
    final AtomicLong spans = new AtomicLong();
    final List<Long> writeNanos = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<Long> delays = java.util.Collections.synchronizedList(new ArrayList<>());
    volatile AtomicLongArray sentNanos;

    TimingStore(TelemetryStore delegate) {
      super(delegate);
    }

    @Override
    public void writeTraces(List<ResourceSpans> resourceSpans) throws StoreException {
      long start = System.nanoTime();
      delegate.writeTraces(resourceSpans);
      long end = System.nanoTime();
      writeNanos.add(end - start);
      long n = 0;
      for (ResourceSpans rs : resourceSpans) {
        for (var ss : rs.getScopeSpansList()) {
          n += ss.getSpansCount();
        }
        AtomicLongArray sent = sentNanos;
        if (sent != null) {
          // Trace id of request r is r + 1 (OtlpRequests).
          long r = ByteBuffer.wrap(rs.getScopeSpans(0).getSpans(0).getTraceId().toByteArray()).getLong(8) - 1;
          delays.add(end - sent.get((int) r));
        }
      }
      spans.addAndGet(n);
    }
  }
}
