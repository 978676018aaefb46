package io.tskotel.collector.cli;

import io.tskotel.collector.config.CollectorSettings;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tskotel migrate}: applies pending schema migrations to the configured store, then exits. */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = "Apply pending schema migrations to the store named by [storage], then exit.")
public final class MigrateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  private final Map<String, String> environment;

  public MigrateCommand() {
    this(System.getenv());
  }

  /** With the variables {@code @env} reads. */
  public MigrateCommand(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }


  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "TSK configuration file (default: the built-in tskotel.tsk).")
  @Nullable Path config;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    CollectorSettings settings = Settings.load(config, environment, err);
    if (settings == null) {
      return 2;
    }
    try (ClickHouseStore store = ClickHouseStore.open(settings.store())) {
      store.migrate();
      spec.commandLine().getOut().println("schema of database " + settings.store().database() + " is at version "
          + store.migrator().currentVersion());
      return 0;
    } catch (StoreException e) {
      err.println("tskotel: migration failed: " + e.getMessage());
      return 1;
    }
  }
}
