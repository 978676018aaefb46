package io.tskotel.collector.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.tskotel.collector.Collector;
import io.tskotel.collector.api.AdminApiComponent;
import io.tskotel.collector.testing.OtlpRequests;
import io.tskotel.collector.testing.TestCollectors;
import io.tskotel.exporter.AlertRecord;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.internal.remote.RemoteEngine;
import io.tskotel.exporter.testing.TestStores;
import io.tskotel.tsk.Tsk;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collector B's remote store (client-v2: RowBinary inserts, LZ4 both ways, bound parameters, read-only
 * queries with limits) pointed at collector A's ClickHouse HTTP endpoint: B migrates A's empty database
 * through it, OTLP sent to B lands in A's embedded engine, and B's own query API answers from it.
 */
class RemoteStoreThroughEndpointTest {
  static final String PASSWORD_ENV = "TSKOTEL_TEST_CH_WRITER_PASSWORD";

  @TempDir Path dir;
  private ClickHouseStore storeA;
  private Collector a;
  private ClickHouseHttpComponent endpoint;
  private Collector b;
  private AdminApiComponent queryApiB;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    // A's database exists but holds no table: B's migrations create them through the endpoint.
    storeA = TestStores.newStore(RemoteStoreThroughEndpointTest.class, s -> s.migrateOnStart(false));
    ClickHouseHttpConfig config = ClickHouseHttpConfig.builder().enabled(true).port(0)
        .readonlyUser("grafana").readonlyPassword("ro-pass")
        .writerUser("collector_b").writerPassword("b-writes").build();
    a = Collector.builder(TestCollectors.settings(dir.resolve("a"), p -> {}))
        .store(storeA)
        .component(c -> endpoint = (ClickHouseHttpComponent) ClickHouseHttpComponent.factory(config).create(c))
        .start();

    StoreConfig remote = StoreConfig.builder()
        .engine(StoreConfig.EngineKind.REMOTE)
        .endpoints(List.of(URI.create("http://127.0.0.1:" + endpoint.port())))
        .user("collector_b")
        .passwordEnv(PASSWORD_ENV)
        .database(storeA.config().database())
        .compression(true)
        .build();
    ClickHouseStore storeB = ClickHouseStore.create(remote,
        RemoteEngine.open(remote, Map.of(PASSWORD_ENV, "b-writes")::get));
    b = Collector.builder(TestCollectors.settings(dir.resolve("b"), p -> {}))
        .store(storeB)
        .component(c -> queryApiB = (AdminApiComponent) AdminApiComponent.factory(Tsk.parse("""
            [admin]
            host: "127.0.0.1"
            port: 0
            grpc_port: 0
            """)).create(c))
        .start();
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", b.grpcPort(), InsecureChannelCredentials.create()).build();
  }

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (b != null) {
      b.shutdown();
    }
    if (a != null) {
      a.shutdown();
    }
  }

  private long countInA(String table) throws Exception {
    QueryResult r = storeA.query("SELECT count() FROM " + storeA.config().database() + "." + table, Map.of());
    return ((Number) r.rows().get(0).get(0)).longValue();
  }

  private static void await(String what, Supplier<Boolean> done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!done.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private boolean countIs(String table, long expected) {
    try {
      return countInA(table) == expected;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void otlpToB_landsInA_allSignalsAndAlerts_andBReadsItBack() throws Exception {
    // Migrations ran on B's start, through A's endpoint.
    QueryResult tables = storeA.query("SELECT name FROM system.tables WHERE database = {db:String} ORDER BY name",
        Map.of("db", storeA.config().database()));
    assertThat(tables.rows()).extracting(r -> r.get(0))
        .contains("otel_traces", "otel_logs", "otel_metrics_gauge", "tskotel_alerts");

    TraceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .export(OtlpRequests.traces(1, 5, "GET /b"));
    LogsServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .export(OtlpRequests.logs(2, 4));
    MetricsServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
        .export(OtlpRequests.gauges(3, 6));
    b.store().writeAlerts(List.of(new AlertRecord(Instant.now(), "threshold", "warning", "from B", 2.0, 1.0,
        Map.of("service", "pipeline-test"))));

    await("5 spans in A", () -> countIs("otel_traces", 5));
    await("4 logs in A", () -> countIs("otel_logs", 4));
    await("6 gauge points in A", () -> countIs("otel_metrics_gauge", 6));
    assertThat(countInA("tskotel_alerts")).isEqualTo(1);
    assertThat(storeA.query("SELECT SpanName, ServiceName FROM " + storeA.config().database()
        + ".otel_traces LIMIT 1", Map.of()).rows().get(0)).containsExactly("GET /b", "pipeline-test");

    // B's reads go through the endpoint too: its store, its query API and its dashboard.
    assertThat(((Number) b.store().query("SELECT count() FROM otel_logs", Map.of()).rows().get(0).get(0)).longValue())
        .isEqualTo(4);
    String base = "http://127.0.0.1:" + queryApiB.api().admin().port();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> dashboard = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/dashboard"))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(dashboard.statusCode()).as(dashboard.body()).isEqualTo(200);
    JsonNode d = new ObjectMapper().readTree(dashboard.body());
    assertThat(d.path("alerts").size()).isEqualTo(1);
    assertThat(b.store().health().healthy()).isTrue();
  }
}
