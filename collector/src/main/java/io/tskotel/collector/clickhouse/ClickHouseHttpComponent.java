package io.tskotel.collector.clickhouse;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.Collector;
import io.tskotel.collector.CollectorComponent;
import io.tskotel.collector.clickhouse.internal.ClickHouseHttpServer;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.tsk.Tsk;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ClickHouse HTTP interface on the collector's embedded store ({@code [clickhouse_http]}), so Grafana's
 * ClickHouse datasource, clickhouse-jdbc, client-v2, the Node.js client, curl and another collector's
 * remote store can use it like a server. Off by default; see {@code docs/clickhouse-http.md}.
 *
 * <pre>{@code
 * Collector.builder(settings).component(ClickHouseHttpComponent.factory(config)).start();
 * }</pre>
 */
public final class ClickHouseHttpComponent implements CollectorComponent {
  private static final Logger logger = LoggerFactory.getLogger(ClickHouseHttpComponent.class);

  private final ClickHouseHttpConfig config;
  private final ClickHouseHttpServer server;
  private boolean started;
  private boolean stopped;

  private ClickHouseHttpComponent(ClickHouseHttpConfig config, ClickHouseHttpServer server) {
    this.config = config;
    this.server = server;
  }

  /**
   * The component for {@code tsk}'s {@code [clickhouse_http]} section, or none when it is off.
   *
   * @throws io.tskotel.tsk.SettingsException listing every problem with the section
   */
  public static Optional<CollectorComponent.Factory> fromTsk(Tsk tsk) {
    ClickHouseHttpConfig config = ClickHouseHttpConfig.fromTsk(tsk);
    return config.enabled() ? Optional.of(factory(config)) : Optional.empty();
  }

  /** A component serving {@code config} (which must be valid and enabled) on the collector's store. */
  public static CollectorComponent.Factory factory(ClickHouseHttpConfig config) {
    requireNonNull(config, "config").requireValid();
    if (!config.enabled()) {
      throw new IllegalArgumentException("enabled: false (expected: true to create the endpoint)");
    }
    return collector -> create(config, collector);
  }

  private static ClickHouseHttpComponent create(ClickHouseHttpConfig config, Collector collector) {
    if (!(collector.store() instanceof ClickHouseStore store)
        || store.config().engine() != StoreConfig.EngineKind.EMBEDDED) {
      throw new IllegalStateException("[clickhouse_http] needs the embedded store ([storage] engine: embedded);"
          + " a remote ClickHouse server has its own HTTP interface");
    }
    if (config.writerHalfSet()) {
      logger.warn("[clickhouse_http] only one of writer_user and writer_password is set: no writer user");
    }
    StoreConfig sc = store.config();
    ClickHouseHttpServer server = new ClickHouseHttpServer(config.host(), config.port(), store.engine(),
        config.readonlyUser(), config.readonlyPassword(), config.writerUser(), config.writerPassword(),
        sc.database(), sc.queryTimeout(), sc.maxResultRows());
    return new ClickHouseHttpComponent(config, server);
  }

  /** The port the endpoint listens on, once started. */
  public int port() {
    return server.port();
  }

  @Override
  public String name() {
    return "clickhouse http";
  }

  @Override
  public synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    server.start();
    logger.info("ClickHouse HTTP interface on {}:{} (users: {}{})", config.host(), server.port(),
        config.readonlyUser(), config.hasWriter() ? ", " + config.writerUser() + " (writer)" : "");
  }

  @Override
  public synchronized void shutdown() {
    if (stopped || !started) {
      stopped = true;
      return;
    }
    stopped = true;
    server.stop();
  }
}
