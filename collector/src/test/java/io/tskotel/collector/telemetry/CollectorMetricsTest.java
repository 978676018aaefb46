package io.tskotel.collector.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.tskotel.collector.pipeline.Signal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CollectorMetricsTest {
  private final CollectorMetrics metrics = new CollectorMetrics();

  @Test
  void collect_countersGaugesAndHistograms() {
    metrics.accepted(Signal.TRACES, 5);
    metrics.accepted(Signal.TRACES, 3);
    metrics.queueGauges(Signal.TRACES, () -> 4096, () -> 2);
    metrics.batch(Signal.TRACES, 8, 20_000_000); // 8 items in 20 ms

    Collection<MetricData> read = metrics.collect();

    MetricData accepted = metric(read, "tskotel_accepted_items_total");
    assertThat(accepted.getDoubleSumData().isMonotonic()).isTrue();
    assertThat(accepted.getDoubleSumData().getPoints()).singleElement().satisfies(p -> {
      assertThat(CollectorMetrics.labels(p.getAttributes())).isEqualTo(Map.of("signal", "traces"));
      assertThat(p.getValue()).isEqualTo(8);
    });
    assertThat(metric(read, "tskotel_queue_bytes").getDoubleGaugeData().getPoints())
        .singleElement().satisfies(p -> assertThat(p.getValue()).isEqualTo(4096));
    HistogramPointData latency =
        metric(read, "tskotel_batch_write_seconds").getHistogramData().getPoints().iterator().next();
    assertThat(latency.getBoundaries()).contains(0.01, 0.025);
    int le10ms = latency.getBoundaries().indexOf(0.01);
    assertThat(latency.getCounts().subList(0, le10ms + 1).stream().mapToLong(Long::longValue).sum()).isZero();
    assertThat(latency.getCounts().subList(0, le10ms + 2).stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
    assertThat(metric(read, "tskotel_batch_items").getHistogramData().getPoints())
        .singleElement().satisfies(p -> assertThat(p.getSum()).isEqualTo(8));
    assertThat(metrics.value(CollectorMetrics.ACCEPTED, Map.of("signal", "traces"))).isEqualTo(8);
  }

  @Test
  void toResourceMetrics_otlpWithCollectorServiceNameAndCumulativeSums() {
    CollectorMetrics metrics = new CollectorMetrics(Clock.fixed(Instant.ofEpochSecond(0, 1_000), ZoneOffset.UTC));
    metrics.written(Signal.LOGS, 42);
    metrics.batch(Signal.LOGS, 42, 1_000_000);
    metrics.queueGauges(Signal.LOGS, () -> 7, () -> 1);

    ResourceMetrics rm = OtlpMetrics.toResourceMetrics(metrics.collect(), Map.of("host.name", "h1"));

    assertThat(rm.getResource().getAttributesList())
        .anySatisfy(kv -> {
          assertThat(kv.getKey()).isEqualTo("service.name");
          assertThat(kv.getValue().getStringValue()).isEqualTo("tskotel-collector");
        })
        .anySatisfy(kv -> assertThat(kv.getKey()).isEqualTo("host.name"));
    assertThat(rm.getScopeMetrics(0).getScope().getName()).isEqualTo("io.tskotel.collector");
    List<Metric> list = rm.getScopeMetrics(0).getMetricsList();
    Metric written = list.stream().filter(m -> m.getName().equals(CollectorMetrics.WRITTEN)).findFirst().orElseThrow();
    assertThat(written.getSum().getIsMonotonic()).isTrue();
    assertThat(written.getSum().getDataPoints(0).getAsDouble()).isEqualTo(42);
    assertThat(written.getSum().getDataPoints(0).getStartTimeUnixNano()).isEqualTo(1_000);
    Metric batch = list.stream().filter(m -> m.getName().equals(CollectorMetrics.BATCH_ITEMS)).findFirst().orElseThrow();
    assertThat(batch.getHistogram().getDataPoints(0).getCount()).isEqualTo(1);
    assertThat(batch.getHistogram().getDataPoints(0).getBucketCountsList().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(1);
    Metric queueBytes = list.stream().filter(m -> m.getName().equals(CollectorMetrics.QUEUE_BYTES)).findFirst().orElseThrow();
    assertThat(queueBytes.getGauge().getDataPoints(0).getAsDouble()).isEqualTo(7);
    // Families never recorded are left out rather than sent empty.
    assertThat(list).noneMatch(m -> m.getName().equals(CollectorMetrics.DROPPED));
  }

  @Test
  void gauge_throwingSupplier_leftOutAndTheRestStays() {
    metrics.queueGauges(Signal.LOGS, () -> {
      throw new IllegalStateException("closed");
    }, () -> 3);
    metrics.accepted(Signal.LOGS, 1);

    assertThat(metrics.collect()).noneMatch(m -> m.getName().equals(CollectorMetrics.QUEUE_BYTES));
    assertThat(metrics.value(CollectorMetrics.QUEUE_RECORDS, Map.of("signal", "logs"))).isEqualTo(3);
    assertThat(metrics.value(CollectorMetrics.ACCEPTED, Map.of("signal", "logs"))).isEqualTo(1);
  }

  @Test
  void refused_sameReasonTwice_oneSeries() {
    metrics.refused(Signal.TRACES, "queue_full", 2);
    metrics.refused(Signal.TRACES, "queue_full", 3);
    metrics.refused(Signal.TRACES, "io_error", 1);

    assertThat(metric(metrics.collect(), CollectorMetrics.REFUSED).getDoubleSumData().getPoints())
        .extracting(DoublePointData::getValue).containsExactlyInAnyOrder(5.0, 1.0);
    assertThat(metrics.total(CollectorMetrics.REFUSED, Map.of("signal", "traces"))).isEqualTo(6);
  }

  private static MetricData metric(Collection<MetricData> read, String name) {
    return read.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
  }
}
