package io.tskotel.collector.cli;

import io.tskotel.collector.api.ApiFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** One {@code tskotel} command line against an admin API, as a user types it, with what it printed. */
record CliRun(int exit, String out, String err) {

  /** Adds {@code --url} and {@code --token} ({@link ApiFixture#TOKEN}) unless {@code args} name them. */
  static CliRun run(String url, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = execute(url, new PrintWriter(out, true), err, args);
    return new CliRun(exit, out.toString(), err.toString());
  }

  /** As {@link #run}, printing to {@code out} as it goes (for commands that keep running). */
  static int execute(String url, PrintWriter out, Writer err, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.contains("--url")) {
      all.addAll(List.of("--url", url));
    }
    if (!all.contains("--token")) {
      all.addAll(List.of("--token", ApiFixture.TOKEN));
    }
    CommandLine cli = Main.commandLine();
    cli.setOut(out);
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(all.toArray(String[]::new));
  }
}
