package io.tskotel.exporter.internal.chdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour across processes: each case runs fresh JVMs on the test classpath. */
class ChdbProcessTest {

  private record Outcome(int exitCode, String output) {}

  private static ProcessBuilder child(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ChdbChildProcess.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    return builder;
  }

  private static Outcome run(Map<String, String> env, String... args) throws Exception {
    Process process = child(env, args).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
    return new Outcome(process.exitValue(), output);
  }

  private static String lastLine(String output) {
    String[] lines = output.strip().split("\n");
    return lines[lines.length - 1];
  }

  @Test
  void restart_keepsDataAfterOrderlyExitAndAfterKill(@TempDir Path data) throws Exception {
    Outcome first = run(Map.of(), "write", data.toString(), "0", "1000");
    assertThat(first.exitCode()).as(first.output()).isZero();
    assertThat(lastLine(first.output())).isEqualTo("WRITTEN 1000");

    Process killed = child(Map.of(), "write-and-wait", data.toString(), "1000", "500").start();
    String line;
    try (var reader = killed.inputReader(StandardCharsets.UTF_8)) {
      while ((line = reader.readLine()) != null && !line.startsWith("WRITTEN")) {
        // skip log lines
      }
      assertThat(line).isEqualTo("WRITTEN 500");
      killed.destroyForcibly(); // SIGKILL: no shutdown hooks, no orderly engine stop
      assertThat(killed.waitFor(1, TimeUnit.MINUTES)).isTrue();
    }

    Outcome read = run(Map.of(), "read", data.toString());
    assertThat(read.exitCode()).as(read.output()).isZero();
    assertThat(lastLine(read.output()))
        .isEqualTo(
            "READ [1500, "
                + ChdbChildProcess.BASE
                + ", "
                + ChdbChildProcess.BASE.plusNanos(1499)
                + ", 1500]");
  }

  @Test
  void build_missingLibrary_namesTheFetchCommand(@TempDir Path data) throws Exception {
    Path missing = data.resolve("nowhere/libchdb.so");

    Outcome outcome = run(Map.of("TSKOTEL_CHDB_LIB", missing.toString()), "read", data.toString());

    assertThat(outcome.exitCode()).as(outcome.output()).isEqualTo(3);
    assertThat(lastLine(outcome.output()))
        .startsWith("BUILD-FAILED retryable=false chDB library not found at " + missing)
        .contains("run `bash exporter/fetch-chdb.sh`");
  }

  @Test
  void build_emptyCache_namesTheCachedPath(@TempDir Path cache) throws Exception {
    Map<String, String> env = Map.of("TSKOTEL_CHDB_CACHE", cache.toString());
    ProcessBuilder builder = child(env, "read", cache.resolve("data").toString());
    builder.environment().remove("TSKOTEL_CHDB_LIB");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor(1, TimeUnit.MINUTES);

    assertThat(lastLine(output))
        .contains("chDB library not found at " + cache.resolve("26.7.3-stable.1/libchdb.so"))
        .contains("bash exporter/fetch-chdb.sh");
  }

}
