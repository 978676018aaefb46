package io.tskotel.collector.bench;

import com.google.protobuf.Message;
import io.tskotel.collector.pipeline.Admission;
import io.tskotel.collector.pipeline.BatcherConfig;
import io.tskotel.collector.pipeline.Pipeline;
import io.tskotel.collector.pipeline.PipelineConfig;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.collector.queue.FsyncPolicy;
import io.tskotel.collector.telemetry.CollectorMetrics;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.TelemetryStore;
import io.tskotel.collector.testing.ForwardingStore;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A/B of the pipeline's drain, queue → batcher → store, in one process: the load generator's realistic
 * requests are queued, and the time until the store has written them all is measured, per pipeline variant
 * (the batcher's object path against the wire path, or {@code batch_writers} 1 against 2), the variants taking
 * turns so the shared machine's noise falls on both. Reports items/s and CPU per item (the process's, and the
 * JVM's Java threads'). Run from the collector module's test class path:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... io.tskotel.collector.bench.DrainBenchmark [requests] [rounds] [signal] [wire|writers|format]
 * </pre>
 */
public final class DrainBenchmark {
  private DrainBenchmark() {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    LoadConfig.Signal signal = LoadConfig.Signal.valueOf(
        (args.length > 2 ? args[2] : "traces").toUpperCase(Locale.ROOT));
    Signal pipelineSignal = Signal.valueOf(signal.name());
    Path root = Files.createTempDirectory("tskotel-drain-");
    LoadConfig load = new LoadConfig(signal, LoadConfig.Protocol.GRPC, URI.create("http://127.0.0.1:4317"),
        null, 1, 8, 0, Duration.ofSeconds(1), 0, 500, 3, 10, 0.05, 10, null, null, Duration.ofSeconds(60));
    Payloads payloads = new Payloads(load, 42, System.currentTimeMillis() * 1_000_000L);
    byte[][] bodies = new byte[Payloads.POOL][];
    for (int i = 0; i < Payloads.POOL; i++) {
      Message m = payloads.request(i);
      bodies[i] = m.toByteArray();
    }
    // "writers": batch_writers 1 against 2; "wire" (default): the object path (queued requests parsed into
    // protobuf's objects, the old batcher path) against the wire path, one writer each.
    String compare = args.length > 3 ? args[3] : "wire";
    Map<String, Variant> variants = new LinkedHashMap<>();
    // "format": the store inserting RowBinary against Native (each into a database of its own).
    StoreConfig.InsertFormat nativeFormat = StoreConfig.InsertFormat.NATIVE;
    if (compare.equals("writers")) {
      variants.put("writers_1", new Variant(1, true, nativeFormat));
      variants.put("writers_2", new Variant(2, true, nativeFormat));
    } else if (compare.equals("format")) {
      variants.put("rowbinary", new Variant(1, true, StoreConfig.InsertFormat.ROWBINARY));
      variants.put("native", new Variant(1, true, nativeFormat));
    } else {
      variants.put("object", new Variant(1, false, nativeFormat));
      variants.put("wire", new Variant(1, true, nativeFormat));
    }
    String baseline = variants.keySet().iterator().next();
    Map<String, long[]> totals = new LinkedHashMap<>();
    variants.keySet().forEach(k -> totals.put(k, new long[4]));
    try (ClickHouseStore store = ClickHouseStore.embedded(
            StoreConfig.builder().dataPath(root.resolve("chdb")).database("drain").build());
        ClickHouseStore rowBinaryStore = ClickHouseStore.embedded(StoreConfig.builder()
            .dataPath(root.resolve("chdb")).database("drain_rowbinary")
            .insertFormat(StoreConfig.InsertFormat.ROWBINARY).build())) {
      Map<StoreConfig.InsertFormat, ClickHouseStore> stores = Map.of(
          StoreConfig.InsertFormat.NATIVE, store, StoreConfig.InsertFormat.ROWBINARY, rowBinaryStore);
      // JIT and engine warm-up, every variant
      int w = 0;
      for (Variant v : variants.values()) {
        run(stores.get(v.format()), root.resolve("warmup-" + w++), v, pipelineSignal, bodies, requests / 3);
      }
      for (int r = 0; r < rounds; r++) {
        List<Map.Entry<String, Variant>> order = new java.util.ArrayList<>(variants.entrySet());
        if (r % 2 == 1) {
          java.util.Collections.reverse(order); // A B, B A, ...: neither always inherits the other's merges
        }
        for (Map.Entry<String, Variant> v : order) {
          long[] res = run(stores.get(v.getValue().format()), root.resolve(v.getKey() + "-" + r), v.getValue(), pipelineSignal, bodies,
              requests);
          long[] t = totals.get(v.getKey());
          for (int i = 0; i < t.length; i++) {
            t[i] += res[i];
          }
          System.out.printf(Locale.ROOT, "round %d %-10s %,9.0f items/s %6.2f cpu-us/item (process), %6.2f"
              + " (Java threads)%n", r, v.getKey(), res[0] / (res[1] / 1e9), res[2] / 1e3 / res[0],
              res[3] / 1e3 / res[0]);
        }
      }
    }
    long[] base = totals.get(baseline);
    System.out.println("| variant | items/s | ÷ " + baseline + " | process CPU µs per item | ÷ " + baseline
        + " | Java threads' CPU µs per item | ÷ " + baseline + " | items per Java-thread CPU-second |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    totals.forEach((k, t) -> System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f | %.1f | %.2f | %.2f | %.2f | %,.0f |%n",
        k, t[0] / (t[1] / 1e9), (t[0] / (double) t[1]) / (base[0] / (double) base[1]), t[2] / 1e3 / t[0],
        (t[2] / (double) t[0]) / (base[2] / (double) base[0]), t[3] / 1e3 / t[0],
        (t[3] / (double) t[0]) / (base[3] / (double) base[0]), t[0] / (t[3] / 1e9)));
    System.exit(0);
  }

  /** A pipeline variant: batch writers, the store's insert format, and whether the store gets the queued bytes (else parsed objects). */
  private record Variant(int writers, boolean wire, StoreConfig.InsertFormat format) {}

  /**
   * Items, nanoseconds from the first admission to the last write, process CPU nanoseconds (the engine's
   * threads included), CPU nanoseconds of the JVM's Java threads (the engine's work inside FFM calls on them
   * included; GC and JIT threads not).
   */
  private static long[] run(ClickHouseStore store, Path dir, Variant variant, Signal signal, byte[][] bodies,
      int requests) throws Exception {
    // The object path as it was: the default writeTraceRequests/writeLogRequests parse, then write objects.
    TelemetryStore target = variant.wire() ? store : new ForwardingStore(store) {};
    Pipeline pipeline = Pipeline.builder(PipelineConfig.builder(dir).fsync(FsyncPolicy.NEVER)
        .batch(BatcherConfig.builder().writers(variant.writers()).build()).build(), target).start();
    long items = 0;
    long cpu0 = processCpuNanos();
    Map<Long, Long> java0 = javaThreadCpu();
    long start = System.nanoTime();
    for (int i = 0; i < requests; i++) {
      while (pipeline.sink().admit(signal, bodies[i % bodies.length], 500).outcome()
          != Admission.Outcome.ACCEPTED) {
        LockSupport.parkNanos(1_000_000);
      }
      items += 500;
    }
    Map<String, String> labels = Map.of("signal", CollectorMetrics.signalName(signal));
    while (pipeline.metrics().value(CollectorMetrics.WRITTEN, labels) < items) {
      LockSupport.parkNanos(2_000_000);
    }
    long nanos = System.nanoTime() - start;
    long cpu = processCpuNanos() - cpu0;
    long javaCpu = 0;
    for (Map.Entry<Long, Long> e : javaThreadCpu().entrySet()) {
      javaCpu += e.getValue() - java0.getOrDefault(e.getKey(), 0L);
    }
    pipeline.shutdown();
    return new long[] {items, nanos, cpu, javaCpu};
  }

  private static Map<Long, Long> javaThreadCpu() {
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, Long> cpu = new java.util.HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      long t = threads.getThreadCpuTime(id);
      if (t > 0) {
        cpu.put(id, t);
      }
    }
    return cpu;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
