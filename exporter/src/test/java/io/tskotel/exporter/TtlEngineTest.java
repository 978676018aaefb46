package io.tskotel.exporter;

import static io.tskotel.exporter.testing.OtlpFixtures.attr;
import static io.tskotel.exporter.testing.OtlpFixtures.nanos;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.tskotel.exporter.testing.OtlpFixtures;
import io.tskotel.exporter.testing.StoresExpiredRows;
import io.tskotel.exporter.testing.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Retention per signal: rows older than the signal's TTL are dropped on arrival (and counted), and rows
 * that age past it while stored are gone after OPTIMIZE ... FINAL. Every time is relative to now, and no row
 * has to be written within a margin of its expiry: the stored rows expire because the test shortens the
 * table's TTL after they are in.
 */
@StoresExpiredRows
class TtlEngineTest {
  private static long count(ClickHouseStore store, String table) throws StoreException {
    return (Long) store.engine().query("SELECT count() FROM `" + store.config().database() + "`." + table, Map.of())
        .rows().get(0).get(0);
  }

  private static void optimize(ClickHouseStore store, String table) throws StoreException {
    store.engine().execute("OPTIMIZE TABLE `" + store.config().database() + "`." + table + " FINAL", Map.of());
  }

  private static ResourceMetrics gauge(Instant t) {
    return ResourceMetrics.newBuilder().setResource(OtlpFixtures.resource("ttl"))
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("g")
            .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
                .setTimeUnixNano(nanos(t)).setAsDouble(1).addAttributes(attr("k", "v"))))))
        .build();
  }

  @Test
  void writes_olderThanTtl_droppedOnArrivalAndCounted() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Instant old = now.minus(Duration.ofDays(10));
    try (ClickHouseStore store = TestStores.newStore(TtlEngineTest.class, b -> b
        .ttl("traces", Duration.ofDays(1)).ttl("logs", Duration.ofDays(2))
        .ttl("metrics", Duration.ofDays(30)).ttl("alerts", Duration.ZERO))) {
      store.writeLogs(List.of(OtlpFixtures.logs("ttl", OtlpFixtures.log(old, "old"), OtlpFixtures.log(now, "new"))));
      // 10 days old is within the 30-day metrics TTL: it stays.
      store.writeMetrics(List.of(gauge(old), gauge(now)));
      // TTL 0 keeps anything, however old.
      store.writeAlerts(List.of(new AlertRecord(old.minus(Duration.ofDays(400)), "t", "s", "m", 1, 2, Map.of())));

      assertThat(store.engine().query("SELECT Body FROM `" + store.config().database() + "`.otel_logs",
          Map.of()).rows()).containsExactly(List.of("new"));
      assertThat(count(store, "otel_metrics_gauge")).isEqualTo(2);
      assertThat(count(store, "tskotel_alerts")).isEqualTo(1);
      assertThat(store.stats()).containsEntry("expired_on_arrival.logs", 1L)
          .containsEntry("expired_on_arrival.metrics", 0L).containsEntry("expired_on_arrival.alerts", 0L);
    }
  }

  @Test
  void optimizeFinal_dropsRowsThatAgedPastTtl() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Instant future = now.plus(Duration.ofHours(1));
    try (ClickHouseStore store = TestStores.newStore(TtlEngineTest.class, b -> b.ttl("traces", Duration.ofDays(1)))) {
      store.writeTraces(List.of(OtlpFixtures.traces("ttl",
          OtlpFixtures.span("6b8efff798038103d269b633813fc60c", "eee19b7ec3c1b170", "", now, 5),
          OtlpFixtures.span("6b8efff798038103d269b633813fc60d", "eee19b7ec3c1b171", "", future, 5))));
      assertThat(count(store, "otel_traces")).isEqualTo(2);

      // Retention shortened to one second: the span stamped now ages past it, the one an hour ahead does not.
      store.engine().execute("ALTER TABLE `" + store.config().database() + "`.otel_traces MODIFY TTL "
          + "toDateTime(Timestamp) + toIntervalSecond(1)", Map.of());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (count(store, "otel_traces") > 1 && System.nanoTime() < deadline) {
        optimize(store, "otel_traces");
        Thread.sleep(200);
      }

      assertThat(store.engine().query("SELECT Timestamp FROM `" + store.config().database() + "`.otel_traces",
          Map.of()).rows()).containsExactly(List.of(future));
    }
  }
}
