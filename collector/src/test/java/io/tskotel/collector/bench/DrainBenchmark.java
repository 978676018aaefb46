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
    } else if (compare.equals("parts")) {
      // args[4]: items:batchMiB:insertMiB,... (default today's 20000:32:16 against 100000:128:128)
      String spec = args.length > 4 ? args[4] : "20000:32:16,100000:128:128";
      for (String v : spec.split(",")) {
        String[] f = v.split(":");
        variants.put("b" + f[0] + "_" + f[1] + "_" + f[2], new Variant(1, true, nativeFormat,
            Integer.parseInt(f[0]), Long.parseLong(f[1]) << 20, Integer.parseInt(f[2]) << 20));
      }
    } else if (compare.equals("format")) {
      variants.put("rowbinary", new Variant(1, true, StoreConfig.InsertFormat.ROWBINARY));
      variants.put("native", new Variant(1, true, nativeFormat));
    } else {
      variants.put("object", new Variant(1, false, nativeFormat));
      variants.put("wire", new Variant(1, true, nativeFormat));
    }
    if (compare.equals("parts")) {
      long requestBytes = 0;
      for (byte[] b : bodies) {
        requestBytes += b.length;
      }
      System.out.printf(Locale.ROOT, "request bytes per item: %.0f%n", requestBytes / (double) bodies.length / 500);
      parts(root, variants, pipelineSignal, bodies, requests, rounds);
      System.exit(0);
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

  /**
   * The engine's CPU per item, merges included, by batch and insert size: every variant drains the same queued
   * requests into a database of its own on one engine through the production path (wire encoders, Native
   * inserts), then the turn waits until the engine runs no merge (1.5 s quiet), so the merges a variant's parts
   * caused are counted with it. Variants take turns, reversed every other round. Reports per item the process's
   * CPU, the engine's (process minus the Java threads' minus GC/JIT/VM threads' from /proc/self/task; the
   * engine's work inside FFM calls on the batcher's thread counts as Java), the merge threads' alone, and rows rewritten by merges; the process's peak RSS and
   * the engine's tracked memory, sampled every 100 ms during the turn; and per table the active parts at the end.
   */
  private static void parts(Path root, Map<String, Variant> variants, Signal signal, byte[][] bodies, int requests,
      int rounds) throws Exception {
    Map<String, ClickHouseStore> stores = new LinkedHashMap<>();
    for (Map.Entry<String, Variant> v : variants.entrySet()) {
      stores.put(v.getKey(), ClickHouseStore.embedded(StoreConfig.builder().dataPath(root.resolve("chdb"))
          .database("d_" + v.getKey()).maxInsertBytes(v.getValue().maxInsertBytes()).build()));
    }
    ClickHouseStore any = stores.values().iterator().next();
    int w = 0;
    for (Map.Entry<String, Variant> v : variants.entrySet()) {
      run(stores.get(v.getKey()), root.resolve("warmup-" + w++), v.getValue(), signal, bodies, requests / 4);
    }
    EngineCounters.awaitNoMerges(any, Duration.ofMillis(1500), Duration.ofSeconds(120));
    // items, wall ns (admission to written), process cpu ns, java cpu ns, engine cpu ns, merge cpu ns,
    // merged rows, peak rss bytes, peak engine tracked bytes, wall ns including the merges
    Map<String, long[]> totals = new LinkedHashMap<>();
    variants.keySet().forEach(k -> totals.put(k, new long[10]));
    Map<String, Map<String, Double>> mergeSeconds = new LinkedHashMap<>();
    Map<String, Long> partsWritten = new LinkedHashMap<>();
    for (int r = 0; r < rounds; r++) {
      List<Map.Entry<String, Variant>> order = new java.util.ArrayList<>(variants.entrySet());
      if (r % 2 == 1) {
        java.util.Collections.reverse(order);
      }
      for (Map.Entry<String, Variant> v : order) {
        long jvm0 = BenchStats.jvmInternalThreadsCpuNanos();
        long merge0 = BenchStats.mergeThreadsCpuNanos();
        long merged0 = EngineCounters.event(any, "MergedRows");
        long blocks0 = EngineCounters.event(any, "MergeTreeDataWriterBlocks");
        long cpu0 = processCpuNanos();
        long start = System.nanoTime();
        Sampler sampler = new Sampler(any, "d_" + v.getKey());
        sampler.start();
        long[] res = run(stores.get(v.getKey()), root.resolve(v.getKey() + "-" + r), v.getValue(), signal, bodies,
            requests);
        // run() measured up to the last write; the merges those writes caused are counted until quiet
        EngineCounters.awaitNoMerges(any, Duration.ofMillis(1500), Duration.ofSeconds(120));
        sampler.stop = true;
        sampler.join();
        long wallAll = System.nanoTime() - start;
        long cpuAll = processCpuNanos() - cpu0;
        long engine = cpuAll - res[3] - (BenchStats.jvmInternalThreadsCpuNanos() - jvm0);
        long merge = BenchStats.mergeThreadsCpuNanos() - merge0;
        long merged = EngineCounters.event(any, "MergedRows") - merged0;
        long blocks = EngineCounters.event(any, "MergeTreeDataWriterBlocks") - blocks0;
        sampler.mergeSeconds().forEach((table, sec) -> mergeSeconds.computeIfAbsent(v.getKey(),
            k -> new java.util.TreeMap<>()).merge(table, sec, Double::sum));
        partsWritten.merge(v.getKey(), blocks, Long::sum);
        long[] t = totals.get(v.getKey());
        t[0] += res[0];
        t[1] += res[1];
        t[2] += cpuAll;
        t[3] += res[3];
        t[4] += engine;
        t[5] += merge;
        t[6] += merged;
        t[7] = Math.max(t[7], sampler.peakRss);
        t[8] = Math.max(t[8], sampler.peakEngine);
        t[9] += wallAll;
        System.out.printf(Locale.ROOT, "round %d %-22s %,9.0f items/s (drain), %6.2f cpu-us/item process, %6.2f"
            + " engine, %6.2f merges, %.2f rows merged per row, peak RSS %,d MiB, engine %,d MiB%n", r, v.getKey(),
            res[0] / (res[1] / 1e9), cpuAll / 1e3 / res[0], engine / 1e3 / res[0], merge / 1e3 / res[0],
            merged / (double) res[0], sampler.peakRss >> 20, sampler.peakEngine >> 20);
      }
    }
    String baseline = variants.keySet().iterator().next();
    long[] b = totals.get(baseline);
    System.out.println("| variant | items/s (drain) | ÷ | items/s incl. its merges | ÷ | process CPU µs per item | ÷ |"
        + " engine CPU µs per item | ÷ | merge threads µs | ÷ | rows merged per row | Java threads µs |"
        + " peak RSS MiB | engine peak MiB |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Map.Entry<String, long[]> e : totals.entrySet()) {
      long[] t = e.getValue();
      System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f | %,.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |"
          + " %.2f | %.2f | %,d | %,d |%n", e.getKey(),
          t[0] / (t[1] / 1e9), (t[0] / (double) t[1]) / (b[0] / (double) b[1]),
          t[0] / (t[9] / 1e9), (t[0] / (double) t[9]) / (b[0] / (double) b[9]),
          t[2] / 1e3 / t[0], (t[2] / (double) t[0]) / (b[2] / (double) b[0]),
          t[4] / 1e3 / t[0], (t[4] / (double) t[0]) / (b[4] / (double) b[0]),
          t[5] / 1e3 / t[0], (t[5] / (double) t[0]) / (b[5] / (double) b[0]),
          t[6] / (double) t[0], t[3] / 1e3 / t[0], t[7] >> 20, t[8] >> 20);
    }
    for (String name : variants.keySet()) {
      List<List<Object>> rows = any.engine().query("SELECT table, count(), sum(rows), round(sum(rows * level) / sum(rows), 2),"
          + " max(rows) FROM system.parts WHERE active AND database = {d:String} GROUP BY table ORDER BY table",
          Map.of("d", "d_" + name)).rows();
      System.out.println(name + " active parts (table, parts, rows, row-weighted level, largest part rows): " + rows);
      long items = totals.get(name)[0];
      System.out.printf(Locale.ROOT, "%s parts written (all tables) per 100k items: %.1f; merge seconds per table"
          + " (sampled from system.merges): %s%n", name, partsWritten.getOrDefault(name, 0L) * 1e5 / items,
          mergeSeconds.get(name));
    }
    stores.values().forEach(ClickHouseStore::close);
  }

  /**
   * Peak process RSS and the engine's tracked memory while a turn runs, and the seconds each merge of the
   * variant's database ran, per table (its last elapsed seen in {@code system.merges}; a merge runs on one
   * thread, so this is close to its CPU).
   */
  private static final class Sampler extends Thread {
    private final ClickHouseStore store;
    private final String database;
    private final Map<String, Object[]> merges = new java.util.concurrent.ConcurrentHashMap<>();
    volatile boolean stop;
    long peakRss;
    long peakEngine;

    Sampler(ClickHouseStore store, String database) {
      this.store = store;
      this.database = database;
      setDaemon(true);
    }

    Map<String, Double> mergeSeconds() {
      Map<String, Double> out = new java.util.TreeMap<>();
      merges.values().forEach(m -> out.merge((String) m[0], (Double) m[1], Double::sum));
      return out;
    }

    @Override
    public void run() {
      while (!stop) {
        try {
          for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
              peakRss = Math.max(peakRss, Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
            }
          }
          List<List<Object>> rows = store.engine().query(
              "SELECT value FROM system.metrics WHERE metric = 'MemoryTracking'", Map.of()).rows();
          if (!rows.isEmpty()) {
            peakEngine = Math.max(peakEngine, ((Number) rows.get(0).get(0)).longValue());
          }
          for (List<Object> m : store.engine().query("SELECT table, result_part_name, elapsed FROM system.merges"
              + " WHERE database = {d:String}", Map.of("d", database)).rows()) {
            merges.put(m.get(0) + "/" + m.get(1), new Object[] {m.get(0), ((Number) m.get(2)).doubleValue()});
          }
          Thread.sleep(100);
        } catch (Exception e) {
          return;
        }
      }
    }
  }

  /** A pipeline variant: batch writers, the store's insert format, and whether the store gets the queued bytes (else parsed objects). */
  private record Variant(int writers, boolean wire, StoreConfig.InsertFormat format, int maxItems, long maxBytes,
      int maxInsertBytes) {
    Variant(int writers, boolean wire, StoreConfig.InsertFormat format) {
      this(writers, wire, format, BatcherConfig.DEFAULT_MAX_ITEMS, BatcherConfig.DEFAULT_MAX_BYTES, 16 << 20);
    }
  }

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
        .batch(BatcherConfig.builder().writers(variant.writers()).maxItems(variant.maxItems())
            .maxBytes(variant.maxBytes()).build()).build(), target).start();
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
