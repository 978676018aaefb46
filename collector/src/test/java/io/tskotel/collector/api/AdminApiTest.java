package io.tskotel.collector.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.collector.query.QueryFixture;
import io.tskotel.proto.v1.QueryServiceGrpc;
import io.tskotel.proto.v1.RevenueTodayRequest;
import io.tskotel.tsk.Tsk;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The component {@code tskotel run} starts: everything configured from TSK. */
class AdminApiTest {
  static final String TSK =
      """
      [admin]
      port: 0
      grpc_port: 0

      [metrics]
      response_time: @metric("histogram", "response_time_seconds")

      [dashboard]
      metrics_endpoint: "/prom"
      status_endpoint: "/state"
      generate_dashboard_data_fujsen = '''def generate_dashboard_data(): pass'''

      [health_checks]
      health_endpoint: "/healthz"
      ready_endpoint: "/readyz"
      live_endpoint: "/livez"

      [reports]
      echo_fujsen = '''SELECT {s:String} AS s'''

      [query]
      time_zone: "Europe/Berlin"
      """;

  private static ClickHouseStore store;
  private static Tsk tsk;
  private static AdminApi api;

  @BeforeAll
  static void setUp() throws Exception {
    store = QueryFixture.newStore(AdminApiTest.class);
    QueryFixture.writeAll(store);
    tsk = Tsk.parse(TSK);
    api =
        AdminApi.builder(tsk, store)
            .clock(QueryFixture.CLOCK)
            .statusSource("pipeline", () -> Map.of("queue_depth", 7))
            .routes(r -> r.get("/dashboard", ctx -> ctx.html("<h1>dashboard</h1>")))
            .build();
    api.start();
    api.start();
  }

  @AfterAll
  static void tearDown() {
    api.shutdown();
    api.shutdown();
    QueryFixture.dispose(store);
  }

  @Test
  void http_pathsFromTsk() throws Exception {
    String base = "http://127.0.0.1:" + api.admin().port();
    assertThat(AdminServerTest.get(base, "/healthz", null).status()).isEqualTo(200);
    assertThat(AdminServerTest.get(base, "/readyz", null).status()).isEqualTo(200);
    assertThat(AdminServerTest.get(base, "/livez", null).status()).isEqualTo(200);
    assertThat(AdminServerTest.get(base, "/health", null).status()).isEqualTo(404);
    assertThat(AdminServerTest.get(base, "/livez", null).body())
        .contains("\"timestamp\":" + QueryFixture.NOW.getEpochSecond() + ".000000");
    assertThat(AdminServerTest.get(base, "/state", null).json().path("pipeline").path("queue_depth").asInt())
        .isEqualTo(7);
    assertThat(AdminServerTest.get(base, "/prom", null).body()).contains("requests_total 80.0");
    assertThat(AdminServerTest.get(base, "/dashboard", null).body()).isEqualTo("<h1>dashboard</h1>");
    assertThat(AdminServerTest.get(base, "/api/v1/metrics/response_time", null).json().path("values").get(0).asDouble())
        .isEqualTo(1.25);
    assertThat(api.admin().config().host()).isEqualTo("127.0.0.1");
  }

  @Test
  void grpc_onItsOwnPort() throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", api.grpcPort()).usePlaintext().build();
    try {
      double revenue =
          QueryServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .revenueToday(RevenueTodayRequest.getDefaultInstance())
              .getValue();
      assertThat(revenue).isEqualTo(150.0);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertThat(api.grpcPort()).isNotEqualTo(api.admin().port());
  }

  @Test
  void fujsen_registeredInTheTsk() throws Exception {
    assertThat(tsk.executeFujsen("dashboard", "generate_dashboard_data")).isEqualTo(api.functions().dashboardData());
    assertThat(((io.tskotel.exporter.QueryResult) tsk.executeFujsen("reports", "echo", Map.of("s", "hi"))).rows())
        .containsExactly(List.of("hi"));
  }

  @Test
  void config_tokenFromTsk() {
    AdminServerConfig c =
        AdminServerConfig.fromTsk(
            Tsk.parser()
                .environment(Map.of("TSKOTEL_ADMIN_TOKEN", "from-env"))
                .build()
                .parse("[admin]\ntoken: @env(\"TSKOTEL_ADMIN_TOKEN\", \"\")\n"));
    assertThat(c.bearerToken()).isEqualTo("from-env");
    assertThat(AdminServerConfig.fromTsk(Tsk.parse("[admin]\ntoken: @env(\"TSKOTEL_ADMIN_TOKEN_UNSET_X\", \"\")\n")).bearerToken())
        .isNull();
  }
}
