package io.tskotel.collector.api;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.Collector;
import io.tskotel.collector.CollectorComponent;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.tsk.Tsk;
import java.time.Clock;

/**
 * {@link QueryApi} inside a running {@code Collector}: the admin HTTP API and the gRPC QueryService on the
 * collector's store, with the pipeline's queue depths and ingest rates in {@code /status}.
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
    requireNonNull(tsk, "tsk");
    requireNonNull(clock, "clock");
    return collector ->
        new QueryApiComponent(
            QueryApi.builder(tsk, collector.store(), database(collector))
                .clock(clock)
                .statusSource("pipeline", new PipelineStatus(collector, clock))
                .build());
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
