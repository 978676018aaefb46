package io.tskotel.collector.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tskotel.collector.web.DashboardConfig;
import io.tskotel.collector.web.DashboardRoutes;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.collector.query.QueryFixture;
import io.tskotel.collector.web.charts.ChartSeries;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin API over real HTTP (java.net.http) on a loopback port, against the fixture in chDB. */
class AdminServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static ClickHouseStore store;
  private static AdminServer server;
  private static String base;

  @BeforeAll
  static void setUp() throws Exception {
    store = QueryFixture.newStore(AdminServerTest.class);
    QueryFixture.writeAll(store);
    server =
        AdminServer.builder(
                AdminServerConfig.builder().port(0).bearerToken(ApiFixture.TOKEN).build(),
                store,
                ApiFixture.functions(store))
            .clock(QueryFixture.CLOCK)
            .version("9.9.9-test")
            .statusSource("pipeline", () -> Map.of("queue_depth_bytes", 1234, "ingest_rates", Map.of("spans_per_second", 5.5)))
            .healthCheck("queue", () -> HealthCheck.Result.healthy(Map.of("segments", 3)))
            .routes(
                new DashboardRoutes(
                        DashboardConfig.DEFAULT,
                        ChartSeries.builder(store, store.config().database()).build())
                    ::register)
            .build();
    server.start();
    server.start(); // twice is harmless
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void tearDown() {
    server.shutdown();
    server.shutdown();
    QueryFixture.dispose(store);
  }

  record Response(int status, JsonNode json, String body, HttpResponse<String> raw) {}

  static Response get(String path) throws Exception {
    return get(base, path, ApiFixture.TOKEN);
  }

  static Response get(String baseUrl, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = null;
    if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
      json = JSON.readTree(r.body());
    }
    return new Response(r.statusCode(), json, r.body(), r);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void metrics_valuesWithLabels() throws Exception {
    Response r = get("/api/v1/metrics/cpu_usage?range=1h&agg=avg&label.host=a");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("values").get(0).asDouble()).isEqualTo(30.0);
    assertThat(r.json().path("metric").asText()).isEqualTo("cpu_usage");
    assertThat(r.json().path("labels").path("host").asText()).isEqualTo("a");
    Response raw = get("/api/v1/metrics/cpu_usage?range=1h&agg=raw");
    assertThat(raw.json().path("values").toString()).isEqualTo("[70.0,50.0,40.0,30.0,20.0,10.0]");
    Response alias = get("/api/v1/metrics/response_time?range=1h&agg=p95");
    assertThat(alias.json().path("metric").asText()).isEqualTo("response_time_seconds");
    assertThat(alias.json().path("values").get(0).asDouble()).isCloseTo(5.0, within(1e-9));
  }

  @Test
  void metrics_unknownIsEmptyAndBadArgumentsAre400() throws Exception {
    Response unknown = get("/api/v1/metrics/no_such_metric");
    assertThat(unknown.status()).isEqualTo(200);
    assertThat(unknown.json().path("values").isEmpty()).isTrue();

    Response agg = get("/api/v1/metrics/cpu_usage?agg=median");
    assertThat(agg.status()).isEqualTo(400);
    assertThat(agg.json().path("error").asText()).contains("avg, max, min, sum, count, raw, p50, p90, p95, p99");
    Response range = get("/api/v1/metrics/cpu_usage?range=yesterday");
    assertThat(range.status()).isEqualTo(400);
    assertThat(range.json().path("error").asText()).contains("1m, 5m, 1h, 24h, 7d").contains("all");
    Response param = get("/api/v1/metrics/cpu_usage?rnage=1h");
    assertThat(param.status()).isEqualTo(400);
    assertThat(param.json().path("error").asText()).contains("rnage").contains("range, agg, label.<name>");
    Response twice = get("/api/v1/metrics/cpu_usage?agg=avg&agg=max");
    assertThat(twice.status()).isEqualTo(400);
  }

  @Test
  void metrics_nameWithSlashOrSpace() throws Exception {
    Response slash = get("/api/v1/metrics/" + enc("a/b"));
    assertThat(slash.status()).as(slash.body()).isEqualTo(200);
    assertThat(slash.json().path("name").asText()).isEqualTo("a/b");
    Response space = get("/api/v1/metrics/" + enc("a b").replace("+", "%20"));
    assertThat(space.json().path("name").asText()).isEqualTo("a b");
  }

  @Test
  void rates_latencyRevenuePayments() throws Exception {
    assertThat(get("/api/v1/error-rate").json().path("value").asDouble()).isCloseTo(37.5, within(1e-9));
    assertThat(get("/api/v1/error-rate?window=1h").json().path("value").asDouble())
        .isCloseTo(100.0 / 3, within(1e-9));
    assertThat(get("/api/v1/request-rate").json().path("value").asDouble()).isCloseTo(8.0 / 60, within(1e-9));
    JsonNode routes = get("/api/v1/latency?window=5m").json().path("routes");
    assertThat(routes.size()).isEqualTo(3);
    assertThat(routes.get(1).path("service").asText()).isEqualTo("shop");
    assertThat(routes.get(1).path("route").asText()).isEqualTo("/a");
    assertThat(routes.get(1).path("p50_ms").asDouble()).isEqualTo(30.0);
    assertThat(routes.get(1).path("p99_ms").asDouble()).isEqualTo(100.0);
    JsonNode revenue = get("/api/v1/revenue-today").json();
    assertThat(revenue.path("value").asDouble()).isEqualTo(150.0);
    assertThat(revenue.path("zone").asText()).isEqualTo("Europe/Berlin");
    assertThat(get("/api/v1/payment-success-rate").json().path("value").asDouble()).isCloseTo(80.0, within(1e-9));
    // No payment in the last minute: JSON null, not 0.
    JsonNode noPayments = get("/api/v1/payment-success-rate?window=1m").json();
    assertThat(noPayments.has("value")).isTrue();
    assertThat(noPayments.path("value").isNull()).isTrue();
    assertThat(get("/api/v1/error-rate?window=all").status()).isEqualTo(400);
    assertThat(get("/api/v1/error-rate?window=5x").status()).isEqualTo(400);
  }

  @Test
  void dashboard_seedShape() throws Exception {
    Response r = get("/api/v1/dashboard");
    assertThat(r.status()).isEqualTo(200);
    JsonNode d = r.json();
    assertThat(d.path("system").path("cpu_usage").asDouble()).isCloseTo(220.0 / 6, within(1e-9));
    assertThat(d.path("system").path("disk_usage").isNull()).isTrue();
    assertThat(d.path("application").path("request_rate").asDouble()).isCloseTo(8.0 / 60, within(1e-9));
    assertThat(d.path("application").path("error_rate").asDouble()).isEqualTo(37.5);
    // response_time_seconds averages 1.25 s: in ms, the dashboard's one unit for latency.
    assertThat(d.path("application").path("response_time").asDouble()).isCloseTo(1250.0, within(1e-9));
    assertThat(d.path("application").path("response_time_source").asText()).isEqualTo("metric:response_time_seconds");
    assertThat(d.path("application").path("active_users").asDouble()).isEqualTo(150.0);
    assertThat(d.path("business").path("revenue_today").asDouble()).isEqualTo(150.0);
    assertThat(d.path("business").path("user_registrations").asDouble()).isEqualTo(12.0);
    assertThat(d.path("business").path("payment_success_rate").asDouble()).isCloseTo(80.0, within(1e-9));
    assertThat(d.path("alerts").size()).isEqualTo(2);
    assertThat(d.path("alerts").get(0).path("type").asText()).isEqualTo("high_cpu");
    assertThat(d.path("alerts").get(0).path("timestamp").asText()).isEqualTo("2026-03-10T11:50:00Z");
    assertThat(d.path("generated_at").asDouble()).isEqualTo(QueryFixture.NOW.getEpochSecond());
  }

  @Test
  void alerts_sinceAndLimit() throws Exception {
    JsonNode a = get("/api/v1/alerts?since=1h").json().path("alerts");
    assertThat(a.size()).isEqualTo(2);
    assertThat(a.get(1).path("type").asText()).isEqualTo("high_error_rate");
    assertThat(a.get(1).path("severity").asText()).isEqualTo("critical");
    assertThat(get("/api/v1/alerts?since=3h").json().path("alerts").size()).isEqualTo(3);
    assertThat(get("/api/v1/alerts?limit=1").json().path("alerts").size()).isEqualTo(1);
    assertThat(get("/api/v1/alerts?limit=0").status()).isEqualTo(400);
    assertThat(get("/api/v1/alerts?limit=ten").status()).isEqualTo(400);
  }

  @Test
  void query_sqlFujsen() throws Exception {
    Response r = get("/api/v1/query/spans_by_service?service=shop");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("columns").toString())
        .isEqualTo("[{\"name\":\"SpanName\",\"type\":\"LowCardinality(String)\"},{\"name\":\"n\",\"type\":\"UInt64\"}]");
    assertThat(r.json().path("rows").toString()).isEqualTo("[[\"GET /a\",6],[\"POST /b\",2]]");
    Response missing = get("/api/v1/query/spans_by_service");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().path("error").asText()).contains("missing service").contains("{service:String}");
    Response unknown = get("/api/v1/query/no_such_fujsen");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().path("error").asText()).contains("spans_by_service");
    JsonNode list = get("/api/v1/query").json().path("fujsen");
    assertThat(list.size()).isEqualTo(2);
  }

  @Test
  void auth_requiredExceptForProbes() throws Exception {
    assertThat(get(base, "/api/v1/dashboard", null).status()).isEqualTo(401);
    assertThat(get(base, "/api/v1/dashboard", null).raw().headers().firstValue("WWW-Authenticate")).isPresent();
    assertThat(get(base, "/api/v1/dashboard", "wrong").status()).isEqualTo(401);
    assertThat(get(base, "/api/v1/dashboard", ApiFixture.TOKEN + "x").status()).isEqualTo(401);
    assertThat(get(base, "/api/v1/dashboard", "").status()).isEqualTo(401);
    assertThat(get(base, "/status", null).status()).isEqualTo(401);
    assertThat(get(base, "/metrics", null).status()).isEqualTo(401);
    // The dashboard page and its assets are admin paths like the rest.
    assertThat(get(base, "/dashboard", null).status()).isEqualTo(401);
    assertThat(get(base, "/dashboard/assets/dashboard.js", null).status()).isEqualTo(401);
    assertThat(get(base, "/dashboard/charts?range=1h", null).status()).isEqualTo(401);
    assertThat(get(base, "/dashboard", ApiFixture.TOKEN).status()).isEqualTo(200);
    assertThat(get(base, "/health", null).status()).isEqualTo(200);
    assertThat(get(base, "/ready", null).status()).isEqualTo(200);
    assertThat(get(base, "/live", null).status()).isEqualTo(200);
  }

  @Test
  void probes_withoutTheToken_giveStatusOnly_detailsNeedTheToken() throws Exception {
    JsonNode open = get(base, "/health", null).json();
    assertThat(open.path("status").asText()).isEqualTo("healthy");
    assertThat(open.path("checks").path("store").path("status").asText()).isEqualTo("healthy");
    assertThat(open.path("checks").path("store").has("details")).isFalse();
    assertThat(open.toString()).doesNotContain("ClickHouse", "latency");
    assertThat(get(base, "/ready", null).json().toString()).doesNotContain("ClickHouse", "segments");

    JsonNode admin = get(base, "/health", ApiFixture.TOKEN).json();
    assertThat(admin.path("checks").path("store").path("details").path("detail").asText()).contains("ClickHouse");
    assertThat(admin.path("checks").path("queue").path("details").path("segments").asInt()).isEqualTo(3);
  }

  @Test
  void status_versionUptimeStoreAndPipeline() throws Exception {
    JsonNode s = get("/status").json();
    assertThat(s.path("version").asText()).isEqualTo("9.9.9-test");
    assertThat(s.path("uptime_seconds").asDouble()).isZero(); // the fixed test clock does not move
    assertThat(s.path("store").path("healthy").asBoolean()).isTrue();
    assertThat(s.path("store").path("detail").asText()).contains("ClickHouse");
    assertThat(s.path("pipeline").path("queue_depth_bytes").asLong()).isEqualTo(1234);
    assertThat(s.path("pipeline").path("ingest_rates").path("spans_per_second").asDouble()).isEqualTo(5.5);
  }

  @Test
  void health_seedCheckShape() throws Exception {
    Response h = get("/health");
    assertThat(h.status()).isEqualTo(200);
    assertThat(h.json().path("status").asText()).isEqualTo("healthy");
    assertThat(h.json().path("checks").path("store").path("status").asText()).isEqualTo("healthy");
    assertThat(h.json().path("checks").path("store").path("details").path("connection").asText()).isEqualTo("OK");
    assertThat(h.json().path("checks").path("queue").path("details").path("segments").asInt()).isEqualTo(3);
    assertThat(get("/ready").json().path("status").asText()).isEqualTo("ready");
    assertThat(get("/live").json().path("status").asText()).isEqualTo("alive");
  }

  @Test
  void metricsEndpoint_prometheusText() throws Exception {
    Response r = get("/metrics");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(r.body()).isEqualTo("requests_total 80.0\nerrors_total 6.0\n");
  }

  @Test
  void unknownEndpoint_jsonError() throws Exception {
    Response r = get("/api/v1/nothing");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().path("error").asText()).contains("/api/v1/nothing");
  }

  @Test
  void config_defaultsToLoopback8080AndValidatesAll() {
    AdminServerConfig d = AdminServerConfig.defaults();
    assertThat(d.host()).isEqualTo("127.0.0.1");
    assertThat(d.port()).isEqualTo(8080);
    assertThat(d.toString()).doesNotContain("token-value");
    assertThat(AdminServerConfig.builder().bearerToken("token-value").build().toString())
        .doesNotContain("token-value");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> AdminServerConfig.builder().port(-1).healthPath("health").livePath("/ready").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port: -1")
        .hasMessageContaining("healthPath")
        .hasMessageContaining("used twice");
  }

  @Test
  void paths_fromConfig() throws Exception {
    AdminServer custom =
        AdminServer.builder(
                AdminServerConfig.builder().port(0).healthPath("/healthz").statusPath("/info").build(),
                store,
                ApiFixture.functions(store))
            .build();
    custom.start();
    try {
      String b = "http://127.0.0.1:" + custom.port();
      assertThat(get(b, "/healthz", null).status()).isEqualTo(200);
      assertThat(get(b, "/info", null).json().path("store").path("healthy").asBoolean()).isTrue();
      assertThat(get(b, "/health", null).status()).isEqualTo(404);
    } finally {
      custom.shutdown();
    }
  }

  @Test
  void storeDown_503AndUnhealthy() throws Exception {
    ClickHouseStore down = QueryFixture.newStore(AdminServerTest.class);
    AdminServer s =
        AdminServer.builder(AdminServerConfig.builder().port(0).build(), down, ApiFixture.functions(down))
            .readinessCheck("replayed", () -> HealthCheck.Result.unhealthy("queue replay in progress"))
            .build();
    s.start();
    try {
      String b = "http://127.0.0.1:" + s.port();
      Response notReady = get(b, "/ready", null);
      assertThat(notReady.status()).isEqualTo(503);
      assertThat(notReady.json().path("checks").path("replayed").path("error").asText())
          .isEqualTo("queue replay in progress");
      assertThat(get(b, "/health", null).status()).isEqualTo(200);
      QueryFixture.dispose(down);
      for (String path :
          List.of("/api/v1/error-rate", "/api/v1/dashboard", "/api/v1/metrics/cpu_usage", "/api/v1/query/echo?s=x")) {
        Response r = get(b, path, null);
        assertThat(r.status()).as(path).isEqualTo(503);
        assertThat(r.json().path("error").asText()).as(path).startsWith("store unavailable");
      }
      Response health = get(b, "/health", null);
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.json().path("status").asText()).isEqualTo("unhealthy");
      assertThat(health.json().path("checks").path("store").path("status").asText()).isEqualTo("unhealthy");
      // A fixed reason, not the engine's text: this server has no token, so its caller is the admin and
      // sees the text in the details.
      assertThat(health.json().path("checks").path("store").path("error").asText()).isEqualTo("store closed");
      assertThat(health.json().path("checks").path("store").path("details").path("detail").asText()).isNotBlank();
      assertThat(get(b, "/live", null).status()).isEqualTo(200);
      assertThat(get(b, "/status", null).json().path("store").path("healthy").asBoolean()).isFalse();
    } finally {
      s.shutdown();
    }
  }
}
