package io.tskotel.collector.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.tskotel.collector.Collector;
import io.tskotel.collector.testing.TestCollectors;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.collector.query.QueryFixture;
import io.tskotel.tsk.Tsk;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path: the fixture sent by a real OTLP gRPC client to the running collector, through its durable
 * queue and batcher into chDB, then read back through the admin API the collector started as a component,
 * with the exact expected values.
 */
class CollectorQueryEndToEndTest {
  static final String TSK =
      """
      [admin]
      host: "127.0.0.1"
      port: 0
      grpc_port: 0

      [metrics]
      response_time: @metric("histogram", "response_time_seconds")

      [business_metrics]
      user_registrations: @metric("counter", "user_registrations_total")

      [query]
      time_zone: "Europe/Berlin"
      """;

  @TempDir Path dir;
  private ClickHouseStore store;
  private Collector collector;
  private ManagedChannel channel;
  private AdminApi api;

  @BeforeEach
  void start() throws Exception {
    store = QueryFixture.newStore(CollectorQueryEndToEndTest.class);
    collector =
        Collector.builder(TestCollectors.settings(dir, p -> {}))
            .store(store)
            .component(
                c -> {
                  AdminApiComponent component =
                      (AdminApiComponent) AdminApiComponent.factory(Tsk.parse(TSK), QueryFixture.CLOCK).create(c);
                  api = component.api();
                  return component;
                })
            .start();
    channel =
        Grpc.newChannelBuilderForAddress("127.0.0.1", collector.grpcPort(), InsecureChannelCredentials.create())
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    collector.shutdown();
    QueryFixture.dispose(store);
  }

  @Test
  void fixtureThroughOtlp_exactAnswersThroughTheApi() throws Exception {
    TraceServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .export(ExportTraceServiceRequest.newBuilder().addAllResourceSpans(QueryFixture.spans()).build());
    MetricsServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .export(ExportMetricsServiceRequest.newBuilder().addAllResourceMetrics(QueryFixture.metrics()).build());
    QueryFixture.writeAlerts(store);

    int port = adminPort();
    String base = "http://127.0.0.1:" + port;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonNode status;
    do {
      Thread.sleep(50);
      status = AdminServerTest.get(base, "/status", null).json();
    } while ((status.path("pipeline").path("signals").path("traces").path("written_items").asLong() < 10
            || status.path("pipeline").path("signals").path("metrics").path("written_items").asLong() < 39)
        && System.nanoTime() < deadline);
    assertThat(status.path("pipeline").path("signals").path("traces").path("accepted_items").asLong()).isEqualTo(10);
    assertThat(status.path("pipeline").path("signals").path("metrics").path("written_items").asLong()).isEqualTo(39);
    assertThat(status.path("pipeline").path("signals").path("traces").has("queue_bytes")).isTrue();
    // The embedded engine's memory against its limit: the store's own setting, and a reading the engine made.
    JsonNode engine = status.path("engine");
    assertThat(engine.path("memory_limit_bytes").asLong())
        .isEqualTo(store.config().engineMemory().serverMemoryLimit());
    assertThat(engine.path("memory_bytes").asLong()).isPositive();
    assertThat(engine.has("merges")).isTrue();
    assertThat(engine.has("merges_memory_bytes")).isTrue();
    // The same reading on /metrics, for alerting on the engine's share of the budget.
    String metrics = AdminServerTest.get(base, "/metrics", null).body();
    assertThat(metrics).containsPattern("(?m)^tskotel_engine_memory_bytes [1-9][0-9.E]*$")
        .contains("tskotel_engine_memory_limit_bytes");

    JsonNode d = AdminServerTest.get(base, "/api/v1/dashboard", null).json();
    assertThat(d.path("system").path("cpu_usage").asDouble()).isCloseTo(220.0 / 6, within(1e-9));
    assertThat(d.path("application").path("request_rate").asDouble()).isCloseTo(8.0 / 60, within(1e-9));
    assertThat(d.path("application").path("error_rate").asDouble()).isEqualTo(37.5);
    // response_time_seconds (1.25 s on average), in the dashboard's unit for latency: ms.
    assertThat(d.path("application").path("response_time").asDouble()).isCloseTo(1250.0, within(1e-9));
    assertThat(d.path("application").path("response_time_source").asText()).isEqualTo("metric:response_time_seconds");
    assertThat(d.path("business").path("revenue_today").asDouble()).isEqualTo(150.0);
    assertThat(d.path("business").path("user_registrations").asDouble()).isEqualTo(12.0);
    assertThat(d.path("business").path("payment_success_rate").asDouble()).isCloseTo(80.0, within(1e-9));
    assertThat(d.path("alerts").size()).isEqualTo(2);
    assertThat(
            AdminServerTest.get(base, "/api/v1/metrics/db_latency?range=1h&agg=p99", null)
                .json().path("values").get(0).asDouble())
        .isCloseTo(10 + 10 * 0.93, within(1e-9));
    assertThat(AdminServerTest.get(base, "/api/v1/metrics/requests_total?range=5m&agg=sum", null)
            .json().path("values").get(0).asDouble())
        .isEqualTo(190.0);
  }

  private int adminPort() {
    return api.admin().port();
  }
}
