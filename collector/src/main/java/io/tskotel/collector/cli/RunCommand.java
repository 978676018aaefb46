package io.tskotel.collector.cli;

import io.tskotel.collector.Collector;
import io.tskotel.collector.CollectorComponent;
import io.tskotel.collector.api.AdminApiComponent;
import io.tskotel.collector.clickhouse.ClickHouseHttpComponent;
import io.tskotel.collector.config.CollectorSettings;
import io.tskotel.exporter.StoreException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tskotel run}: the collector in the foreground until SIGTERM / Ctrl-C. Exit 0 after a clean stop
 * (everything queued written to the store), 1 when it could not start or stopped with data still queued
 * (kept for the next start), 2 on a bad configuration.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Start the collector: OTLP receivers (gRPC 4317, HTTP 4318), durable queue, store,",
      "admin API (HTTP 127.0.0.1:8080, gRPC QueryService 127.0.0.1:8081).",
      "Stops cleanly on SIGTERM or Ctrl-C, writing what is queued first.",
      "Exit 0 after a clean stop, 1 on failure or when queued data was left for the next start,"
          + " 2 on a bad configuration."
    })
public final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  private final Map<String, String> environment;
  private final List<CollectorComponent.Factory> components;

  public RunCommand() {
    this(System.getenv());
  }

  /** With the variables {@code @env} reads. */
  public RunCommand(Map<String, String> environment) {
    this(environment, List.of());
  }

  /**
   * With the variables {@code @env} reads and the components (admin API, dashboard, ...) to run in the
   * collector besides the ingest path.
   */
  public RunCommand(Map<String, String> environment, List<CollectorComponent.Factory> components) {
    this.environment = Map.copyOf(environment);
    this.components = List.copyOf(components);
  }

  private static final Logger logger = LoggerFactory.getLogger(RunCommand.class);

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "TSK configuration file (default: the built-in tskotel.tsk).")
  @Nullable Path config;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    Settings.Loaded loaded = Settings.loadWithTsk(config, environment, err);
    if (loaded == null) {
      return 2;
    }
    CollectorSettings settings = loaded.settings();
    // Signals are taken over before anything starts: a SIGTERM while the store opens is then a clean stop
    // right after the start, not the JVM's exit with chDB half started.
    CountDownLatch stopRequested = new CountDownLatch(1);
    boolean signalsHandled = StopSignals.install(stopRequested::countDown);
    Collector collector;
    try {
      Collector.Builder builder = Collector.builder(settings);
      // The query API (admin HTTP, gRPC QueryService, the seed's fujsen) runs in every collector.
      builder.component(AdminApiComponent.factory(loaded.tsk()));
      // The ClickHouse HTTP interface on the embedded store, when [clickhouse_http] enables it.
      // (Settings.loadWithTsk has validated [clickhouse_http] with every other section.)
      ClickHouseHttpComponent.fromTsk(loaded.tsk()).ifPresent(builder::component);
      components.forEach(builder::component);
      collector = builder.start();
    } catch (StoreException e) {
      err.println("tskotel: cannot open the store: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("tskotel: cannot open the queue: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      err.println("tskotel: cannot start: " + e.getMessage());
      return 1;
    }
    if (!signalsHandled) {
      Runtime.getRuntime().addShutdownHook(new Thread(collector::shutdown, "tskotel-shutdown"));
    }
    logger.info("collector running (config: {}; queues: {}; store: {}); stop with SIGTERM or Ctrl-C",
        config == null ? "built-in tskotel.tsk" : config,
        settings.pipeline().queueDirectory().toAbsolutePath(),
        describeStore(settings));
    stopRequested.await();
    return collector.shutdown() ? 0 : 1;
  }

  private static String describeStore(CollectorSettings settings) {
    return switch (settings.store().engine()) {
      case EMBEDDED -> "embedded, " + settings.store().dataPath().toAbsolutePath();
      case REMOTE -> "remote, " + settings.store().endpoints();
    };
  }
}
