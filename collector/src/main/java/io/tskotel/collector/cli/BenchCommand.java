package io.tskotel.collector.cli;

import io.tskotel.collector.bench.BenchConfig;
import io.tskotel.collector.bench.BenchReport;
import io.tskotel.collector.bench.Benchmark;
import io.tskotel.collector.bench.LoadConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tskotel bench}: the one benchmark command. Per signal the store's own write path and OTLP end to end
 * into a collector process, their ratio, the collector's CPU split and peak RSS; query latency over large
 * tables against {@code count()}. Prints Markdown (see docs/performance.md).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark this machine: per signal (a) the store write path with the load generator's rows,",
      "(b) OTLP end to end into a collector process until committed, b/a; getMetrics and dashboardData over",
      "large tables against count(); the collector's CPU and peak RSS. Prints a Markdown report."
    })
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin LoadOptions load;

  @Option(names = "--signals", split = ",", defaultValue = "traces,metrics,logs",
      converter = LoadOptions.SignalConverter.class,
      description = "Signals to measure (default: ${DEFAULT-VALUE}).")
  List<LoadConfig.Signal> signals;

  @Option(names = "--store-seconds", defaultValue = "10s", converter = LoadOptions.DurationConverter.class,
      description = "How long the store write path is measured per signal (default: ${DEFAULT-VALUE}).")
  Duration storeSeconds;

  @Option(names = "--warmup", defaultValue = "20s", converter = LoadOptions.DurationConverter.class,
      description = "Per signal, a first burst this long (sent and drained) before the measured one: the report"
          + " shows both, cold (JIT warm-up) and warm (steady state); 0s for one cold burst only"
          + " (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--writer-threads", defaultValue = "2",
      description = "Writer threads of the store write path (default: ${DEFAULT-VALUE}).")
  int writerThreads;

  @Option(names = "--collector-batch-writers", defaultValue = "0",
      description = "batch_writers of the collector under test (default: 0, its own default).")
  int collectorBatchWriters;

  @Option(names = "--collector-setting",
      description = "A 'key: value' line for the [collector] section of the collector under test (repeatable;"
          + " e.g. 'memory_limit: \"2GiB\"').")
  List<String> collectorSettings = new java.util.ArrayList<>();

  @Option(names = "--collector-storage-setting",
      description = "A 'key: value' line for the [storage] section of the collector under test (repeatable;"
          + " e.g. 'batch_max_items: 20000').")
  List<String> collectorStorageSettings = new java.util.ArrayList<>();

  @Option(names = "--collector-jvm-option",
      description = "A JVM option for the collector under test, after the ones tskotel run gets (repeatable;"
          + " e.g. -XX:+UseSerialGC replaces the default collector).")
  List<String> collectorJvmOptions = new java.util.ArrayList<>();

  @Option(names = "--query-rows", defaultValue = "10000000",
      description = "Gauge points and spans the queries run over; 0 skips them (default: ${DEFAULT-VALUE}).")
  long queryRows;

  @Option(names = "--query-runs", defaultValue = "11",
      description = "Timed runs per query, median reported (default: ${DEFAULT-VALUE}).")
  int queryRuns;

  @Option(names = "--dir", defaultValue = "bench-data",
      description = "Working directory for the stores and the collector under test (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--explorer-only",
      description = "Only the trace and log explorer's queries over --query-rows spans and as many logs"
          + " against count() (no load, no collector process).")
  boolean explorerOnly;

  @Option(names = "--out", description = "Also write the Markdown report to this file.")
  @Nullable Path outFile;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    BenchConfig config = new BenchConfig(signals, dir, dir.toAbsolutePath().resolve("store"),
        load.config(LoadConfig.Signal.TRACES, null, null, null), storeSeconds, queryRows, queryRuns, writerThreads,
        collectorBatchWriters, collectorSettings, collectorStorageSettings, collectorJvmOptions, warmup);
    if (!config.validate().isEmpty()) {
      config.validate().forEach(e -> err.println("tskotel bench: " + e));
      return 2;
    }
    BenchReport report = explorerOnly ? Benchmark.explorerOnly(config, out) : Benchmark.run(config, out);
    if (outFile != null) {
      Files.writeString(outFile, report.toMarkdown());
    }
    return 0;
  }
}
