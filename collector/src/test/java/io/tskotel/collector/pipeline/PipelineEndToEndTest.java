package io.tskotel.collector.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.tskotel.collector.queue.internal.WalFormat;
import io.tskotel.collector.telemetry.CollectorMetrics;
import io.tskotel.collector.telemetry.SelfTelemetryReporter;
import io.tskotel.collector.testing.FaultInjectingEngine;
import io.tskotel.collector.testing.ForwardingStore;
import io.tskotel.collector.testing.OtlpRequests;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.testing.ChdbTestEngine;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sink → queue → batcher → the real store (embedded chDB), with faults injected around the real engine. */
class PipelineEndToEndTest {
  private static final int SPANS_PER_REQUEST = 10;

  @TempDir Path dir;

  private String database;
  private FaultInjectingEngine engine;
  private ClickHouseStore store;
  private final GatedSleeper sleeper = new GatedSleeper(3);

  @BeforeEach
  void setUp() throws Exception {
    database = ChdbTestEngine.newDatabase(PipelineEndToEndTest.class);
    engine = new FaultInjectingEngine(ChdbTestEngine.shared());
    store = ClickHouseStore.create(StoreConfig.builder().database(database).build(), engine);
  }

  @AfterEach
  void tearDown() {
    sleeper.open();
    store.close();
    ChdbTestEngine.dropDatabase(database);
  }

  private PipelineConfig.Builder config() {
    return PipelineConfig.builder(dir.resolve("queue"))
        .segmentBytes(8192)
        .queueMaxBytes(1 << 20)
        .batch(BatcherConfig.builder().maxItems(50).maxDelay(Duration.ofMillis(5)).build());
  }

  private Pipeline start(PipelineConfig config) throws Exception {
    return Pipeline.builder(config, store).sleeper(sleeper).random(RandomGenerator.of("L64X128MixRandom"))
        .start();
  }

  private static byte[] traceRequest(long r, String name) {
    return OtlpRequests.traces(r, SPANS_PER_REQUEST, name).toByteArray();
  }

  private List<String> storedSpanIds() throws Exception {
    QueryResult result = store.query(
        "SELECT SpanId FROM {db:Identifier}.otel_traces ORDER BY SpanId", Map.of("db", database));
    List<String> ids = new ArrayList<>();
    result.rows().forEach(row -> ids.add((String) row.get(0)));
    return ids;
  }

  private long count(String table) throws Exception {
    QueryResult result = store.query(
        "SELECT count() FROM {db:Identifier}.{t:Identifier}", Map.of("db", database, "t", table));
    return ((Number) result.rows().get(0).get(0)).longValue();
  }

  private static List<String> expectedSpanIds(Iterable<Long> requests) {
    List<String> ids = new ArrayList<>();
    for (long r : requests) {
      for (int k = 0; k < SPANS_PER_REQUEST; k++) {
        ids.add(OtlpRequests.spanIdHex(r, k));
      }
    }
    Collections.sort(ids);
    return ids;
  }

  @Test
  void admit_allSignals_everyItemInTheStoreAfterShutdownDrains() throws Exception {
    Pipeline pipeline = start(config().build());
    IngestSink sink = pipeline.sink();
    List<Long> requests = new ArrayList<>();
    for (long r = 0; r < 30; r++) {
      assertThat(sink.admit(Signal.TRACES, traceRequest(r, "op"), SPANS_PER_REQUEST).outcome())
          .isEqualTo(Admission.Outcome.ACCEPTED);
      requests.add(r);
    }
    for (long r = 0; r < 7; r++) {
      assertThat(sink.admit(Signal.LOGS, OtlpRequests.logs(r, 3).toByteArray(), 3).outcome())
          .isEqualTo(Admission.Outcome.ACCEPTED);
      assertThat(sink.admit(Signal.METRICS, OtlpRequests.gauges(r, 4).toByteArray(), 4).outcome())
          .isEqualTo(Admission.Outcome.ACCEPTED);
    }

    assertThat(pipeline.shutdown()).isTrue();

    assertThat(storedSpanIds()).isEqualTo(expectedSpanIds(requests));
    assertThat(count("otel_logs")).isEqualTo(21);
    assertThat(count("otel_metrics_gauge")).isEqualTo(28);
    CollectorMetrics metrics = pipeline.metrics();
    assertThat(metrics.value(CollectorMetrics.WRITTEN, Map.of("signal", "traces"))).isEqualTo(300);
    assertThat(metrics.value(CollectorMetrics.ACCEPTED, Map.of("signal", "logs"))).isEqualTo(21);
    assertThat(metrics.value(CollectorMetrics.QUEUE_RECORDS, Map.of("signal", "traces"))).isZero();
    assertThat(pipeline.queue(Signal.TRACES).segmentCount()).isEqualTo(1);
  }

  @Test
  void parallelWriters_laterBatchWrittenFirst_queueCommittedOnlyOnceTheEarlierBatchIsWritten() throws Exception {
    CountDownLatch slowStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ForwardingStore gated = new ForwardingStore(store) {
      @Override
      public void writeTraces(List<ResourceSpans> resourceSpans) throws StoreException {
        if (resourceSpans.get(0).getScopeSpans(0).getSpans(0).getName().equals("slow")) {
          slowStarted.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StoreException.retryable("interrupted", e);
          }
        }
        super.writeTraces(resourceSpans);
      }
    };
    // Batches by count only (5 requests each), so the first holds exactly the "slow" requests.
    Pipeline pipeline = Pipeline.builder(config()
            .batch(BatcherConfig.builder().maxItems(50).maxDelay(Duration.ofSeconds(30)).writers(2).build())
            .build(), gated)
        .sleeper(sleeper).random(RandomGenerator.of("L64X128MixRandom")).start();
    IngestSink sink = pipeline.sink();
    for (long r = 0; r < 10; r++) {
      assertThat(sink.admit(Signal.TRACES, traceRequest(r, r < 5 ? "slow" : "fast"), SPANS_PER_REQUEST).outcome())
          .isEqualTo(Admission.Outcome.ACCEPTED);
    }

    assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (count("otel_traces") < 50) {
      assertThat(System.nanoTime()).as("the second writer writes the later batch").isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    assertThat(storedSpanIds()).isEqualTo(expectedSpanIds(List.of(5L, 6L, 7L, 8L, 9L)));
    assertThat(pipeline.queue(Signal.TRACES).pendingRecords())
        .as("nothing is committed past a batch still being written").isEqualTo(10);

    release.countDown();
    while (pipeline.queue(Signal.TRACES).pendingRecords() > 0) {
      assertThat(System.nanoTime()).as("both batches committed").isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    assertThat(storedSpanIds()).isEqualTo(expectedSpanIds(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L)));
    assertThat(pipeline.shutdown()).isTrue();
  }

  @Test
  void concurrentWrites1_signalsWriteOneBatchAtATime_everythingStored() throws Exception {
    assertThat(maxWritesAtOnce(1)).isEqualTo(1);
  }

  @Test
  void concurrentWrites2_twoSignalsWriteAtOnce() throws Exception {
    assertThat(maxWritesAtOnce(2)).isEqualTo(2);
  }

  /**
   * A traces batch whose write waits (up to 2 s) for a logs batch's write to start beside it; returns the most
   * writes that were inside the store at once. Both batches must be stored either way.
   */
  private int maxWritesAtOnce(int concurrentWrites) throws Exception {
    CountDownLatch tracesEntered = new CountDownLatch(1);
    CountDownLatch logsEntered = new CountDownLatch(1);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ForwardingStore counting = new ForwardingStore(store) {
      @Override
      public void writeTraces(List<ResourceSpans> resourceSpans) throws StoreException {
        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
        try {
          tracesEntered.countDown();
          logsEntered.await(2, TimeUnit.SECONDS);
          super.writeTraces(resourceSpans);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw StoreException.retryable("interrupted", e);
        } finally {
          inside.decrementAndGet();
        }
      }

      @Override
      public void writeLogs(List<ResourceLogs> resourceLogs) throws StoreException {
        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
        try {
          logsEntered.countDown();
          super.writeLogs(resourceLogs);
        } finally {
          inside.decrementAndGet();
        }
      }
    };
    Pipeline pipeline = Pipeline.builder(config()
            .batch(BatcherConfig.builder().maxItems(50).maxDelay(Duration.ofMillis(5))
                .concurrentWrites(concurrentWrites).build())
            .build(), counting)
        .sleeper(sleeper).random(RandomGenerator.of("L64X128MixRandom")).start();
    IngestSink sink = pipeline.sink();
    assertThat(sink.admit(Signal.TRACES, traceRequest(0, "op"), SPANS_PER_REQUEST).outcome())
        .isEqualTo(Admission.Outcome.ACCEPTED);
    assertThat(tracesEntered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(sink.admit(Signal.LOGS, OtlpRequests.logs(1, 4).toByteArray(), 4).outcome())
        .isEqualTo(Admission.Outcome.ACCEPTED);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (pipeline.queue(Signal.TRACES).pendingRecords() + pipeline.queue(Signal.LOGS).pendingRecords() > 0) {
      assertThat(System.nanoTime()).as("both batches written and committed").isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    assertThat(count("otel_traces")).isEqualTo(SPANS_PER_REQUEST);
    assertThat(count("otel_logs")).isEqualTo(4);
    assertThat(pipeline.shutdown()).isTrue();
    return most.get();
  }

  @Test
  void storeDownForAWhile_queueAbsorbsThenRefusesRetryably_everyAcknowledgedRequestStoredAfterRecovery()
      throws Exception {
    engine.failInserts(true);
    Pipeline pipeline = start(config().queueMaxBytes(16 * 1024).build());
    IngestSink sink = pipeline.sink();
    List<Long> acknowledged = new ArrayList<>();
    List<Long> refused = new ArrayList<>();
    for (long r = 0; refused.size() < 5; r++) {
      Admission admission = sink.admit(Signal.TRACES, traceRequest(r, "op"), SPANS_PER_REQUEST);
      if (admission.outcome() == Admission.Outcome.ACCEPTED) {
        acknowledged.add(r);
      } else {
        assertThat(admission.retryAfter()).isEqualTo(PipelineConfig.DEFAULT_RETRY_AFTER);
        refused.add(r);
      }
    }
    assertThat(acknowledged).hasSizeGreaterThan(10);
    assertThat(count("otel_traces")).isZero();
    assertThat(pipeline.metrics().value(CollectorMetrics.REFUSED,
        Map.of("signal", "traces", "reason", "queue_full"))).isEqualTo(5 * SPANS_PER_REQUEST);

    // The batcher has failed four times and waits, held by the sleeper: only now may the store recover (the
    // main thread can fill the queue before the batcher's first attempt).
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (sleeper.sleeps().size() < 4) {
      assertThat(System.nanoTime()).as("the batcher retries the failing store").isLessThan(deadline);
      LockSupport.parkNanos(1_000_000);
    }

    // The store recovers; refused clients retry until they are accepted, as OTLP exporters do.
    engine.failInserts(false);
    sleeper.open();
    for (long r : refused) {
      while (sink.admit(Signal.TRACES, traceRequest(r, "op"), SPANS_PER_REQUEST).outcome()
          != Admission.Outcome.ACCEPTED) {
        assertThat(System.nanoTime()).as("queue drains after recovery").isLessThan(deadline);
        LockSupport.parkNanos(1_000_000);
      }
      acknowledged.add(r);
    }
    assertThat(pipeline.shutdown()).isTrue();

    assertThat(storedSpanIds()).isEqualTo(expectedSpanIds(acknowledged)); // all there, each once
    assertThat(pipeline.metrics().value(CollectorMetrics.STORE_ERRORS,
        Map.of("signal", "traces", "kind", "retryable"))).isGreaterThanOrEqualTo(4);
    // Exponential backoff with jitter: 100 ms, 200 ms, 400 ms steps, each in [step/2, step].
    List<Duration> sleeps = sleeper.sleeps();
    assertThat(sleeps).hasSizeGreaterThanOrEqualTo(3);
    for (int i = 0; i < 3; i++) {
      long step = 100L << i;
      assertThat(sleeps.get(i)).isBetween(Duration.ofMillis(step / 2), Duration.ofMillis(step));
    }
  }

  @Test
  void permanentStoreError_onlyTheRefusedRequestGoesToTheDeadLetterFile() throws Exception {
    Pipeline pipeline = start(config().batch(
        BatcherConfig.builder().maxItems(1000).maxDelay(Duration.ofMillis(200)).build()).build());
    IngestSink sink = pipeline.sink();
    sink.admit(Signal.TRACES, traceRequest(1, "good"), SPANS_PER_REQUEST);
    byte[] poison = traceRequest(2, FaultInjectingEngine.POISON);
    sink.admit(Signal.TRACES, poison, SPANS_PER_REQUEST);
    sink.admit(Signal.TRACES, traceRequest(3, "good"), SPANS_PER_REQUEST);

    assertThat(pipeline.shutdown()).isTrue();

    assertThat(storedSpanIds()).isEqualTo(expectedSpanIds(List.of(1L, 3L)));
    CollectorMetrics metrics = pipeline.metrics();
    assertThat(metrics.value(CollectorMetrics.DROPPED,
        Map.of("signal", "traces", "reason", "permanent_store_error"))).isEqualTo(SPANS_PER_REQUEST);
    assertThat(metrics.value(CollectorMetrics.STORE_ERRORS,
        Map.of("signal", "traces", "kind", "permanent"))).isGreaterThanOrEqualTo(2);
    Path deadLetters = dir.resolve("queue/deadletter/traces.dlq");
    try (FileChannel channel = FileChannel.open(deadLetters, StandardOpenOption.READ)) {
      WalFormat.Scan scan = WalFormat.read(channel, WalFormat.FILE_HEADER_BYTES, channel.size(), 0);
      assertThat(scan.kind()).isEqualTo(WalFormat.Scan.Kind.RECORD);
      assertThat(ExportTraceServiceRequest.parseFrom(scan.payload()))
          .isEqualTo(ExportTraceServiceRequest.parseFrom(poison));
      assertThat(WalFormat.read(channel, scan.next(), channel.size(), scan.seq()).kind())
          .isEqualTo(WalFormat.Scan.Kind.END);
    }
    assertThat(Files.readString(dir.resolve("queue/deadletter/traces.dlq.txt")))
        .contains("items=10").contains("injected: the engine refuses this data");
  }

  @Test
  void undecodableQueuedRequest_deadLetteredAndTheRestWritten() throws Exception {
    Pipeline pipeline = start(config().build());
    pipeline.sink().admit(Signal.TRACES, new byte[] {(byte) 0xff, (byte) 0xff, 0x01}, 1);
    pipeline.sink().admit(Signal.TRACES, traceRequest(5, "op"), SPANS_PER_REQUEST);

    assertThat(pipeline.shutdown()).isTrue();

    assertThat(storedSpanIds()).isEqualTo(expectedSpanIds(List.of(5L)));
    assertThat(pipeline.metrics().value(CollectorMetrics.DROPPED,
        Map.of("signal", "traces", "reason", "undecodable"))).isEqualTo(1);
    assertThat(Files.readString(dir.resolve("queue/deadletter/traces.dlq.txt"))).contains("undecodable");
  }

  @Test
  void restart_withUndrainedQueue_writesWhatTheFirstRunCouldNot() throws Exception {
    engine.failInserts(true);
    Pipeline first = start(config().drainTimeout(Duration.ZERO).build());
    List<Long> acknowledged = new ArrayList<>();
    for (long r = 0; r < 12; r++) {
      assertThat(first.sink().admit(Signal.TRACES, traceRequest(r, "op"), SPANS_PER_REQUEST).outcome())
          .isEqualTo(Admission.Outcome.ACCEPTED);
      acknowledged.add(r);
    }
    assertThat(first.shutdown()).isFalse(); // store still down: data stays queued
    assertThat(count("otel_traces")).isZero();

    engine.failInserts(false);
    Pipeline second = start(config().build());
    assertThat(second.queue(Signal.TRACES).pendingRecords()).isEqualTo(12);
    assertThat(second.shutdown()).isTrue();

    assertThat(storedSpanIds()).isEqualTo(expectedSpanIds(acknowledged));
  }

  @Test
  void selfTelemetry_storedAsMetricsOfTheCollectorService() throws Exception {
    Pipeline pipeline = start(config().build());
    pipeline.sink().admit(Signal.LOGS, OtlpRequests.logs(1, 3).toByteArray(), 3);
    SelfTelemetryReporter reporter = new SelfTelemetryReporter(pipeline.metrics(), pipeline.sink(),
        Duration.ofMinutes(1), Map.of("host.name", "test"));
    assertThat(reporter.report().outcome()).isEqualTo(Admission.Outcome.ACCEPTED);

    assertThat(pipeline.shutdown()).isTrue();

    QueryResult accepted = store.query(
        "SELECT Value FROM {db:Identifier}.otel_metrics_sum WHERE ServiceName = {s:String}"
            + " AND MetricName = {m:String} AND Attributes['signal'] = 'logs'",
        Map.of("db", database, "s", CollectorMetrics.SERVICE_NAME, "m", CollectorMetrics.ACCEPTED));
    assertThat(accepted.rows()).singleElement().satisfies(row -> assertThat(row.get(0)).isEqualTo(3.0));
    QueryResult gauges = store.query(
        "SELECT count() FROM {db:Identifier}.otel_metrics_gauge WHERE ServiceName = {s:String}"
            + " AND MetricName = {m:String}",
        Map.of("db", database, "s", CollectorMetrics.SERVICE_NAME, "m", CollectorMetrics.QUEUE_BYTES));
    assertThat(((Number) gauges.rows().get(0).get(0)).longValue()).isEqualTo(3); // one per signal
  }

  /** Returns at once for the first {@code free} waits, then holds the batcher until {@link #open()}. */
  private static final class GatedSleeper implements Sleeper {
    private final int free;
    private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch gate = new CountDownLatch(1);

    GatedSleeper(int free) {
      this.free = free;
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
      sleeps.add(duration);
      if (sleeps.size() > free) {
        gate.await();
      }
    }

    void open() {
      gate.countDown();
    }

    List<Duration> sleeps() {
      return List.copyOf(sleeps);
    }
  }
}
