package io.tskotel.collector.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.tskotel.collector.pipeline.Signal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CollectorMetricsTest {
  private final CollectorMetrics metrics = new CollectorMetrics();

  @Test
  void samples_countersGaugesAndHistogramsInPrometheusShape() {
    metrics.accepted(Signal.TRACES, 5);
    metrics.accepted(Signal.TRACES, 3);
    metrics.queueGauges(Signal.TRACES, () -> 4096, () -> 2);
    metrics.batch(Signal.TRACES, 8, 20_000_000); // 8 items in 20 ms

    List<MetricSample> samples = metrics.samples();

    assertThat(samples).filteredOn(s -> s.name().equals("tskotel_accepted_items_total"))
        .singleElement().satisfies(s -> {
          assertThat(s.type()).isEqualTo(MetricSample.Type.COUNTER);
          assertThat(s.labels()).isEqualTo(Map.of("signal", "traces"));
          assertThat(s.value()).isEqualTo(8);
        });
    assertThat(samples).filteredOn(s -> s.name().equals("tskotel_queue_bytes"))
        .singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(4096));
    List<MetricSample> buckets = samples.stream()
        .filter(s -> s.name().equals("tskotel_batch_write_seconds_bucket")).toList();
    assertThat(buckets).extracting(s -> s.labels().get("le")).contains("0.01", "0.025", "+Inf");
    assertThat(buckets).filteredOn(s -> s.labels().get("le").equals("0.01"))
        .singleElement().satisfies(s -> assertThat(s.value()).isZero());
    assertThat(buckets).filteredOn(s -> s.labels().get("le").equals("0.025"))
        .singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(1));
    assertThat(samples).filteredOn(s -> s.name().equals("tskotel_batch_items_sum"))
        .singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(8));
    assertThat(samples).filteredOn(s -> s.family().equals("tskotel_batch_items"))
        .allSatisfy(s -> assertThat(s.type()).isEqualTo(MetricSample.Type.HISTOGRAM));
  }

  @Test
  void toResourceMetrics_otlpWithCollectorServiceNameAndCumulativeSums() {
    metrics.written(Signal.LOGS, 42);
    metrics.batch(Signal.LOGS, 42, 1_000_000);
    metrics.queueGauges(Signal.LOGS, () -> 7, () -> 1);

    ResourceMetrics rm = metrics.toResourceMetrics(1_000, 2_000, Map.of("host.name", "h1"));

    assertThat(rm.getResource().getAttributesList())
        .anySatisfy(kv -> {
          assertThat(kv.getKey()).isEqualTo("service.name");
          assertThat(kv.getValue().getStringValue()).isEqualTo("tskotel-collector");
        })
        .anySatisfy(kv -> assertThat(kv.getKey()).isEqualTo("host.name"));
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
}
