package io.tskotel.exporter.functions.prometheus;

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
  void builder_nonPositiveExpiration_rejected() {
    assertThatThrownBy(() -> PrometheusExporter.builder().expiration(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expiration: PT0S (expected: > 0)");
  }
}
