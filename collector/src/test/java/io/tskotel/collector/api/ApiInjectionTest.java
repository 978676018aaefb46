package io.tskotel.collector.api;

import static io.tskotel.collector.api.AdminServerTest.enc;
import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.collector.query.QueryFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile text through every parameter of every endpoint, over real HTTP: each request is refused (400 /
 * 404) or answered with the text treated as data, never 5xx; afterwards every table holds what it held.
 */
class ApiInjectionTest {
  static final List<String> HOSTILE =
      List.of(
          "x' OR '1'='1",
          "x'; DROP TABLE otel_traces; --",
          "x') UNION ALL SELECT 1, 'GAUGE', 1 --",
          "{name:String}",
          "{db:Identifier}",
          "x\\'",
          "x\\",
          "x\t\n",
          "`otel_traces`",
          "1h; DROP TABLE otel_traces",
          "avg) FROM system.tables --",
          "ünï©ødé 🚀",
          "../../etc/passwd",
          "%00",
          "a".repeat(4000));

  private static ClickHouseStore store;
  private static AdminServer server;
  private static String base;
  private static Map<String, Long> before;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void setUp() throws Exception {
    store = QueryFixture.newStore(ApiInjectionTest.class);
    QueryFixture.writeAll(store);
    server =
        AdminServer.builder(AdminServerConfig.builder().port(0).build(), store, ApiFixture.functions(store))
            .clock(QueryFixture.CLOCK)
            .build();
    server.start();
    base = "http://127.0.0.1:" + server.port();
    before = QueryFixture.rowCounts(store);
  }

  @AfterAll
  static void tearDown() {
    server.shutdown();
    QueryFixture.dispose(store);
  }

  /** Every parameter of every endpoint, with {@code X} where the hostile text goes. */
  static List<String> templates() {
    return List.of(
        "/api/v1/metrics/X",
        "/api/v1/metrics/X?agg=raw",
        "/api/v1/metrics/requests_total?range=1h&agg=sum&label.route=X",
        "/api/v1/metrics/db_latency?agg=p99&label.X=a",
        "/api/v1/metrics/cpu_usage?range=X",
        "/api/v1/metrics/cpu_usage?agg=X",
        "/api/v1/metrics/cpu_usage?X=1",
        "/api/v1/error-rate?window=X",
        "/api/v1/request-rate?window=X",
        "/api/v1/latency?window=X",
        "/api/v1/payment-success-rate?window=X",
        "/api/v1/revenue-today?X=1",
        "/api/v1/dashboard?X=1",
        "/api/v1/alerts?since=X",
        "/api/v1/alerts?limit=X",
        "/api/v1/query/X",
        "/api/v1/query/spans_by_service?service=X",
        "/api/v1/query/echo?s=X",
        "/api/v1/query/echo?s=a&X=b");
  }

  @Test
  void everyParameter_refusedOrData() throws Exception {
    List<String> failures = new ArrayList<>();
    int requests = 0;
    for (String template : templates()) {
      for (String hostile : HOSTILE) {
        String path =
            template.replace("X", template.contains("/metrics/X") || template.endsWith("/query/X")
                ? enc(hostile).replace("+", "%20")
                : enc(hostile));
        HttpResponse<String> r =
            HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        requests++;
        int s = r.statusCode();
        if (!(s == 200 || s == 400 || s == 404)) {
          failures.add(s + " " + path + " " + r.body());
        }
        if (s == 200 && template.startsWith("/api/v1/metrics/X")) {
          assertThat(r.body()).as(path).contains("\"values\":[]");
        }
        if (s == 200 && template.contains("service=X")) {
          assertThat(r.body()).as(path).contains("\"rows\":[]");
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(requests).isEqualTo(templates().size() * HOSTILE.size());
    assertThat(QueryFixture.rowCounts(store)).isEqualTo(before);
  }

  @Test
  void echo_returnsHostileTextVerbatim() throws Exception {
    for (String hostile : HOSTILE) {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/query/echo?s=" + enc(hostile))).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
      assertThat(json.path("rows").get(0).get(0).asText()).isEqualTo(hostile);
    }
    assertThat(QueryFixture.rowCounts(store)).isEqualTo(before);
  }
}
