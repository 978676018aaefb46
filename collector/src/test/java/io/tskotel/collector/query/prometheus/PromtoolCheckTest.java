package io.tskotel.collector.query.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.exporter.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code promtool check metrics} (Debian package {@code prometheus}) accepts the exposition. */
class PromtoolCheckTest {
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  @Test
  void checkMetrics_fixture_noProblems(@TempDir Path dir) throws Exception {
    String text = ExpositionFixture.render(ExpositionFixture.self(), ExpositionFixture.stored());
    Result r = promtool(dir, text);
    assertThat(r.output()).isEmpty();
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void checkMetrics_brokenText_isReported(@TempDir Path dir) throws Exception {
    // Proves the check can fail: a label value with a raw newline is not the format.
    Result r = promtool(dir, "# TYPE x gauge\nx{a=\"1\n2\"} 1\n");
    assertThat(r.exitCode()).isNotZero();
  }

  record Result(int exitCode, String output) {}

  static Result promtool(Path dir, String exposition) throws IOException, InterruptedException {
    Prerequisites.require(
        Files.isExecutable(PROMTOOL),
        "promtool is not installed: the exposition is checked with it (apt-get install -y prometheus)");
    Path in = dir.resolve("metrics.txt");
    Path out = dir.resolve("promtool.out");
    Files.writeString(in, exposition, StandardCharsets.UTF_8);
    Process p =
        new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
            .redirectInput(in.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("promtool did not finish in 60 s");
    }
    return new Result(p.exitValue(), Files.readString(out).strip());
  }
}
