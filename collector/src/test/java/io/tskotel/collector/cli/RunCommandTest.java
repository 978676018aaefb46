package io.tskotel.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/**
 * {@code tskotel run} and {@code migrate} refusing bad configuration before touching the store, in-process.
 * (Running for real is {@link RunProcessTest}: chDB allows one data path per process, and this JVM's is the
 * shared test engine's.)
 */
class RunCommandTest {
  @TempDir Path dir;

  record Run(int exitCode, String out, String err) {}

  private Run run(Map<String, String> environment, String... args) {
    IFactory factory = new IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        if (type == RunCommand.class) {
          return type.cast(new RunCommand(environment));
        }
        if (type == MigrateCommand.class) {
          return type.cast(new MigrateCommand(environment));
        }
        return CommandLine.defaultFactory().create(type);
      }
    };
    CommandLine commandLine = Main.commandLine(factory);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  @Test
  void run_syntaxError_exit2WithFileLineColumn() throws Exception {
    Path file = dir.resolve("broken.tsk");
    Files.writeString(file, "[collector]\ngrpc_port: 4317\nhttp_port: \"unterminated\n");

    Run run = run(Map.of(), "run", "--config", file.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(file + ":3:");
  }

  @Test
  void run_badValues_exit2ListingEveryProblem() throws Exception {
    Path file = dir.resolve("bad.tsk");
    Files.writeString(file, "[collector]\ngrpc_port: 70000\nqueue_fsync: \"sometimes\"\n[storage]\ndata_path: 5\n");

    Run run = run(Map.of(), "run", "--config", file.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(file + ":2:1: collector.grpc_port: 70000 (expected: 0..65535)")
        .contains("queue_fsync: \"sometimes\"")
        .contains("storage.data_path");
  }

  @Test
  void run_badAlertingRule_exit2WithFileLineColumn() throws Exception {
    Path file = dir.resolve("rules.tsk");
    Files.writeString(file, "[alerting]\n\n[alerting.rules.slow]\nmetric: \"x\"\nthreshold: 1\nfor: \"soon\"\n");

    Run run = run(Map.of(), "run", "--config", file.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(file + ":6:");
  }

  @Test
  void run_badEnvironmentOverride_exit2() {
    Run run = run(Map.of("TSKOTEL_OTLP_GRPC_PORT", "not-a-port"), "run");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("TSKOTEL_OTLP_GRPC_PORT");
  }

  @Test
  void migrate_missingFile_exit2() {
    Run run = run(Map.of(), "migrate", "--config", dir.resolve("nope.tsk").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("nope.tsk: no such file");
  }

  @Test
  void help_listsRunAndMigrate() {
    Run run = run(Map.of(), "--help");

    assertThat(run.out()).contains("run").contains("migrate").contains("check");
  }
}
