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

/** {@code tskotel check}, run in-process through picocli with captured output. */
class CheckCommandTest {
  @TempDir Path dir;

  private static final String ALERTING =
      "[alerting]\n"
          + "cpu_threshold: @env(\"CPU_THRESHOLD\", 80)\n"
          + "response_time_threshold: @env(\"RESPONSE_TIME_THRESHOLD\", 2.0)\n"
          + "check_alerts_fujsen = '''\ndef check_alerts():\n    return []\n'''\n";

  private static final String HEALTH =
      "[health_checks]\nhealth_endpoint: \"/health\"\nready_endpoint: \"/ready\"\n"
          + "[metrics]\nrequest_count: @metric(\"counter\", \"requests_total\")\n"
          + "latency: @metric(\"histogram\", \"latency_seconds\", \"s\")\n"
          + "server {\n  admin_endpoint: \"127.0.0.1:13133\"\n  reload_fujsen: '''\npass\n'''\n}\n";

  /** One run: exit code and captured streams. */
  record Run(int exitCode, String out, String err) {}

  private Run run(Map<String, String> environment, String... args) {
    IFactory factory =
        new IFactory() {
          @Override
          public <K> K create(Class<K> type) throws Exception {
            if (type == CheckCommand.class) {
              return type.cast(new CheckCommand(environment));
            }
            return CommandLine.defaultFactory().create(type);
          }
        };
    CommandLine commandLine = Main.commandLine(factory);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  private Run run(String... args) {
    return run(Map.of(), args);
  }

  private String write(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file.toString();
  }

  @Test
  void check_badAlertingRule_invalidWithFileLineColumn() throws Exception {
    String file = write("rules.tsk", "[alerting]\ncpu_threshold: 80\n\n[alerting.rules.slow]\nmetric: \"x\"\n"
        + "threshold: 1\ncomparator: \"=>\"\n");

    Run run = run("check", file);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEqualTo(file + ": invalid (1 error)\n");
    assertThat(run.err()).isEqualTo(file + ":7:1: alerting.rules.slow.comparator: \"=>\""
        + " (expected: one of > >= < <= == !=)\n");
  }

  @Test
  void check_validFile_printsWhatItDeclares() throws Exception {
    String file = write("alerting.tsk", ALERTING);

    Run run = run("check", file);

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .isEqualTo(
            file + ": valid\n"
                + "  sections (1):\n"
                + "    alerting\n"
                + "  instruments (0)\n"
                + "  fujsen (1):\n"
                + "    alerting.check_alerts\n"
                + "  endpoints (0)\n"
                + "  thresholds (2):\n"
                + "    alerting.cpu_threshold = 80 (int)\n"
                + "    alerting.response_time_threshold = 2.0 (double)\n");
  }

  @Test
  void check_readsTheInjectedEnvironment() throws Exception {
    String file = write("alerting.tsk", ALERTING);

    Run run = run(Map.of("CPU_THRESHOLD", "95"), "check", file);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("    alerting.cpu_threshold = 95 (int)\n");
  }

  @Test
  void check_instrumentsEndpointsAndNestedFujsen() throws Exception {
    String file = write("health.tsk", HEALTH);

    Run run = run("check", file);

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("  sections (2):\n    health_checks\n    metrics\n")
        .contains(
            "  instruments (2):\n"
                + "    counter       requests_total   unit=-  (metrics.request_count)\n"
                + "    histogram     latency_seconds  unit=s  (metrics.latency)\n")
        .contains("  fujsen (1):\n    metrics.server.reload\n")
        .contains(
            "  endpoints (3):\n"
                + "    health_checks.health_endpoint = \"/health\" (string)\n"
                + "    health_checks.ready_endpoint = \"/ready\" (string)\n"
                + "    metrics.server.admin_endpoint = \"127.0.0.1:13133\" (string)\n");
  }

  @Test
  void check_invalidFile_exitsOneWithEveryErrorOnStderr() throws Exception {
    String file = write("bad.tsk", "[alerting]\ncpu: @foo(1)\nlevel: info\n");

    Run run = run("check", file);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEqualTo(file + ": invalid (2 errors)\n");
    assertThat(run.err())
        .isEqualTo(
            file + ":2:6: unknown operator @foo (known: @date, @env, @metric)\n"
                + "cpu: @foo(1)\n"
                + "     ^\n"
                + file + ":3:8: unquoted text 'info': strings must be quoted (\"info\")\n"
                + "level: info\n"
                + "       ^\n");
  }

  @Test
  void check_badCollectorSettings_sameErrorsAsRun() throws Exception {
    String file = write("collector.tsk",
        "[collector]\nqueue_fsync: \"sometimes\"\nadmin_port: 0\n[admin]\nport: \"8080\"\n"
            + "[query]\ntime_zone: \"Mars/Base\"\nerror_threshold: 500\n[dashboard]\nrefresh: \"1y\"\n");

    Run check = run("check", file);
    Run run = run("run", "--config", file);

    assertThat(check.exitCode()).isEqualTo(1);
    assertThat(check.out()).isEqualTo(file + ": invalid (6 errors)\n");
    assertThat(check.err().lines()).containsExactly(
        file + ":2:1: collector.queue_fsync: \"sometimes\" (expected: one of always, interval, never)",
        file + ":3:1: collector.admin_port: moved to [admin] port",
        file + ":5:1: admin.port: a string (expected: an int)",
        file + ":10:1: dashboard.refresh: a string (expected: a duration such as \"250ms\", \"30s\", \"5m\","
            + " \"1h\" or \"7d\")",
        file + ":7:1: query.time_zone: \"Mars/Base\" (expected: a time zone such as UTC or Europe/Berlin)",
        file + ":8:1: [query] error_threshold: unknown key (expected one of: concurrent_dashboard, counter_lookback,"
            + " error_status_threshold, errors_metric, explorer_max_range, explorer_max_rows, payment_outcome_label,"
            + " payment_success_rate_gauge, payment_success_value,"
            + " payments_metric, requests_metric, revenue_metric, time_zone)");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines().skip(1).map(String::strip)).containsExactlyElementsOf(check.err().lines().toList());
  }

  @Test
  void check_checksEveryFileEvenAfterABadOne() throws Exception {
    String bad = write("bad.tsk", "[a]\nx: 1\nx: 2\n");
    String good = write("good.tsk", ALERTING);
    String missing = dir.resolve("missing.tsk").toString();

    Run run = run("check", bad, good, missing);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .contains(bad + ": invalid (1 error)\n")
        .contains(good + ": valid\n")
        .contains(missing + ": invalid (cannot read)\n");
    assertThat(run.err())
        .contains(bad + ":3:1: duplicate key 'a.x' (first defined at line 2, column 1)")
        .contains(missing + ": no such file");
  }

  @Test
  void check_unreadableFile_exitsOneAndSaysWhy() {
    String directory = dir.toString();

    Run run = run("check", directory);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEqualTo(directory + ": invalid (cannot read)\n");
    assertThat(run.err()).startsWith(directory + ": cannot read: ");
  }

  @Test
  void check_withoutFiles_isAUsageError() {
    Run run = run("check");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required parameter: 'FILE'").contains("Usage: tskotel check");
  }

  @Test
  void unknownOptionOrCommand_isAUsageError() {
    assertThat(run("check", "--bogus", "x.tsk").exitCode()).isEqualTo(2);
    assertThat(run("frobnicate").exitCode()).isEqualTo(2);
  }

  @Test
  void noCommand_printsUsageAndExitsTwo() {
    Run run = run();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("missing command").contains("Usage: tskotel").contains("check");
  }

  @Test
  void helpAndVersion_exitZero() {
    Run help = run("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Usage: tskotel").contains("check");

    Run version = run("--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).startsWith("tskotel ");

    Run checkHelp = run("check", "--help");
    assertThat(checkHelp.exitCode()).isZero();
    assertThat(checkHelp.out()).contains("Usage: tskotel check").contains("FILE");
  }

  private static final String[] SEED =
      {"metrics", "business_metrics", "logging", "tracing", "health_checks", "alerting", "dashboard"};

  @Test
  void check_allSeedFixturesAreValid() throws Exception {
    String[] files = new String[SEED.length + 1];
    files[0] = "check";
    for (int i = 0; i < SEED.length; i++) {
      // The sdk's fixtures, read from the source tree (the collector's tests run in collector/).
      Path fixture = Path.of("..", "sdk", "src", "test", "resources", "seed", SEED[i] + ".tsk");
      assertThat(fixture).exists();
      files[i + 1] = fixture.toString();
    }

    Run run = run(files);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("    counter       requests_total")
        .contains("    alerting.response_time_threshold = 2.0 (double)")
        .contains("    dashboard.metrics_endpoint = \"/metrics\" (string)")
        .contains("    tracing.start_trace");
  }
}
