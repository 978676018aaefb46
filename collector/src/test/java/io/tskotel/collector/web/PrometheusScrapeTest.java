package io.tskotel.collector.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tskotel.collector.api.AdminServer;
import io.tskotel.collector.api.AdminServerConfig;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.collector.query.QueryConfig;
import io.tskotel.collector.query.QueryFunctions;
import io.tskotel.collector.query.prometheus.PrometheusExporter;
import io.tskotel.collector.query.prometheus.SelfMetric;
import io.tskotel.exporter.testing.Prerequisites;
import io.tskotel.exporter.testing.TestStores;
import io.tskotel.exporter.testing.VizTelemetry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian package {@code prometheus}), with its own config and data directory on
 * loopback, scrapes the admin server's {@code /metrics} (the {@link PrometheusExporter} behind the query
 * functions' exposition seam) every second; its query API then returns the values written through the store.
 */
class PrometheusScrapeTest {
  static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir static Path dir;
  static ClickHouseStore store;
  static AdminServer server;
  static @Nullable Process prometheus;
  static int prometheusPort;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    Prerequisites.require(
        Files.isExecutable(PROMETHEUS),
        "prometheus is not installed: the scrape test starts one (apt-get install -y prometheus)");
    store = TestStores.newStore(PrometheusScrapeTest.class);
    new VizTelemetry(Instant.now().truncatedTo(ChronoUnit.SECONDS)).writeTo(store);
    String db = store.config().database();
    PrometheusExporter exporter =
        PrometheusExporter.builder()
            .store(store, db)
            .addSelfMetrics(
                () ->
                    List.of(
                        new SelfMetric("tskotel_receiver_accepted_spans", "Spans accepted.",
                            SelfMetric.Type.COUNTER, Map.of("transport", "grpc"), 7)))
            .build();
    QueryFunctions functions =
        QueryFunctions.builder(store)
            .config(QueryConfig.builder().database(db).build())
            .exposition(exporter::scrape)
            .build();
    server =
        AdminServer.builder(
                AdminServerConfig.builder().host("127.0.0.1").port(0).build(), store, functions)
            .build();
    server.start();

    prometheusPort = freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: tskotel
            honor_labels: true
            metrics_path: /metrics
            static_configs:
              - targets: ["127.0.0.1:%d"]
        """
            .formatted(server.port()));
    Path log = Path.of("target/prometheus-scrape-test.log");
    Files.createDirectories(log.getParent());
    prometheus =
        new ProcessBuilder(
                PROMETHEUS.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + prometheusPort,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (server != null) {
      server.shutdown();
    }
  }

  @Test
  void query_afterScrapes_returnsStoredValues() throws Exception {
    // The target is up once a scrape succeeded: the exposition parsed as a whole.
    assertThat(awaitValue("up{job=\"tskotel\"}")).isEqualTo(1.0);
    assertThat(awaitValue("cpu_usage_percent{job=\"shop/api\",instance=\"api-1\"}")).isEqualTo(42.5);
    assertThat(awaitValue("cpu_usage_percent{job=\"web\"}")).isEqualTo(33.0);
    assertThat(awaitValue("requests_total{http_route=\"/pay\"}")).isEqualTo(250.0);
    assertThat(awaitValue("errors_total")).isEqualTo(5.0);
    assertThat(awaitValue("queue_size")).isEqualTo(-2.0);
    assertThat(awaitValue("response_time_seconds_count")).isEqualTo(10.0);
    // Buckets 0.1: 2, 0.5: 5, 1: 9, +Inf: 10; the median's rank 5 ends the 0.5 bucket.
    assertThat(awaitValue("histogram_quantile(0.5, response_time_seconds_bucket)")).isEqualTo(0.5);
    assertThat(awaitValue("rpc_duration_seconds_sum")).isEqualTo(0.35);
    // The exponential histogram as classic buckets 0: 1, 2: 2, 4: 4: the median's rank 2 ends le="2".
    assertThat(awaitValue("histogram_quantile(0.5, payload_size_bytes_bucket)")).isEqualTo(2.0);
    assertThat(awaitValue("gc_pause_seconds{quantile=\"0.99\"}")).isEqualTo(0.0805);
    assertThat(awaitValue("tskotel_receiver_accepted_spans_total{transport=\"grpc\"}"))
        .isEqualTo(7.0);
    assertThat(awaitValue("scrape_samples_post_metric_relabeling{job=\"tskotel\"}"))
        .isGreaterThan(20.0);
  }

  /** Polls the query API until the instant vector has exactly one sample, and returns its value. */
  static double awaitValue(String query) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (prometheus != null && !prometheus.isAlive()) {
        throw new AssertionError("prometheus exited; see target/prometheus-scrape-test.log");
      }
      try {
        JsonNode body = query(query);
        last = body.toString();
        JsonNode result = body.path("data").path("result");
        if (body.path("status").asText().equals("success") && result.size() == 1) {
          return Double.parseDouble(result.get(0).path("value").get(1).asText());
        }
      } catch (IOException e) {
        last = e.toString(); // Not listening yet.
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no single sample for " + query + " in " + DEADLINE + "; last: " + last);
  }

  static JsonNode query(String promql) throws IOException, InterruptedException {
    URI uri =
        URI.create(
            "http://127.0.0.1:" + prometheusPort + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(r.body());
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
