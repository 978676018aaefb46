package io.tskotel.collector.query.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusNamesTest {

  @Test
  void metricName_appendsUnitInWords() {
    assertThat(PrometheusNames.metricName("http.server.request.duration", "s", PromType.HISTOGRAM))
        .isEqualTo("http_server_request_duration_seconds");
    assertThat(PrometheusNames.metricName("system.memory.usage", "By", PromType.GAUGE))
        .isEqualTo("system_memory_usage_bytes");
    assertThat(PrometheusNames.metricName("db.latency", "ms", PromType.GAUGE))
        .isEqualTo("db_latency_milliseconds");
  }

  @Test
  void toBaseUnit_durationsAndByteMultiples_scaled() {
    assertThat(PrometheusNames.toBaseUnit("ms").apply(12)).isEqualTo(0.012);
    assertThat(PrometheusNames.toBaseUnit("ms").unit()).isEqualTo("s");
    assertThat(PrometheusNames.toBaseUnit("us").apply(1500)).isEqualTo(0.0015);
    assertThat(PrometheusNames.toBaseUnit("min").apply(2)).isEqualTo(120);
    assertThat(PrometheusNames.toBaseUnit("MiBy").apply(1)).isEqualTo(1048576);
    assertThat(PrometheusNames.toBaseUnit("%").apply(42.5)).isEqualTo(42.5);
    assertThat(PrometheusNames.toBaseUnit("%").unit()).isEqualTo("%");
  }

  @Test
  void metricName_unitAlreadyInName_notRepeated() {
    assertThat(PrometheusNames.metricName("response_time_seconds", "s", PromType.HISTOGRAM))
        .isEqualTo("response_time_seconds");
  }

  @Test
  void metricName_counter_endsWithTotalOnce() {
    assertThat(PrometheusNames.metricName("requests_total", "", PromType.COUNTER))
        .isEqualTo("requests_total");
    assertThat(PrometheusNames.metricName("requests", "{request}", PromType.COUNTER))
        .isEqualTo("requests_total");
    assertThat(PrometheusNames.metricName("payment.volume", "USD", PromType.COUNTER))
        .isEqualTo("payment_volume_USD_total");
    assertThat(PrometheusNames.metricName("io_total", "By", PromType.COUNTER))
        .isEqualTo("io_bytes_total");
  }

  @Test
  void metricName_gaugeOfRatio_getsRatio() {
    assertThat(PrometheusNames.metricName("system.cpu.utilization", "1", PromType.GAUGE))
        .isEqualTo("system_cpu_utilization_ratio");
    assertThat(PrometheusNames.metricName("hits", "1", PromType.COUNTER)).isEqualTo("hits_total");
  }

  @Test
  void unitSuffix_perUnit_andAnnotations() {
    assertThat(PrometheusNames.unitSuffix("m/s", PromType.GAUGE)).isEqualTo("meters_per_second");
    assertThat(PrometheusNames.unitSuffix("{request}/s", PromType.GAUGE)).isEqualTo("per_second");
    assertThat(PrometheusNames.unitSuffix("By/s", PromType.GAUGE)).isEqualTo("bytes_per_second");
    assertThat(PrometheusNames.unitSuffix("{packets}", PromType.GAUGE)).isEmpty();
    assertThat(PrometheusNames.unitSuffix("%", PromType.GAUGE)).isEqualTo("percent");
  }

  @Test
  void sanitizeMetricName_invalidCharacters_becomeOneUnderscore() {
    assertThat(PrometheusNames.sanitizeMetricName("a.b-c  d")).isEqualTo("a_b_c_d");
    assertThat(PrometheusNames.sanitizeMetricName("9lives")).isEqualTo("_9lives");
    assertThat(PrometheusNames.sanitizeMetricName("ns:name")).isEqualTo("ns:name");
    assertThat(PrometheusNames.sanitizeMetricName("ünïcode")).isEqualTo("_n_code");
    assertThat(PrometheusNames.sanitizeMetricName("")).isEqualTo("_");
  }

  @Test
  void sanitizeLabelName_reservedAndDigits() {
    assertThat(PrometheusNames.sanitizeLabelName("http.route")).isEqualTo("http_route");
    assertThat(PrometheusNames.sanitizeLabelName("0day")).isEqualTo("key_0day");
    assertThat(PrometheusNames.sanitizeLabelName("__name__")).isEqualTo("key__name__");
    assertThat(PrometheusNames.sanitizeLabelName("a:b")).isEqualTo("a_b");
    assertThat(PrometheusNames.sanitizeLabelName("")).isEmpty();
  }

  @Test
  void formatDouble_goParsableForms() {
    assertThat(TextFormat.formatDouble(42)).isEqualTo("42");
    assertThat(TextFormat.formatDouble(0.25)).isEqualTo("0.25");
    assertThat(TextFormat.formatDouble(1e-4)).isEqualTo("1.0E-4");
    assertThat(TextFormat.formatDouble(1e300)).isEqualTo("1.0E300");
    assertThat(TextFormat.formatDouble(Double.NaN)).isEqualTo("NaN");
    assertThat(TextFormat.formatDouble(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(TextFormat.formatDouble(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
  }
}
