package io.tskotel.collector.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM started from the test's classpath (the same classes {@code tskotel.jar} holds), with stdout and
 * stderr in files, for tests that need a real process: killed with SIGKILL, stopped with SIGTERM, exit codes.
 */
public final class ChildJvm {
  private static final Pattern LISTENING =
      Pattern.compile("OTLP/(gRPC|HTTP) receiver listening on [^ ]+:(\\d+) ");

  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private ChildJvm(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Starts {@code mainClass args...}; output goes to {@code dir/name.out} and {@code dir/name.err}. */
  public static ChildJvm start(Path dir, String name, String mainClass, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
        "-XX:ErrorFile=" + dir.resolve("hs_err_" + name + "_%p.log"), "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    return new ChildJvm(builder.start(), out, err);
  }

  public Process process() {
    return process;
  }

  public String stdout() {
    return read(stdout);
  }

  public String stderr() {
    return read(stderr);
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** Waits for both "receiver listening" log lines; returns {gRPC port, HTTP port}. */
  public int[] awaitListening(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      int grpc = -1;
      int http = -1;
      Matcher m = LISTENING.matcher(stderr());
      while (m.find()) {
        if (m.group(1).equals("gRPC")) {
          grpc = Integer.parseInt(m.group(2));
        } else {
          http = Integer.parseInt(m.group(2));
        }
      }
      if (grpc > 0 && http > 0) {
        return new int[] {grpc, http};
      }
      assertThat(process.isAlive()).as("collector process alive; stderr:%n%s", stderr()).isTrue();
      assertThat(System.nanoTime()).as("collector listening; stderr:%n%s", stderr()).isLessThan(deadline);
      LockSupport.parkNanos(50_000_000);
    }
  }

  /** Waits for the exit; returns the exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
        .as("process exited; stderr:%n%s", stderr()).isTrue();
    return process.exitValue();
  }

  /** Kills the process (if still running), e.g. after a failed assertion. */
  public void destroyForcibly() {
    process.destroyForcibly();
  }
}
