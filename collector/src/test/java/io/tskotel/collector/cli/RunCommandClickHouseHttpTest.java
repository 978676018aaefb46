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

/** {@code tskotel run} with a bad {@code [clickhouse_http]} section: exit 2, every problem listed, no secret. */
class RunCommandClickHouseHttpTest {
  @TempDir Path dir;

  @Test
  void run_badClickHouseHttpSection_exit2ListingEveryProblem() throws Exception {
    Path file = dir.resolve("ch.tsk");
    Files.writeString(file, """
        [clickhouse_http]
        enabled: true
        readonly_user: "grafana"
        readonly_password: @env("RO_PW", "")
        prot: 8123
        """);
    CommandLine commandLine = Main.commandLine(new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        return type == RunCommand.class ? type.cast(new RunCommand(Map.of())) : CommandLine.defaultFactory().create(type);
      }
    });
    StringWriter err = new StringWriter();
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setOut(new PrintWriter(new StringWriter(), true));

    int exit = commandLine.execute("run", "--config", file.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains(file + ":5:1: [clickhouse_http] prot: unknown key");
    Files.writeString(file, """
        [clickhouse_http]
        enabled: true
        readonly_user: "grafana"
        readonly_password: @env("RO_PW", "")
        """);
    StringWriter err2 = new StringWriter();
    commandLine.setErr(new PrintWriter(err2, true));
    assertThat(commandLine.execute("run", "--config", file.toString())).isEqualTo(2);
    assertThat(err2.toString()).contains("readonly_password: empty");
  }
}
