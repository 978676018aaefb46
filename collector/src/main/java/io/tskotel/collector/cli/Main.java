package io.tskotel.collector.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code tskotel} command: exit 0 on success, 1 on failure, 2 on a usage error. */
@Command(
    name = "tskotel",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "OpenTelemetry-native telemetry collector configured by TSK.",
    subcommands = {
      CheckCommand.class,
      RunCommand.class,
      MigrateCommand.class,
      QueryCommand.class,
      TracesCommand.class,
      TraceCommand.class,
      LogsCommand.class,
      DashboardCommand.class,
      AlertsCommand.class,
      LoadgenCommand.class,
      BenchCommand.class,
      DeadLetterCommand.class
    })
public final class Main implements Callable<Integer> {
  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with every subcommand, as {@link #main} runs it. */
  public static CommandLine commandLine() {
    return commandLine(CommandLine.defaultFactory());
  }

  /** The same with {@code factory} creating the commands (tests inject their dependencies this way). */
  public static CommandLine commandLine(IFactory factory) {
    return new CommandLine(new Main(), factory);
  }

  /** Without a subcommand there is nothing to do: say so, show the usage, and exit as a usage error. */
  @Override
  public Integer call() {
    CommandLine commandLine = spec.commandLine();
    commandLine.getErr().println("tskotel: missing command");
    commandLine.usage(commandLine.getErr());
    return ExitCode.USAGE;
  }

  /** {@code tskotel <version>} from the jar manifest; {@code dev} when run from classes. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"tskotel " + (version == null ? "dev" : version)};
    }
  }
}
