package io.tskotel.collector.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.collector.testing.IngestProcessMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real collector process (sink, queue, batcher, embedded store) is killed with SIGKILL in the middle of
 * ingesting; a second process on the same directories must hold every request the first one acknowledged.
 */
class KillNineTest {
  @TempDir Path dir;

  private Process startChild(String mode, Path output) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xss4m",
        "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"),
        "-cp", System.getProperty("java.class.path"), IngestProcessMain.class.getName(), mode,
        dir.resolve("queue").toString(), dir.resolve("chdb").toString(), dir.resolve("acks").toString()));
    String lib = System.getenv("TSKOTEL_CHDB_LIB");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(output.toFile())
        .redirectError(dir.resolve(mode + ".err").toFile());
    if (lib != null) {
      builder.environment().put("TSKOTEL_CHDB_LIB", lib);
    }
    return builder.start();
  }

  private List<Long> acknowledged() throws IOException {
    Path acks = dir.resolve("acks");
    if (!Files.exists(acks)) {
      return List.of();
    }
    List<Long> out = new ArrayList<>();
    for (String line : Files.readAllLines(acks, StandardCharsets.US_ASCII)) {
      if (!line.isEmpty()) {
        out.add(Long.parseLong(line));
      }
    }
    return out;
  }

  @Test
  void kill9DuringIngest_restart_everyAcknowledgedRequestStored() throws Exception {
    Process ingest = startChild("ingest", dir.resolve("ingest.out"));
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    // Let it acknowledge a good number of requests, and let the batcher write some of them.
    while (acknowledged().size() < 300) {
      assertThat(ingest.isAlive()).as("ingest process alive; stderr: %s", stderr("ingest")).isTrue();
      assertThat(System.nanoTime()).as("ingest progress").isLessThan(deadline);
      LockSupport.parkNanos(20_000_000);
    }
    ingest.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no drain
    assertThat(ingest.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(ingest.exitValue()).isEqualTo(137);
    List<Long> acked = acknowledged();

    Process verify = startChild("verify", dir.resolve("verify.out"));
    assertThat(verify.waitFor(180, TimeUnit.SECONDS)).as("verify finished").isTrue();
    // libchdb 26.7.3 crashes the JVM while the process exits (SIGSEGV in libchdb after the store closed,
    // exit 134), after everything was written and printed: completeness is judged by the END line.
    List<String> lines = Files.readAllLines(dir.resolve("verify.out"), StandardCharsets.ISO_8859_1);
    int end = lines.indexOf(IngestProcessMain.END);
    assertThat(end).as("verify output complete; stderr: %s", stderr("verify")).isPositive();
    assertThat(stderr("verify")).contains("pipeline stopped (queues drained)");

    Map<Long, Integer> spansPerRequest = new TreeMap<>();
    for (String line : lines.subList(0, end)) {
      spansPerRequest.merge(Long.parseLong(line.trim()), 1, Integer::sum);
    }
    assertThat(acked).hasSizeGreaterThanOrEqualTo(300);
    for (long r : acked) {
      assertThat(spansPerRequest.getOrDefault(r, 0))
          .as("spans of acknowledged request %d (at-least-once: a replayed batch may repeat them)", r)
          .isGreaterThanOrEqualTo(IngestProcessMain.SPANS_PER_REQUEST)
          .isEqualTo(spansPerRequest.get(r) / IngestProcessMain.SPANS_PER_REQUEST
              * IngestProcessMain.SPANS_PER_REQUEST);
    }
  }

  private String stderr(String mode) {
    try {
      Path file = dir.resolve(mode + ".err");
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }
}
