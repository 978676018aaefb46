package io.tskotel.collector.query.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.testing.TestStores;
import io.tskotel.exporter.testing.VizTelemetry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Telemetry written through the store comes out of {@code /metrics} as exactly this text. */
class PrometheusExporterStoreTest {
  // Now, not a fixed date: the store's tables have a TTL, and rows older than it are dropped on insert.
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MINUTES);
  static ClickHouseStore store;

  @BeforeAll
  static void writeFixture() throws Exception {
    store = TestStores.newStore(PrometheusExporterStoreTest.class);
    new VizTelemetry(NOW).writeTo(store);
  }

  static PrometheusExporter exporter(Instant now, Duration expiration) {
    return PrometheusExporter.builder()
        .store(store, store.config().database())
        .clock(Clock.fixed(now, ZoneOffset.UTC))
        .expiration(expiration)
        .addSelfMetrics(
            () ->
                List.of(
                    new SelfMetric(
                        "tskotel_pipeline_batches_written",
                        "Batches written to the store.",
                        SelfMetric.Type.COUNTER,
                        Map.of("signal", "metrics"),
                        4)))
        .build();
  }

  static final String SCOPE = "otel_scope_name=\"io.tskotel.test\"";
  static final String API = "instance=\"api-1\",job=\"shop/api\"," + SCOPE;

  @Test
  void scrape_fixture_exactText() throws Exception {
    assertThat(exporter(NOW, Duration.ofMinutes(5)).scrape())
        .isEqualTo(
            """
            # HELP cpu_usage_percent CPU usage
            # TYPE cpu_usage_percent gauge
            cpu_usage_percent{API} 42.5
            cpu_usage_percent{job="web",SCOPE} 33
            # HELP daily_active_users Active users
            # TYPE daily_active_users gauge
            daily_active_users{API} 1500
            # HELP disk_usage_percent Disk usage
            # TYPE disk_usage_percent gauge
            disk_usage_percent{API} 70
            # HELP errors_total Failed requests.
            # TYPE errors_total counter
            errors_total{API} 5
            # HELP gc_pause_seconds GC pauses.
            # TYPE gc_pause_seconds summary
            gc_pause_seconds{API,quantile="0.5"} 0.012
            gc_pause_seconds{API,quantile="0.99"} 0.0805
            gc_pause_seconds_sum{API} 0.3
            gc_pause_seconds_count{API} 20
            # HELP memory_usage_percent Memory usage
            # TYPE memory_usage_percent gauge
            memory_usage_percent{API} 61.25
            # HELP payload_size_bytes Payload sizes.
            # TYPE payload_size_bytes histogram
            payload_size_bytes_bucket{API,le="0"} 1
            payload_size_bytes_bucket{API,le="2"} 2
            payload_size_bytes_bucket{API,le="4"} 4
            payload_size_bytes_bucket{API,le="+Inf"} 4
            payload_size_bytes_sum{API} 9
            payload_size_bytes_count{API} 4
            # HELP payment_success_rate_percent Payment success rate
            # TYPE payment_success_rate_percent gauge
            payment_success_rate_percent{API} 98.5
            # HELP payment_volume_total Payment volume.
            # TYPE payment_volume_total counter
            payment_volume_total{API} 1800
            # HELP queue_size Queue size.
            # TYPE queue_size gauge
            queue_size{API} -2
            # HELP requests_total Requests served.
            # TYPE requests_total counter
            requests_total{http_route="/login",API} 20
            requests_total{http_route="/pay",API} 250
            # HELP response_time_seconds Response time.
            # TYPE response_time_seconds histogram
            response_time_seconds_bucket{API,le="0.1"} 2
            response_time_seconds_bucket{API,le="0.5"} 5
            response_time_seconds_bucket{API,le="1"} 9
            response_time_seconds_bucket{API,le="+Inf"} 10
            response_time_seconds_sum{API} 5.75
            response_time_seconds_count{API} 10
            # HELP rpc_duration_seconds OpenTelemetry metric rpc.duration
            # TYPE rpc_duration_seconds histogram
            rpc_duration_seconds_bucket{API,le="0.01"} 1
            rpc_duration_seconds_bucket{API,le="0.1"} 4
            rpc_duration_seconds_bucket{API,le="+Inf"} 5
            rpc_duration_seconds_sum{API} 0.35
            rpc_duration_seconds_count{API} 5
            # HELP tskotel_pipeline_batches_written_total Batches written to the store.
            # TYPE tskotel_pipeline_batches_written_total counter
            tskotel_pipeline_batches_written_total{signal="metrics"} 4
            # HELP user_registrations_total Registrations.
            # TYPE user_registrations_total counter
            user_registrations_total{API} 17
            """
                .replace("API", API)
                .replace("SCOPE", SCOPE));
  }

  @Test
  void scrape_seriesOlderThanExpiration_leftOut() throws Exception {
    String text = exporter(NOW, Duration.ofHours(3)).scrape();
    assertThat(text).contains("stale_metric{" + API + "} 1\n");
    // Ten minutes later with the default five: only the collector's own metrics are left.
    String later = exporter(NOW.plus(Duration.ofMinutes(10)), Duration.ofMinutes(5)).scrape();
    assertThat(later)
        .isEqualTo(
            """
            # HELP tskotel_pipeline_batches_written_total Batches written to the store.
            # TYPE tskotel_pipeline_batches_written_total counter
            tskotel_pipeline_batches_written_total{signal="metrics"} 4
            """);
  }

  @Test
  void scrape_fixture_passesPromtool(@TempDir Path dir) throws Exception {
    PromtoolCheckTest.Result r =
        PromtoolCheckTest.promtool(dir, exporter(NOW, Duration.ofHours(3)).scrape());
    assertThat(r.output()).isEmpty();
    assertThat(r.exitCode()).isZero();
  }
}
