package io.tskotel.collector.bench;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.EngineMemory;
import io.tskotel.exporter.StoreConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The one benchmark command's run: per signal (a) the store's write path with the very rows the load
 * generator sends, (b) OTLP end to end into a collector process until committed, and b/a; then query
 * latency over large tables against a {@code count()} baseline; the collector's peak RSS; the machine.
 */
public final class Benchmark {
  private Benchmark() {}

  public static BenchReport run(BenchConfig config, PrintWriter out) throws Exception {
    requireNonNull(config, "config");
    List<String> errors = config.validate();
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join(", ", errors));
    }
    Path workDir = Files.createDirectories(config.workDir().toAbsolutePath());
    String database = "bench_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    List<StoreWritePhase.Rate> storeRates = new ArrayList<>();
    List<QueryPhase.Timing> queries = List.of();
    String engineVersion;
    // The raw engine's limit is measured without the collector's memory budget (no server or statement limit).
    EngineMemory unbounded = new EngineMemory(0, EngineMemory.DEFAULT_MARK_CACHE_SIZE,
        EngineMemory.DEFAULT_INDEX_CACHE_SIZE, 0, 0);
    try (ClickHouseStore store = ClickHouseStore.embedded(StoreConfig.builder()
        .dataPath(config.storeDataPath()).database(database).engineMemory(unbounded).build())) {
      engineVersion = store.health().detail();
      for (LoadConfig.Signal signal : config.signals()) {
        StoreWritePhase.Rate rate = StoreWritePhase.measure(store, forSignal(config.load(), signal, null, 0),
            config.writerThreads(), config.storeSeconds());
        out.printf(Locale.ROOT, "bench: (a) %s store write path: %,.0f items/s (%d writer threads), %.1f CPU-µs"
            + " per item%n", name(signal), rate.itemsPerSecond(), config.writerThreads(), rate.cpuMicrosPerItem());
        out.flush();
        storeRates.add(rate);
      }
      if (config.queryRows() > 0) {
        out.printf(Locale.ROOT, "bench: filling %,d gauge points and %,d spans%n", config.queryRows(), config.queryRows());
        out.flush();
        QueryPhase.fill(store, config.queryRows());
        queries = new ArrayList<>(QueryPhase.run(store, config.queryRuns()));
        queries.addAll(explorer(store, config, out));
      }
      store.engine().execute("DROP DATABASE IF EXISTS {db:Identifier}", Map.of("db", database));
    }

    List<BenchReport.SignalRow> rows = new ArrayList<>();
    long peakRss;
    Path collectorDir = Files.createTempDirectory(workDir, "collector-");
    EngineMemorySampler engineMemory;
    try (CollectorProcess collector = CollectorProcess.start(collectorDir, collectorDir.resolve("collector.log"),
        config.collectorBatchWriters(), config.collectorSettings(), config.collectorStorageSettings(),
        config.collectorJvmOptions(), Duration.ofSeconds(120));
        EngineMemorySampler sampler = EngineMemorySampler.start(collector)) {
      engineMemory = sampler;
      for (int i = 0; i < config.signals().size(); i++) {
        LoadConfig.Signal signal = config.signals().get(i);
        int port = config.load().protocol() == LoadConfig.Protocol.GRPC ? collector.grpcPort : collector.httpPort;
        LoadConfig load = forSignal(config.load(), signal, collector, port);
        if (config.warmup().isZero()) {
          rows.add(burst(collector, load, BenchReport.SignalRow.BURST, storeRates.get(i), out));
          continue;
        }
        // The first burst pays the JIT's warm-up (a quarter of the JVM's CPU in a 20 s burst); the second is
        // the steady state, the figure comparable to collectors measured warm. Both are reported.
        LoadConfig warmup = new LoadConfig(load.signal(), load.protocol(), load.endpoint(), load.token(),
            load.connections(), load.inFlight(), load.rate(), config.warmup(), 0, load.itemsPerRequest(),
            load.services(), load.routes(), load.errorRatio(), load.maxRetries(), load.statusUrl(),
            load.statusToken(), load.drainTimeout());
        out.printf(Locale.ROOT, "bench: %s warm-up burst (%.1f s, sent and drained, reported as the cold burst)%n",
            name(signal), config.warmup().toMillis() / 1000.0);
        out.flush();
        rows.add(burst(collector, warmup, BenchReport.SignalRow.COLD, storeRates.get(i), out));
        out.printf(Locale.ROOT, "bench: %s measured burst, after the warm-up%n", name(signal));
        out.flush();
        rows.add(burst(collector, load, BenchReport.SignalRow.WARM, storeRates.get(i), out));
      }
      peakRss = collector.processStatus().path("peak_rss_bytes").asLong();
    }
    BenchReport report = new BenchReport(machine(engineVersion), rows, queries, peakRss, engineMemory.peakBytes(),
        engineMemory.limitBytes());
    out.println();
    out.print(report.toMarkdown());
    out.flush();
    return report;
  }

  /** One burst of load into the collector until committed, with the collector's CPU over it. */
  private static BenchReport.SignalRow burst(CollectorProcess collector, LoadConfig load, String phase,
      StoreWritePhase.Rate storeRate, PrintWriter out) throws Exception {
    JsonNode statusBefore = collector.status();
    JsonNode before = statusBefore.path("process");
    double benchBefore = MachineCpu.thisProcessSeconds();
    double machineBefore = MachineCpu.busySeconds();
    long start = System.nanoTime();
    LoadReport r = LoadGenerator.run(load, out);
    double window = (System.nanoTime() - start) / 1e9;
    double machineAfter = MachineCpu.busySeconds();
    double benchAfter = MachineCpu.thisProcessSeconds();
    JsonNode statusAfter = collector.status();
    JsonNode after = statusAfter.path("process");
    long committed = r.committedItems() == null ? 0 : r.committedItems();
    return new BenchReport.SignalRow(name(load.signal()), phase, storeRate.itemsPerSecond(),
        storeRate.cpuMicrosPerItem(), r.committedPerSecond(),
        r.ackedPerSecond(), committed, delta(before, after, "jvm_threads_cpu_seconds"),
        delta(before, after, "engine_calls_cpu_seconds"), delta(before, after, "jvm_internal_cpu_seconds"),
        delta(before, after, "jvm_gc_cpu_seconds"), delta(before, after, "jvm_jit_cpu_seconds"),
        delta(before, after, "native_threads_cpu_seconds"), r.p99Millis(), benchAfter - benchBefore,
        machineAfter - machineBefore, window, pushback(statusBefore, statusAfter, name(load.signal()), r));
  }

  /** What the collector refused or retried over the burst, from its counters in {@code /status}. */
  private static BenchReport.Pushback pushback(JsonNode before, JsonNode after, String signal, LoadReport r) {
    JsonNode b = before.path("pipeline").path("signals").path(signal);
    JsonNode a = after.path("pipeline").path("signals").path(signal);
    return new BenchReport.Pushback(r.retries(), counter(b, a, "refused_items"), counter(b, a, "refused_requests"),
        counter(b, a, "store_errors_retryable"), counter(b, a, "store_errors_permanent"));
  }

  private static long counter(JsonNode before, JsonNode after, String field) {
    return after.path(field).asLong() - before.path(field).asLong();
  }

  private static double delta(JsonNode before, JsonNode after, String field) {
    return after.path(field).asDouble() - before.path(field).asDouble();
  }

  /**
   * Only the explorer's part of the query phase: {@code queryRows} spans and as many logs, the explorer's
   * queries against {@code count()}. Prints and returns the report (no signal rows).
   */
  public static BenchReport explorerOnly(BenchConfig config, PrintWriter out) throws Exception {
    requireNonNull(config, "config");
    if (config.queryRows() < 1) {
      throw new IllegalArgumentException("queryRows: " + config.queryRows() + " (expected: > 0)");
    }
    String database = "bench_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    List<QueryPhase.Timing> queries;
    String engineVersion;
    try (ClickHouseStore store = ClickHouseStore.embedded(StoreConfig.builder()
        .dataPath(config.storeDataPath()).database(database).build())) {
      engineVersion = store.health().detail();
      try {
        queries = explorer(store, config, out);
      } finally {
        store.engine().execute("DROP DATABASE IF EXISTS {db:Identifier}", Map.of("db", database));
      }
    }
    BenchReport report = new BenchReport(machine(engineVersion), List.of(), queries, 0, 0, 0);
    out.println();
    out.print(report.toMarkdown());
    out.flush();
    return report;
  }

  private static List<QueryPhase.Timing> explorer(ClickHouseStore store, BenchConfig config, PrintWriter out)
      throws Exception {
    out.printf(Locale.ROOT, "bench: filling %,d spans and %,d logs for the explorer%n", config.queryRows(),
        config.queryRows());
    out.flush();
    long start = System.nanoTime();
    ExplorerPhase.fill(store, config.queryRows());
    out.printf(Locale.ROOT, "bench: filled in %.0f s; timing the explorer's queries%n",
        (System.nanoTime() - start) / 1e9);
    out.flush();
    return ExplorerPhase.run(store, config.queryRows(), config.queryRuns());
  }

  /** The load config for one signal, aimed at {@code c} when given. */
  private static LoadConfig forSignal(LoadConfig l, LoadConfig.Signal signal, @Nullable CollectorProcess c, int port) {
    return new LoadConfig(signal, l.protocol(), c == null ? l.endpoint() : URI.create("http://127.0.0.1:" + port),
        l.token(), l.connections(), l.inFlight(), l.rate(), l.duration(), l.requests(), l.itemsPerRequest(),
        l.services(), l.routes(), l.errorRatio(), l.maxRetries(), c == null ? null : c.statusUrl(), null,
        l.drainTimeout());
  }

  private static String name(LoadConfig.Signal signal) {
    return signal.name().toLowerCase(Locale.ROOT);
  }

  private static String machine(String engine) {
    String cpu = "?";
    String memory = "?";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memory = String.format(Locale.ROOT, "%.0f GiB",
              Long.parseLong(line.replaceAll("[^0-9]", "")) / 1048576.0);
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the rest of the description still stands
    }
    return String.format(Locale.ROOT, "%d cores (%s), %s memory, Java %s, %s; collector and load generator on"
        + " the same machine", Runtime.getRuntime().availableProcessors(), cpu, memory,
        Runtime.version(), engine);
  }
}
