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

/**
 * {@code tskotel bench --explorer-only}, small: the tables fill, every explorer query finds what it looks
 * for (the phase refuses to time a query that finds nothing) and is reported against its count() baseline.
 */
class ExplorerPhaseTest {
  @TempDir Path dir;

  @Test
  void explorerOnly_small_timesEveryQueryAgainstCount() throws Exception {
    LoadConfig load = new LoadConfig(LoadConfig.Signal.TRACES, LoadConfig.Protocol.GRPC,
        URI.create("http://127.0.0.1:4317"), null, 1, 4, 0, Duration.ofSeconds(2), 0, 100, 3, 10, 0.05, 10, null,
        null, Duration.ofSeconds(60));
    BenchConfig config = new BenchConfig(List.of(LoadConfig.Signal.TRACES), dir, ChdbTestEngine.dataPath(), load,
        Duration.ofSeconds(1), 20_000, 3, 1, 1, List.of(), List.of(), List.of(), Duration.ZERO);
    StringWriter out = new StringWriter();

    BenchReport report = Benchmark.explorerOnly(config, new PrintWriter(out, true));

    assertThat(report.signals()).isEmpty();
    assertThat(report.queries()).extracting(QueryPhase.Timing::query).containsExactly(
        "explorer: trace by id (10 spans + its logs)",
        "explorer: trace search service + error + min duration, 1h",
        "explorer: trace search attr tenant=t42, slowest, 1h",
        "explorer: trace search without filters, 1h",
        "explorer: log search word \"declined\", 1h",
        "explorer: log search service + severity + substring, 1h",
        "explorer: newest 50 logs, 1h");
    assertThat(report.queries()).allSatisfy(t -> {
      assertThat(t.p50Millis()).isPositive();
      assertThat(t.baselineP50Millis()).isPositive();
    });
    assertThat(out.toString()).contains("| explorer: trace by id (10 spans + its logs) |")
        .doesNotContain("| signal |");
  }
}
