package io.tskotel.collector.cli;

import io.tskotel.collector.config.CollectorSettings;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tskotel migrate}: applies pending schema migrations to the configured store, then exits. */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = "Apply pending schema migrations to the store named by [storage], then exit.")
public final class MigrateCommand implements Callable<Integer> {

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "TSK configuration file (default: the built-in tskotel.tsk).")
  @Nullable Path config;

  @Override
  public Integer call() {
    CollectorSettings settings = Settings.load(config);
    if (settings == null) {
      return 2;
    }
    try (ClickHouseStore store = ClickHouseStore.open(settings.store())) {
      store.migrate();
      System.out.println("schema of database " + settings.store().database() + " is at version "
          + store.migrator().currentVersion());
      return 0;
    } catch (StoreException e) {
      System.err.println("tskotel: migration failed: " + e.getMessage());
      return 1;
    }
  }
}
