package io.tskotel.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.exporter.internal.schema.Migrations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store's data directory survives a process restart (two JVMs, one after the other). */
class RestartEngineTest {
  private static String run(String mode, Path dir) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), RestartProbe.class.getName(), mode, dir.toString())
        .redirectErrorStream(true).start();
    boolean done = p.waitFor(3, TimeUnit.MINUTES);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(done).as(out).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().filter(l -> l.startsWith("COUNTS ")).findFirst().orElse(out);
  }

  @Test
  void embeddedStore_restart_keepsData(@TempDir Path dir) throws Exception {
    String counts = "COUNTS [2, 1, 1, " + Migrations.latestVersion() + "]";
    assertThat(run("write", dir)).isEqualTo(counts);
    assertThat(Files.list(dir).toList()).isNotEmpty();
    assertThat(run("read", dir)).isEqualTo(counts);
  }
}
