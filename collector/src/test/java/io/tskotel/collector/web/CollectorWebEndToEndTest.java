package io.tskotel.collector.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.tskotel.collector.Collector;
import io.tskotel.collector.api.AdminApi;
import io.tskotel.collector.api.AdminApiComponent;
import io.tskotel.collector.testing.TestCollectors;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.testing.TestStores;
import io.tskotel.exporter.testing.VizTelemetry;
import io.tskotel.tsk.Tsk;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running collector, as {@code tskotel run} builds it: metrics sent by an OTLP gRPC client go through
 * the queue into the store, then come out of its admin port's {@code /metrics} (with the collector's own
 * metrics) and {@code /dashboard/charts}, next to the dashboard page.
 */
class CollectorWebEndToEndTest {
  static final String TSK =
      """
      [admin]
      host: "127.0.0.1"
      port: 0
      grpc_port: -1

      [dashboard]
      refresh: "10s"
      """;

  @TempDir Path dir;
  private ClickHouseStore store;
  private Collector collector;
  private ManagedChannel channel;
  private AdminApi api;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    store = TestStores.newStore(CollectorWebEndToEndTest.class);
    collector =
        Collector.builder(TestCollectors.settings(dir, p -> {}))
            .store(store)
            .component(
                c -> {
                  AdminApiComponent component =
                      (AdminApiComponent) AdminApiComponent.factory(Tsk.parse(TSK)).create(c);
                  api = component.api();
                  return component;
                })
            .start();
    channel =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", collector.grpcPort(), InsecureChannelCredentials.create())
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    collector.shutdown();
  }

  String get(String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.admin().port() + path))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return r.body();
  }

  @Test
  void otlpMetrics_servedOnMetricsAndDashboard() throws Exception {
    VizTelemetry telemetry = new VizTelemetry(Instant.now().truncatedTo(ChronoUnit.MINUTES));
    MetricsServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .export(
            ExportMetricsServiceRequest.newBuilder()
                .addAllResourceMetrics(telemetry.metrics())
                .build());

    String cpu =
        "cpu_usage_percent{instance=\"api-1\",job=\"shop/api\",otel_scope_name=\"io.tskotel.test\"} 42.5\n";
    // One request fills several tables (gauge, sum, histogram), written one after the other: wait for both kinds.
    String requests = "# TYPE requests_total counter\n";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String metrics = get("/metrics");
    while (!(metrics.contains(cpu) && metrics.contains(requests)) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      metrics = get("/metrics");
    }
    assertThat(metrics)
        .contains(cpu)
        .contains(requests)
        .contains("# TYPE tskotel_accepted_items_total counter\n")
        .containsPattern("tskotel_accepted_items_total\\{signal=\"metrics\"} [1-9]");

    assertThat(get("/dashboard")).contains("data-refresh-seconds=\"10\"", "data-charts=\"/dashboard/charts\"");
    JsonNode charts = new ObjectMapper().readTree(get("/dashboard/charts?range=1h"));
    assertThat(charts.path("series").path("cpu").toString()).contains("40.0", "50.0", "60.0", "37.75");
  }
}
