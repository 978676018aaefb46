package io.tskotel.collector.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.collector.alert.internal.AlertCounters;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.collector.query.prometheus.PrometheusExporter;
import io.tskotel.collector.telemetry.CollectorMetrics;
import io.tskotel.exporter.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline's own metrics on {@code /metrics}, checked by promtool. */
class CollectorMetricsSourceTest {

  static String scrape(CollectorMetrics metrics) throws Exception {
    return PrometheusExporter.builder()
        .addSelfMetrics(new CollectorMetricsSource(metrics))
        .build()
        .scrape();
  }

  @Test
  void scrape_countersGaugesHistograms() throws Exception {
    CollectorMetrics metrics = new CollectorMetrics();
    metrics.accepted(Signal.TRACES, 5);
    metrics.accepted(Signal.TRACES, 2);
    metrics.queueGauges(Signal.LOGS, () -> 4096, () -> 3);
    metrics.batch(Signal.METRICS, 50, 20_000_000L);
    metrics.batch(Signal.METRICS, 5_000, 300_000_000L);
    String text = scrape(metrics);
    assertThat(text)
        .contains(
            "# TYPE tskotel_accepted_items_total counter\n",
            "tskotel_accepted_items_total{signal=\"traces\"} 7\n",
            "# TYPE tskotel_queue_bytes gauge\n",
            "tskotel_queue_bytes{signal=\"logs\"} 4096\n",
            "# TYPE tskotel_batch_write_seconds histogram\n",
            "tskotel_batch_write_seconds_bucket{signal=\"metrics\",le=\"0.025\"} 1\n",
            "tskotel_batch_write_seconds_bucket{signal=\"metrics\",le=\"0.5\"} 2\n",
            "tskotel_batch_write_seconds_bucket{signal=\"metrics\",le=\"+Inf\"} 2\n",
            "tskotel_batch_write_seconds_count{signal=\"metrics\"} 2\n",
            "tskotel_batch_items_sum{signal=\"metrics\"} 5050\n");
  }

  /**
   * Every instrument the collector creates shows on {@code /metrics} once recorded: a new counter that
   * this test does not record fails it, so nothing is counted where nobody can see it.
   */
  @Test
  void scrape_everyInstrumentVisible() throws Exception {
    CollectorMetrics metrics = new CollectorMetrics();
    AlertCounters alerts = new AlertCounters(metrics);
    metrics.receiverCountsFromZero();
    metrics.accepted(Signal.TRACES, 1);
    metrics.refused(Signal.TRACES, "queue_full", 1);
    metrics.rejected(Signal.TRACES, 1);
    metrics.failedRequest(Signal.TRACES);
    metrics.unauthenticated();
    metrics.counterFunction(CollectorMetrics.STORE_EXPIRED_ON_ARRIVAL, Map.of("signal", "logs"), () -> 1);
    metrics.counterFunction(CollectorMetrics.STORE_REPAIRED, Map.of("kind", "bad_trace_id"), () -> 1);
    metrics.written(Signal.TRACES, 1);
    metrics.dropped(Signal.TRACES, "permanent_store_error", 1);
    metrics.storeError(Signal.TRACES, false);
    metrics.queueCorruption(Signal.TRACES, "truncated_tail");
    metrics.batcherFailure(Signal.TRACES);
    metrics.queueGauges(Signal.TRACES, () -> 1, () -> 1);
    metrics.batch(Signal.TRACES, 1, 1_000_000L);
    metrics.refusedRequest(Signal.TRACES, CollectorMetrics.REFUSED_MEMORY_LIMIT);
    metrics.gauge(CollectorMetrics.BYTES_IN_FLIGHT, Map.of(), () -> 1);
    metrics.gauge(CollectorMetrics.BYTES_IN_FLIGHT_LIMIT, Map.of(), () -> 2);
    metrics.gauge(CollectorMetrics.MEMORY_HEAP_USED, Map.of(), () -> 1);
    metrics.gauge(CollectorMetrics.MEMORY_HEAP_LIMIT, Map.of("limit", "soft"), () -> 2);
    metrics.gauge(CollectorMetrics.MEMORY_RESIDENT, Map.of(), () -> 1);
    metrics.gauge(CollectorMetrics.MEMORY_REFUSING, Map.of(), () -> 0);
    metrics.counterFunction(CollectorMetrics.MEMORY_FORCED_GCS, Map.of(), () -> 1);
    metrics.counterFunction(CollectorMetrics.ENGINE_CALLS_CPU, Map.of(), () -> 1);
    metrics.gauge(CollectorMetrics.ENGINE_MEMORY, Map.of(), () -> 1);
    metrics.gauge(CollectorMetrics.ENGINE_MEMORY_LIMIT, Map.of(), () -> 2);
    alerts.notification("webhook", "sent");
    alerts.evaluation("ok");
    alerts.states(() -> 1, () -> 0);

    String text = scrape(metrics);

    assertThat(metrics.instruments()).hasSizeGreaterThanOrEqualTo(28).allSatisfy(i ->
        assertThat(text).contains("# TYPE " + i.name() + " " + i.kind().name().toLowerCase(Locale.ROOT) + "\n"));
  }

  @Test
  void scrape_passesPromtool(@TempDir Path dir) throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    Prerequisites.require(
        Files.isExecutable(promtool), "promtool is not installed (apt-get install -y prometheus)");
    CollectorMetrics metrics = new CollectorMetrics();
    metrics.accepted(Signal.LOGS, 1);
    metrics.storeError(Signal.LOGS, true);
    metrics.batch(Signal.LOGS, 10, 1_000_000L);
    Path in = dir.resolve("m.txt");
    Files.writeString(in, scrape(metrics));
    Path out = dir.resolve("out.txt");
    Process p =
        new ProcessBuilder(promtool.toString(), "check", "metrics")
            .redirectInput(in.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(out)).isEmpty();
    assertThat(p.exitValue()).isZero();
  }
}
