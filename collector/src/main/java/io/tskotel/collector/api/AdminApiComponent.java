package io.tskotel.collector.api;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.Collector;
import io.tskotel.collector.CollectorComponent;
import io.tskotel.collector.internal.EngineMemoryReader;
import io.tskotel.collector.web.CollectorMetricsSource;
import io.tskotel.collector.web.DashboardConfig;
import io.tskotel.collector.web.DashboardRoutes;
import io.tskotel.collector.web.ExplorerPages;
import io.tskotel.collector.web.HostMetrics;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.collector.query.QueryConfig;
import io.tskotel.collector.web.charts.ChartMetrics;
import io.tskotel.collector.web.charts.ChartSeries;
import io.tskotel.collector.query.prometheus.PrometheusExporter;
import io.tskotel.tsk.SettingsReader;
import io.tskotel.tsk.Tsk;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * {@link AdminApi} inside a running {@code Collector}: the admin HTTP API and the gRPC QueryService on the
 * collector's store, with the pipeline's queue depths and ingest rates in {@code /status}, the Prometheus
 * exposition on {@code /metrics} and the dashboard page.
 *
 * <pre>{@code
 * Collector.builder(settings).component(AdminApiComponent.factory(tsk)).start();
 * }</pre>
 */
public final class AdminApiComponent implements CollectorComponent {
  private final AdminApi api;

  private AdminApiComponent(AdminApi api) {
    this.api = api;
  }

  public static CollectorComponent.Factory factory(Tsk tsk) {
    return factory(tsk, Clock.systemUTC());
  }

  public static CollectorComponent.Factory factory(Tsk tsk, Clock clock) {
    return factory(tsk, clock, api -> {});
  }

  /** With {@code extend} adding to the API (e.g. the alerting's routes and live state). */
  public static CollectorComponent.Factory factory(Tsk tsk, Clock clock, Consumer<AdminApi.Builder> extend) {
    requireNonNull(tsk, "tsk");
    requireNonNull(clock, "clock");
    requireNonNull(extend, "extend");
    Sections sections = SettingsReader.readOnly(tsk, r -> {
      AdminServerConfig admin = AdminServerConfig.read(r);
      return new Sections(admin, DashboardConfig.read(r, admin), QueryConfig.read(r));
    });
    return collector -> {
      String database = database(collector);
      QueryConfig config = sections.query().database(database).build();
      // /metrics: every stored metric's latest value plus the collector's own, live.
      PrometheusExporter prometheus =
          PrometheusExporter.builder()
              .store(collector.store(), database)
              .addSelfMetrics(new CollectorMetricsSource(collector.metrics()))
              .clock(clock)
              .build();
      // /dashboard: the page, its assets and its charts, on the same names as the query functions.
      DashboardRoutes dashboard =
          new DashboardRoutes(
              sections.dashboard(),
              ChartSeries.builder(collector.store(), database)
                  .metrics(ChartMetrics.from(config))
                  .errorStatus(config.errorStatusThreshold())
                  .clock(clock)
                  .build(),
              new HostMetrics(hostDisk(collector), clock));
      AdminApi.Builder api =
          AdminApi.builder(tsk, collector.store(), database)
              .adminConfig(sections.admin())
              .config(config)
              .clock(clock)
              .exposition(prometheus::scrape)
              .routes(dashboard::register)
              // /dashboard/traces and /dashboard/logs: pages over the query API's traces and logs endpoints.
              .routes(new ExplorerPages(sections.dashboard())::register)
              .statusSource("pipeline", new PipelineStatus(collector, clock))
              .statusSource("process", new ProcessStatus())
              .healthCheck("pipeline", new PipelineHealth(collector.pipeline()))
              .healthCheck("memory", new MemoryHealth(collector.memoryGuard()));
      // The embedded engine's memory against its limit (a remote server reports its own).
      EngineMemoryReader engine = EngineMemoryReader.of(collector.store());
      if (engine != null) {
        api.statusSource("engine", new EngineStatus(engine));
      }
      extend.accept(api);
      return new AdminApiComponent(api.build());
    };
  }

  /** The filesystem whose use the dashboard shows for this host: the embedded store's, else the queue's. */
  private static Path hostDisk(Collector collector) {
    StoreConfig store = collector.settings().store();
    return store.engine() == StoreConfig.EngineKind.EMBEDDED ? store.dataPath() : Path.of("");
  }

  /** What the component reads from the document, once. */
  private record Sections(AdminServerConfig admin, DashboardConfig dashboard, QueryConfig.Builder query) {}

  /** The database of the store the collector actually writes to. */
  private static String database(Collector collector) {
    return collector.store() instanceof ClickHouseStore store
        ? store.config().database()
        : collector.settings().store().database();
  }

  public AdminApi api() {
    return api;
  }

  @Override
  public String name() {
    return "query api";
  }

  @Override
  public void start() {
    api.start();
  }

  @Override
  public void shutdown() {
    api.shutdown();
  }
}
