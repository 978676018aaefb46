package io.tskotel.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.tskotel.exporter.testing.OtlpFixtures;
import io.tskotel.exporter.testing.TestStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Writers of every signal and readers at once on one store: nothing lost, readers never fail. */
class ConcurrencyEngineTest {
  private static final int WRITERS = 4;
  private static final int BATCHES = 25;
  private static final int SPANS_PER_BATCH = 40;

  @Test
  void concurrentWritersAndReaders_allRowsArriveAndReadsSucceed() throws Exception {
    try (ClickHouseStore store = TestStores.newStore(ConcurrencyEngineTest.class)) {
      String db = store.config().database();
      ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 2);
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean writing = new AtomicBoolean(true);
      ConcurrentLinkedQueue<Long> observed = new ConcurrentLinkedQueue<>();
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(pool.submit(() -> {
          start.await();
          for (int b = 0; b < BATCHES; b++) {
            ScopeSpans.Builder ss = ScopeSpans.newBuilder();
            for (int i = 0; i < SPANS_PER_BATCH; i++) {
              int n = (writer * BATCHES + b) * SPANS_PER_BATCH + i;
              ss.addSpans(OtlpFixtures.span("7b8efff798038103d269b63381" + String.format("%06x", n / 10),
                  String.format("%016x", n + 1), "", OtlpFixtures.T0.plusNanos(n), 10));
            }
            store.writeTraces(List.of(ResourceSpans.newBuilder()
                .setResource(OtlpFixtures.resource("w" + writer)).addScopeSpans(ss).build()));
            if (b % 5 == 0) {
              store.writeMetrics(List.of(OtlpFixtures.sampleMetrics("w" + writer)));
              store.writeLogs(List.of(OtlpFixtures.logs("w" + writer, OtlpFixtures.log(OtlpFixtures.T0, "b" + b))));
            }
          }
          return null;
        }));
      }
      List<Future<?>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(pool.submit(() -> {
          start.await();
          while (writing.get()) {
            List<List<Object>> rows = store.query("SELECT count(), uniqExact(SpanId) FROM `" + db
                + "`.otel_traces WHERE ServiceName LIKE {p:String}", Map.of("p", "w%")).rows();
            long count = (Long) rows.get(0).get(0);
            assertThat(rows.get(0).get(1)).isEqualTo(count);
            observed.add(count);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : writers) {
        f.get(5, TimeUnit.MINUTES);
      }
      writing.set(false);
      for (Future<?> f : readers) {
        f.get(1, TimeUnit.MINUTES);
      }
      pool.shutdown();

      long expected = (long) WRITERS * BATCHES * SPANS_PER_BATCH;
      assertThat(store.query("SELECT count(), uniqExact(SpanId) FROM `" + db + "`.otel_traces", Map.of()).rows())
          .containsExactly(List.of(expected, expected));
      assertThat(store.query("SELECT count() FROM `" + db + "`.otel_metrics_histogram", Map.of()).rows())
          .containsExactly(List.of((long) WRITERS * (BATCHES / 5)));
      assertThat(observed).isNotEmpty().allMatch(c -> c <= expected);
      assertThat(store.stats()).containsEntry("failed_writes", 0L);
    }
  }
}
