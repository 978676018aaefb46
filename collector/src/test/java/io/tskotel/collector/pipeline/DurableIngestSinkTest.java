package io.tskotel.collector.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.tskotel.collector.queue.DurableQueue;
import io.tskotel.collector.queue.QueueConfig;
import io.tskotel.collector.queue.QueueListener;
import io.tskotel.collector.telemetry.CollectorMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableIngestSinkTest {
  @TempDir Path dir;

  private final Map<Signal, DurableQueue> queues = new EnumMap<>(Signal.class);
  private final CollectorMetrics metrics = new CollectorMetrics();
  private DurableIngestSink sink;

  @BeforeEach
  void setUp() throws Exception {
    for (Signal signal : Signal.values()) {
      queues.put(signal, DurableQueue.open(
          QueueConfig.builder(dir.resolve(signal.name())).maxBytes(8192).segmentBytes(4096).build(),
          QueueListener.NOOP));
    }
    sink = new DurableIngestSink(queues, metrics, Duration.ofSeconds(3));
  }

  @AfterEach
  void tearDown() {
    queues.values().forEach(DurableQueue::close);
  }

  @Test
  void admit_appendsToTheSignalsQueueAndCountsItems() throws Exception {
    Admission admission = sink.admit(Signal.LOGS, new byte[] {1, 2, 3}, 7);

    assertThat(admission.outcome()).isEqualTo(Admission.Outcome.ACCEPTED);
    assertThat(queues.get(Signal.LOGS).poll(10, Long.MAX_VALUE, Duration.ZERO))
        .singleElement().satisfies(r -> assertThat(r.payload()).containsExactly(1, 2, 3));
    assertThat(queues.get(Signal.TRACES).pendingRecords()).isZero();
    assertThat(metrics.value(CollectorMetrics.ACCEPTED, Map.of("signal", "logs"))).isEqualTo(7);
  }

  @Test
  void admit_queueFull_retryLaterWithRetryAfterAndCounted() {
    int accepted = 0;
    Admission last;
    while ((last = sink.admit(Signal.TRACES, new byte[1000], 2)).outcome() == Admission.Outcome.ACCEPTED) {
      accepted++;
    }
    assertThat(accepted).isEqualTo(8);
    assertThat(last.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(last.message()).contains("queue full");
    assertThat(metrics.value(CollectorMetrics.REFUSED, Map.of("signal", "traces", "reason", "queue_full")))
        .isEqualTo(2);
    assertThat(metrics.value(CollectorMetrics.ACCEPTED, Map.of("signal", "traces"))).isEqualTo(16);
    // The other signals have their own bound.
    assertThat(sink.admit(Signal.METRICS, new byte[1000], 1).outcome()).isEqualTo(Admission.Outcome.ACCEPTED);
  }

  @Test
  void admit_afterClose_refusesRetryablyAndQueuesNothing() {
    sink.close();
    sink.close();
    Admission admission = sink.admit(Signal.METRICS, new byte[] {1}, 1);
    assertThat(admission.outcome()).isEqualTo(Admission.Outcome.RETRY_LATER);
    assertThat(queues.get(Signal.METRICS).pendingRecords()).isZero();
    assertThat(metrics.total(CollectorMetrics.REFUSED, Map.of("reason", "shutting_down"))).isEqualTo(1);
  }

  @Test
  void admit_queueClosedUnderneath_refusesInsteadOfThrowing() {
    queues.get(Signal.LOGS).close();
    assertThat(sink.admit(Signal.LOGS, new byte[] {1}, 1).outcome()).isEqualTo(Admission.Outcome.RETRY_LATER);
    assertThat(metrics.collect()).filteredOn(m -> m.getName().equals(CollectorMetrics.REFUSED))
        .flatExtracting(m -> m.getData().getPoints()).anySatisfy(p -> {
          assertThat(CollectorMetrics.labels(p.getAttributes())).containsEntry("reason", "shutting_down");
          assertThat(((DoublePointData) p).getValue()).isEqualTo(1);
        });
    assertThat(List.of(Signal.values())).hasSize(3);
  }
}
