package io.tskotel.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.tskotel.exporter.testing.ChdbTestEngine;
import io.tskotel.exporter.testing.ForwardingEngine;
import io.tskotel.exporter.testing.NonClosingEngine;
import io.tskotel.exporter.testing.OtlpFixtures;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A write of several Native blocks is one insert: all of it is written, or (a block refused) none of it; the
 * tables of one write keep at most one insert open.
 */
class OpenInsertStoreTest {

  /** Refuses the second block of every open insert while {@code failing} is set. */
  private static final class SecondBlockFails extends ForwardingEngine {
    volatile boolean failing = true;
    final AtomicInteger opened = new AtomicInteger();

    SecondBlockFails() {
      super(NonClosingEngine.shared());
    }

    @Override
    public @Nullable BlockInsert openNativeInsert(String insertPrefix) throws StoreException {
      BlockInsert open = delegate.openNativeInsert(insertPrefix);
      opened.incrementAndGet();
      return new BlockInsert() {
        int blocks;

        @Override
        public void append(byte[] block, int length) throws StoreException {
          if (++blocks == 2 && failing) {
            throw StoreException.retryable("injected: the second block is refused");
          }
          open.append(block, length);
        }

        @Override
        public long finish() throws StoreException {
          return open.finish();
        }

        @Override
        public void close() {
          open.close();
        }
      };
    }
  }

  @Test
  void writeTraces_blockRefusedMidInsert_writesNothingThenRetryWritesAllOnce() throws StoreException {
    SecondBlockFails engine = new SecondBlockFails();
    String db = ChdbTestEngine.newDatabase(OpenInsertStoreTest.class);
    try (ClickHouseStore store = ClickHouseStore.create(StoreConfig.builder().database(db)
        .dataPath(ChdbTestEngine.dataPath()).maxInsertBytes(64 * 1024).build(), engine)) {
      ScopeSpans.Builder ss = ScopeSpans.newBuilder();
      for (int i = 0; i < 3_000; i++) {
        ss.addSpans(OtlpFixtures.span("6666666666666666666666666666" + String.format("%04x", i),
            String.format("%016x", i + 1), "", OtlpFixtures.T0.plusNanos(i), 100));
      }
      List<ResourceSpans> batch = List.of(
          ResourceSpans.newBuilder().setResource(OtlpFixtures.resource("open")).addScopeSpans(ss).build());

      assertThatThrownBy(() -> store.writeTraces(batch)).isInstanceOf(StoreException.class)
          .hasMessageContaining("second block");
      assertThat(count(store, db)).isZero();

      engine.failing = false;
      store.writeTraces(batch);
      assertThat(count(store, db)).isEqualTo(3_000L);
      assertThat(engine.opened.get()).isEqualTo(2);
    }
  }

  /** Counts the inserts open at once. */
  private static final class CountingOpens extends ForwardingEngine {
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger maxOpen = new AtomicInteger();
    final AtomicInteger opened = new AtomicInteger();

    CountingOpens() {
      super(NonClosingEngine.shared());
    }

    @Override
    public @Nullable BlockInsert openNativeInsert(String insertPrefix) throws StoreException {
      BlockInsert inner = delegate.openNativeInsert(insertPrefix);
      if (inner == null) {
        return null;
      }
      opened.incrementAndGet();
      maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
      return new BlockInsert() {
        boolean ended;

        @Override
        public void append(byte[] block, int length) throws StoreException {
          inner.append(block, length);
        }

        @Override
        public long finish() throws StoreException {
          try {
            return inner.finish();
          } finally {
            close();
          }
        }

        @Override
        public void close() {
          if (!ended) {
            ended = true;
            open.decrementAndGet();
          }
          inner.close();
        }
      };
    }
  }

  @Test
  void writeMetrics_twoLargeTables_atMostOneInsertOpenAndEveryPointWritten() throws StoreException {
    CountingOpens engine = new CountingOpens();
    String db = ChdbTestEngine.newDatabase(OpenInsertStoreTest.class);
    try (ClickHouseStore store = ClickHouseStore.create(StoreConfig.builder().database(db)
        .dataPath(ChdbTestEngine.dataPath()).maxInsertBytes(64 * 1024).build(), engine)) {
      ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
      for (int m = 0; m < 20; m++) {
        Gauge.Builder gauge = Gauge.newBuilder();
        Sum.Builder sum = Sum.newBuilder().setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        for (int i = 0; i < 200; i++) {
          long t = OtlpFixtures.nanos(OtlpFixtures.T0.plusSeconds(i));
          gauge.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(t).setAsDouble(i)
              .addAttributes(OtlpFixtures.attr("host", "host-" + i)));
          sum.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(t).setAsInt(i)
              .addAttributes(OtlpFixtures.attr("host", "host-" + i)));
        }
        // Interleaved, as a request mixes them: both tables grow past one block in the same write.
        scope.addMetrics(Metric.newBuilder().setName("g" + m).setGauge(gauge));
        scope.addMetrics(Metric.newBuilder().setName("s" + m).setSum(sum));
      }
      store.writeMetrics(List.of(ResourceMetrics.newBuilder().setResource(OtlpFixtures.resource("m"))
          .addScopeMetrics(scope).build()));

      assertThat(engine.opened.get()).isEqualTo(1);
      assertThat(engine.maxOpen.get()).isEqualTo(1);
      assertThat(engine.open.get()).isZero();
      for (String table : List.of("otel_metrics_gauge", "otel_metrics_sum")) {
        assertThat(store.engine().query("SELECT count() FROM {db:Identifier}.{t:Identifier}",
            Map.of("db", db, "t", table)).rows()).containsExactly(List.of(4_000L));
      }
    }
  }

  private static long count(ClickHouseStore store, String db) throws StoreException {
    return ((Number) store.engine().query("SELECT count() FROM {db:Identifier}.otel_traces", Map.of("db", db))
        .rows().get(0).get(0)).longValue();
  }
}
