package io.tskotel.collector.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.exporter.testing.ChdbTestEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark command's run, small: every phase runs for real and every figure is there. */
class BenchmarkTest {
  @TempDir Path dir;

  @Test
  void run_small_reportsEveryPhase() throws Exception {
    LoadConfig load = new LoadConfig(LoadConfig.Signal.TRACES, LoadConfig.Protocol.GRPC,
        URI.create("http://127.0.0.1:4317"), null, 1, 4, 0, Duration.ofSeconds(2), 0, 100, 3, 10, 0.05, 10, null,
        null, Duration.ofSeconds(60));
    BenchConfig config = new BenchConfig(List.of(LoadConfig.Signal.TRACES, LoadConfig.Signal.LOGS), dir,
        ChdbTestEngine.dataPath(), load, Duration.ofSeconds(1), 20_000, 3, 2, 2,
        // two batch writers' buffers fit the heap of a 2 GiB budget, not the default 1.5 GiB one
        List.of("memory_limit: \"2GiB\""), List.of("batch_max_items: 30000"), List.of("-XX:+UseSerialGC"),
        Duration.ofSeconds(1));
    StringWriter out = new StringWriter();

    BenchReport report = Benchmark.run(config, new PrintWriter(out, true));

    // With a warm-up, each signal twice: the cold first burst, then the measured one.
    assertThat(report.signals()).extracting(BenchReport.SignalRow::signal)
        .containsExactly("traces", "traces", "logs", "logs");
    assertThat(report.signals()).extracting(BenchReport.SignalRow::phase).containsExactly(
        BenchReport.SignalRow.COLD, BenchReport.SignalRow.WARM, BenchReport.SignalRow.COLD,
        BenchReport.SignalRow.WARM);
    for (BenchReport.SignalRow row : report.signals()) {
      assertThat(row.storeItemsPerSecond()).isPositive();
      assertThat(row.storeCpuMicrosPerItem()).isPositive();
      assertThat(row.committedItems()).isPositive();
      assertThat(row.ratio()).isPositive();
      assertThat(row.jvmCpuSeconds()).isPositive();
      // The batcher's inserts run inside the engine on a Java thread: counted, and only part of the Java CPU.
      assertThat(row.engineCallsCpuSeconds()).isPositive().isLessThan(row.jvmCpuSeconds());
      assertThat(row.itemsPerCollectorCpuSecond()).isGreaterThan(row.itemsPerJvmCpuSecond());
      // The load generator's process and the machine as a whole are accounted for too.
      assertThat(row.benchCpuSeconds()).isPositive();
      assertThat(row.machineBusyCpuSeconds()).isGreaterThan(row.benchCpuSeconds() + row.jvmCpuSeconds());
      assertThat(row.idleShare(Runtime.getRuntime().availableProcessors())).isBetween(0.0, 1.0);
      assertThat(row.pushback().clientRetries()).isNotNegative();
      assertThat(row.pushback().refusedItems()).isNotNegative();
      assertThat(row.pushback().storeErrorsPermanent()).isZero();
    }
    assertThat(report.queries()).extracting(QueryPhase.Timing::query).startsWith(
        "getMetrics(bench_gauge, 1h, avg)", "getMetrics(bench_gauge, 1h, avg) raw rows",
        "getMetrics(bench_gauge, 1h, max)", "getMetrics(bench_gauge, 1h, max) raw rows",
        "getMetrics(bench_gauge, 1h, p99)", "dashboardData()", "dashboardData() raw rows",
        "explorer: trace by id (10 spans + its logs)");
    assertThat(report.queries()).hasSize(14);
    assertThat(report.queries()).allSatisfy(t -> assertThat(t.p50Millis()).isPositive());
    assertThat(report.peakRssBytes()).isPositive();
    // The engine's share, read from the collector's /status through the bursts, and its limit.
    assertThat(report.enginePeakBytes()).isPositive();
    assertThat(report.engineLimitBytes()).isPositive();
    assertThat(out.toString()).contains("| signal | run | end to end ÷ store write path (b/a) |")
        .contains("| signal | run | client retries | items refused (queue full, queue I/O) |")
        .contains("| traces | " + BenchReport.SignalRow.COLD + " |")
        .contains("| traces | " + BenchReport.SignalRow.WARM + " |")
        .contains("| signal | run | engine (its threads + calls) |")
        .contains("Collector peak RSS", "Engine's peak tracked memory");
  }
}
