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
 * ({@code batch_writers} 1 against 2), the variants taking turns so the shared machine's noise falls on both.
 * Reports spans/s and process CPU per span. Run from the collector module's test class path:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... io.tskotel.collector.bench.DrainBenchmark [requests] [rounds] [signal]
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
    Map<String, Integer> variants = new LinkedHashMap<>();
    variants.put("writers_1", 1);
    variants.put("writers_2", 2);
    Map<String, long[]> totals = new LinkedHashMap<>();
    variants.keySet().forEach(k -> totals.put(k, new long[3]));
    try (ClickHouseStore store = ClickHouseStore.embedded(
        StoreConfig.builder().dataPath(root.resolve("chdb")).database("drain").build())) {
      run(store, root.resolve("warmup"), 1, pipelineSignal, bodies, requests / 3); // JIT and engine warm-up
      for (int r = 0; r < rounds; r++) {
        List<Map.Entry<String, Integer>> order = new java.util.ArrayList<>(variants.entrySet());
        if (r % 2 == 1) {
          java.util.Collections.reverse(order); // A B, B A, ...: neither always inherits the other's merges
        }
        for (Map.Entry<String, Integer> v : order) {
          long[] res = run(store, root.resolve(v.getKey() + "-" + r), v.getValue(), pipelineSignal, bodies,
              requests);
          long[] t = totals.get(v.getKey());
          for (int i = 0; i < 3; i++) {
            t[i] += res[i];
          }
          System.out.printf(Locale.ROOT, "round %d %-10s %,9.0f items/s %6.2f cpu-us/item%n", r, v.getKey(),
              res[0] / (res[1] / 1e9), res[2] / 1e3 / res[0]);
        }
      }
    }
    long[] base = totals.get("writers_1");
    System.out.println("| variant | items/s | ÷ writers_1 | CPU µs per item | ÷ writers_1 |");
    System.out.println("|---|---|---|---|---|");
    totals.forEach((k, t) -> System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f | %.1f | %.2f |%n", k,
        t[0] / (t[1] / 1e9), (t[0] / (double) t[1]) / (base[0] / (double) base[1]), t[2] / 1e3 / t[0],
        (t[2] / (double) t[0]) / (base[2] / (double) base[0])));
    System.exit(0);
  }

  /** Items, nanoseconds from the first admission to the last write, process CPU nanoseconds. */
  private static long[] run(ClickHouseStore store, Path dir, int writers, Signal signal, byte[][] bodies,
      int requests) throws Exception {
    Pipeline pipeline = Pipeline.builder(PipelineConfig.builder(dir).fsync(FsyncPolicy.NEVER)
        .batch(BatcherConfig.builder().writers(writers).build()).build(), store).start();
    long items = 0;
    long cpu0 = processCpuNanos();
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
    pipeline.shutdown();
    return new long[] {items, nanos, cpu};
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
