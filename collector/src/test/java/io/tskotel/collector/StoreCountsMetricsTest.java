package io.tskotel.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span;
import io.tskotel.collector.telemetry.CollectorMetrics;
import io.tskotel.collector.testing.TestCollectors;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.testing.OtlpFixtures;
import io.tskotel.exporter.testing.StoresExpiredRows;
import io.tskotel.exporter.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the store counts (rows dropped as expired on arrival, repaired values) is the collector's metrics too. */
class StoreCountsMetricsTest {
  @TempDir Path dir;

  @Test
  @StoresExpiredRows
  void metrics_countExpiredOnArrivalAndRepairedValues() throws Exception {
    try (ClickHouseStore store = TestStores.newStore(StoreCountsMetricsTest.class)) {
      Collector collector = Collector.builder(TestCollectors.settings(dir, p -> {})).store(store).start();
      try {
        store.writeLogs(List.of(OtlpFixtures.logs("svc",
            OtlpFixtures.log(Instant.now().minus(Duration.ofDays(30)), "too old for the 7-day logs TTL"))));
        Span shortTraceId = Span.newBuilder().setName("short trace id").setTraceId(OtlpFixtures.id("abcd"))
            .setSpanId(OtlpFixtures.id("0102030405060708")).setStartTimeUnixNano(OtlpFixtures.nanos(Instant.now()))
            .build();
        store.writeTraces(List.of(OtlpFixtures.traces("svc", shortTraceId)));

        CollectorMetrics metrics = collector.metrics();
        assertThat(metrics.value(CollectorMetrics.STORE_EXPIRED_ON_ARRIVAL, Map.of("signal", "logs"))).isEqualTo(1);
        assertThat(metrics.value(CollectorMetrics.STORE_EXPIRED_ON_ARRIVAL, Map.of("signal", "traces"))).isZero();
        assertThat(metrics.value(CollectorMetrics.STORE_REPAIRED, Map.of("kind", "bad_trace_id"))).isEqualTo(1);
      } finally {
        collector.shutdown();
      }
    }
  }
}
