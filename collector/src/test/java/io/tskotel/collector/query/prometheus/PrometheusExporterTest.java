package io.tskotel.collector.query.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusExporterTest {

  @Test
  void scrape_withoutStore_selfMetricsOnly() throws Exception {
    PrometheusExporter exporter =
        PrometheusExporter.builder()
            .addSelfMetrics(
                () -> List.of(new SelfMetric("up_seconds", "Uptime.", SelfMetric.Type.GAUGE, Map.of(), 12.5)))
            .build();
    assertThat(exporter.scrape())
        .isEqualTo("# HELP up_seconds Uptime.\n# TYPE up_seconds gauge\nup_seconds 12.5\n");
  }

  @Test
  void scrape_brokenSource_othersStillServed() throws Exception {
    PrometheusExporter exporter =
        PrometheusExporter.builder()
            .addSelfMetrics(
                () -> {
                  throw new IllegalStateException("registry closed");
                })
            .addSelfMetrics(
                () -> List.of(new SelfMetric("a", "A.", SelfMetric.Type.COUNTER, Map.of(), 1)))
            .build();
    assertThat(exporter.scrape()).isEqualTo("# HELP a_total A.\n# TYPE a_total counter\na_total 1\n");
  }

  @Test
  void scrape_selfHistogram_bucketsSumCount() throws Exception {
    SelfMetricSource source =
        () -> List.of(
            new SelfHistogram("tskotel_batch_write_seconds", "Batch writes.", Map.of("signal", "traces"),
                List.of(0.01, 0.1), List.of(3L, 7L), 0.42, 8));
    String text = PrometheusExporter.builder().addSelfMetrics(source).build().scrape();
    assertThat(text)
        .isEqualTo(
            """
            # HELP tskotel_batch_write_seconds Batch writes.
            # TYPE tskotel_batch_write_seconds histogram
            tskotel_batch_write_seconds_bucket{signal="traces",le="0.01"} 3
            tskotel_batch_write_seconds_bucket{signal="traces",le="0.1"} 7
            tskotel_batch_write_seconds_bucket{signal="traces",le="+Inf"} 8
            tskotel_batch_write_seconds_sum{signal="traces"} 0.42
            tskotel_batch_write_seconds_count{signal="traces"} 8
            """);
  }

  @Test
  void builder_nonPositiveExpiration_rejected() {
    assertThatThrownBy(() -> PrometheusExporter.builder().expiration(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expiration: PT0S (expected: > 0)");
  }
}
