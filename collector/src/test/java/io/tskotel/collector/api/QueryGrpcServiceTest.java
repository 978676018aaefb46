package io.tskotel.collector.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.collector.query.QueryFixture;
import io.tskotel.proto.v1.DashboardDataRequest;
import io.tskotel.proto.v1.GetMetricsRequest;
import io.tskotel.proto.v1.LatencyResponse;
import io.tskotel.proto.v1.QueryFujsenRequest;
import io.tskotel.proto.v1.QueryServiceGrpc;
import io.tskotel.proto.v1.RateRequest;
import io.tskotel.proto.v1.RecentAlertsRequest;
import io.tskotel.proto.v1.RecentAlertsResponse;
import io.tskotel.proto.v1.RevenueTodayRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** tskotel.v1.QueryService over a real gRPC channel on loopback. */
class QueryGrpcServiceTest {
  private static ClickHouseStore store;
  private static QueryGrpcServer server;
  private static ManagedChannel channel;
  private static QueryServiceGrpc.QueryServiceBlockingStub stub;

  @BeforeAll
  static void setUp() throws Exception {
    store = QueryFixture.newStore(QueryGrpcServiceTest.class);
    QueryFixture.writeAll(store);
    server = QueryGrpcServer.create("127.0.0.1", 0, ApiFixture.TOKEN, ApiFixture.functions(store), store);
    server.start();
    server.start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    Metadata auth = new Metadata();
    auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + ApiFixture.TOKEN);
    stub =
        QueryServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth))
            .withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void tearDown() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdown();
    server.shutdown();
    QueryFixture.dispose(store);
  }

  @Test
  void getMetrics_values() {
    var r =
        stub.getMetrics(
            GetMetricsRequest.newBuilder().setName("cpu_usage").setRange("1h").setAggregation("raw").build());
    assertThat(r.getValuesList()).containsExactly(70.0, 50.0, 40.0, 30.0, 20.0, 10.0);
    var labelled =
        stub.getMetrics(
            GetMetricsRequest.newBuilder().setName("cpu_usage").putLabels("host", "a").build());
    assertThat(labelled.getValuesList()).containsExactly(30.0);
    var alias = stub.getMetrics(GetMetricsRequest.newBuilder().setName("response_time").setAggregation("avg").build());
    assertThat(alias.getMetric()).isEqualTo("response_time_seconds");
    assertThat(alias.getValuesList()).containsExactly(1.25);
  }

  @Test
  void rates() {
    assertThat(stub.errorRate(RateRequest.getDefaultInstance()).getValue()).isCloseTo(37.5, within(1e-9));
    assertThat(stub.requestRate(RateRequest.newBuilder().setWindow("5m").build()).getValue())
        .isCloseTo(8.0 / 300, within(1e-9));
    assertThat(stub.revenueToday(RevenueTodayRequest.getDefaultInstance()).getValue()).isEqualTo(150.0);
    assertThat(stub.paymentSuccessRate(RateRequest.getDefaultInstance()).getValue()).isCloseTo(80.0, within(1e-9));
    assertThat(stub.errorRate(RateRequest.getDefaultInstance()).hasValue()).isTrue();
    // No payment in the last minute: no value at all, rather than a 0 % that reads as a measurement.
    assertThat(stub.paymentSuccessRate(RateRequest.newBuilder().setWindow("1m").build()).hasValue()).isFalse();
    LatencyResponse l = stub.latency(RateRequest.getDefaultInstance());
    assertThat(l.getRoutesCount()).isEqualTo(3);
    assertThat(l.getRoutes(1).getP50Ms()).isEqualTo(30.0);
    assertThat(l.getRoutes(2).getErrors()).isEqualTo(2);
  }

  @Test
  void recentAlertsAndDashboard() throws Exception {
    RecentAlertsResponse a = stub.recentAlerts(RecentAlertsRequest.getDefaultInstance());
    assertThat(a.getAlertsCount()).isEqualTo(2);
    assertThat(a.getAlerts(0).getType()).isEqualTo("high_cpu");
    assertThat(a.getAlerts(0).getLabelsMap()).containsEntry("host", "a");
    assertThat(a.getAlerts(0).getTimestampUnixNano())
        .isEqualTo((QueryFixture.NOW.getEpochSecond() - 600) * 1_000_000_000L);
    assertThat(stub.recentAlerts(RecentAlertsRequest.newBuilder().setSince("3h").setLimit(2).build()).getAlertsCount())
        .isEqualTo(2);
    JsonNode d = new ObjectMapper().readTree(stub.dashboardData(DashboardDataRequest.getDefaultInstance()).getJson());
    assertThat(d.path("business").path("revenue_today").asDouble()).isEqualTo(150.0);
    assertThat(d.path("application").path("error_rate").asDouble()).isEqualTo(37.5);
  }

  @Test
  void queryFujsen() throws Exception {
    var r =
        stub.queryFujsen(
            QueryFujsenRequest.newBuilder().setName("spans_by_service").putParams("service", "shop").build());
    assertThat(new ObjectMapper().readTree(r.getJson()).path("rows").toString())
        .isEqualTo("[[\"GET /a\",6],[\"POST /b\",2]]");
    var sectioned =
        stub.queryFujsen(
            QueryFujsenRequest.newBuilder()
                .setSection("reports")
                .setName("echo")
                .putParams("s", "x'; DROP TABLE otel_traces; --")
                .build());
    assertThat(new ObjectMapper().readTree(sectioned.getJson()).path("rows").get(0).get(0).asText())
        .isEqualTo("x'; DROP TABLE otel_traces; --");
  }

  @Test
  void errors_mapToStatusCodes() {
    assertCode(
        () -> stub.getMetrics(GetMetricsRequest.newBuilder().setName("cpu_usage").setAggregation("median").build()),
        Status.Code.INVALID_ARGUMENT,
        "p99");
    assertCode(() -> stub.errorRate(RateRequest.newBuilder().setWindow("all").build()), Status.Code.INVALID_ARGUMENT, "window");
    assertCode(
        () -> stub.queryFujsen(QueryFujsenRequest.newBuilder().setName("nope").build()),
        Status.Code.NOT_FOUND,
        "spans_by_service");
    assertCode(
        () -> stub.queryFujsen(QueryFujsenRequest.newBuilder().setName("spans_by_service").build()),
        Status.Code.INVALID_ARGUMENT,
        "missing service");
    assertCode(
        () -> stub.recentAlerts(RecentAlertsRequest.newBuilder().setLimit(-1).build()),
        Status.Code.INVALID_ARGUMENT,
        "limit");
  }

  @Test
  void injection_everyFieldRefusedOrData() throws Exception {
    Map<String, Long> before = QueryFixture.rowCounts(store);
    int answered = 0;
    for (String h : ApiInjectionTest.HOSTILE) {
      List<Runnable> calls =
          List.of(
              () -> assertThat(stub.getMetrics(GetMetricsRequest.newBuilder().setName(h).build()).getValuesList()).isEmpty(),
              () -> assertThat(stub.getMetrics(GetMetricsRequest.newBuilder().setName("cpu_usage").putLabels("host", h).build()).getValuesList()).isEmpty(),
              () -> assertThat(stub.getMetrics(GetMetricsRequest.newBuilder().setName("cpu_usage").putLabels(h, "a").build()).getValuesList()).isEmpty(),
              () -> stub.getMetrics(GetMetricsRequest.newBuilder().setName("cpu_usage").setRange(h).build()),
              () -> stub.getMetrics(GetMetricsRequest.newBuilder().setName("cpu_usage").setAggregation(h).build()),
              () -> stub.errorRate(RateRequest.newBuilder().setWindow(h).build()),
              () -> stub.latency(RateRequest.newBuilder().setWindow(h).build()),
              () -> stub.recentAlerts(RecentAlertsRequest.newBuilder().setSince(h).build()),
              () -> stub.queryFujsen(QueryFujsenRequest.newBuilder().setName(h).build()),
              () -> stub.queryFujsen(QueryFujsenRequest.newBuilder().setSection(h).setName("echo").build()),
              () ->
                  assertThat(
                          stub.queryFujsen(
                                  QueryFujsenRequest.newBuilder()
                                      .setName("spans_by_service")
                                      .putParams("service", h)
                                      .build())
                              .getJson())
                      .contains("\"rows\":[]"),
              () -> stub.queryFujsen(QueryFujsenRequest.newBuilder().setName("echo").putParams("s", "x").putParams(h, "y").build()));
      for (Runnable call : calls) {
        try {
          call.run();
          answered++;
        } catch (StatusRuntimeException e) {
          assertThat(e.getStatus().getCode()).as(h).isIn(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND);
        }
      }
    }
    assertThat(answered).isPositive();
    assertThat(QueryFixture.rowCounts(store)).isEqualTo(before);
  }

  @Test
  void auth_requiredWithToken() {
    var anonymous = QueryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    assertCode(() -> anonymous.errorRate(RateRequest.getDefaultInstance()), Status.Code.UNAUTHENTICATED, "token");
  }

  @Test
  void auth_wrongTokenRefused() {
    for (String value : List.of("Bearer wrong", "Bearer " + ApiFixture.TOKEN + "x", "Basic " + ApiFixture.TOKEN, "Bearer ")) {
      Metadata md = new Metadata();
      md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), value);
      var wrong =
          QueryServiceGrpc.newBlockingStub(channel)
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
              .withDeadlineAfter(10, TimeUnit.SECONDS);
      assertCode(() -> wrong.errorRate(RateRequest.getDefaultInstance()), Status.Code.UNAUTHENTICATED, "token");
    }
  }

  private static void assertCode(Runnable call, Status.Code code, String messagePart) {
    assertThatThrownBy(call::run)
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(
            e -> {
              Status s = ((StatusRuntimeException) e).getStatus();
              assertThat(s.getCode()).isEqualTo(code);
              assertThat(s.getDescription()).contains(messagePart);
            });
  }
}
