package io.tskotel.collector.api;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.Collector;
import io.tskotel.collector.CollectorComponent;
import io.tskotel.collector.web.CollectorMetricsSource;
import io.tskotel.collector.web.DashboardConfig;
import io.tskotel.collector.web.DashboardRoutes;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.functions.QueryConfig;
import io.tskotel.exporter.functions.QueryFujsen;
import io.tskotel.exporter.functions.charts.ChartMetrics;
import io.tskotel.exporter.functions.charts.ChartSeries;
import io.tskotel.exporter.functions.prometheus.PrometheusExporter;
import io.tskotel.tsk.Tsk;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * {@link QueryApi} inside a running {@code Collector}: the admin HTTP API and the gRPC QueryService on the
 * collector's store, with the pipeline's queue depths and ingest rates in {@code /status}, the Prometheus
 * exposition on {@code /metrics} and the dashboard page.
 *
 * <pre>{@code
 * Collector.builder(settings).component(QueryApiComponent.factory(tsk)).start();
 * }</pre>
 */
public final class QueryApiComponent implements CollectorComponent {
  private final QueryApi api;

  private QueryApiComponent(QueryApi api) {
    this.api = api;
  }

  public static CollectorComponent.Factory factory(Tsk tsk) {
    return factory(tsk, Clock.systemUTC());
  }

  public static CollectorComponent.Factory factory(Tsk tsk, Clock clock) {
    return factory(tsk, clock, api -> {});
  }

  /** With {@code extend} adding to the API (e.g. the alerting's routes and live state). */
  public static CollectorComponent.Factory factory(Tsk tsk, Clock clock, Consumer<QueryApi.Builder> extend) {
    requireNonNull(tsk, "tsk");
    requireNonNull(clock, "clock");
    requireNonNull(extend, "extend");
    return collector -> {
      String database = database(collector);
      QueryConfig config = QueryFujsen.config(tsk, database);
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
              DashboardConfig.fromTsk(tsk),
              ChartSeries.builder(collector.store(), database)
                  .metrics(ChartMetrics.from(config))
                  .errorStatus(config.errorStatusThreshold())
                  .clock(clock)
                  .build());
      QueryApi.Builder api =
          QueryApi.builder(tsk, collector.store(), database)
              .clock(clock)
              .exposition(prometheus::scrape)
              .routes(dashboard::register)
              .statusSource("pipeline", new PipelineStatus(collector, clock));
      extend.accept(api);
      return new QueryApiComponent(api.build());
    };
  }

  /** The database of the store the collector actually writes to. */
  private static String database(Collector collector) {
    return collector.store() instanceof ClickHouseStore store
        ? store.config().database()
        : collector.settings().store().database();
  }

  public QueryApi api() {
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
