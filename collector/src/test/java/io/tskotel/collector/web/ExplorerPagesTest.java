package io.tskotel.collector.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tskotel.collector.api.AdminServer;
import io.tskotel.collector.api.AdminServerConfig;
import io.tskotel.collector.query.QueryFunctions;
import io.tskotel.collector.web.charts.ChartSeries;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The explorer pages on the real admin server, with a bearer token and the dashboard at a configured path:
 * served as static HTML with the dashboard's security headers, their assets from the jar, behind the token.
 */
class ExplorerPagesTest {
  static final String TOKEN = "explorer-test-token";
  static final DashboardConfig CONFIG =
      new DashboardConfig("/ops/board", "/api/v1", Duration.ofSeconds(5), "1h");
  static final HttpClient http = HttpClient.newHttpClient();
  static ClickHouseStore store;
  static AdminServer server;

  @BeforeAll
  static void start() throws Exception {
    store = TestStores.newStore(ExplorerPagesTest.class);
    server =
        AdminServer.builder(
                AdminServerConfig.builder()
                    .host("127.0.0.1")
                    .port(0)
                    .bearerToken(TOKEN)
                    .dashboardPath(CONFIG.path())
                    .build(),
                store,
                QueryFunctions.builder(store).build())
            .routes(
                new DashboardRoutes(CONFIG, ChartSeries.builder(store, store.config().database()).build())
                    ::register)
            .routes(new ExplorerPages(CONFIG)::register)
            .build();
    server.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.shutdown();
    }
  }

  static HttpResponse<String> get(String path, @Nullable String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String contentType(HttpResponse<?> r) {
    return r.headers().firstValue("Content-Type").orElse("").replace(" ", "");
  }

  @Test
  void pages_servedAsHtmlWithTheDashboardsPolicy() throws Exception {
    for (String path :
        List.of("/ops/board/traces", "/ops/board/traces/0af7651916cd43dd8448eb211c80319c",
            "/ops/board/traces?trace=0af7651916cd43dd8448eb211c80319c", "/ops/board/logs")) {
      HttpResponse<String> r = get(path, TOKEN);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(contentType(r)).as(path).isEqualTo("text/html;charset=utf-8");
      assertThat(r.headers().firstValue("Content-Security-Policy"))
          .as(path)
          .hasValue(StaticFiles.CONTENT_SECURITY_POLICY);
      assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
      assertThat(r.body())
          .as(path)
          .contains("data-api=\"/api/v1\"", "data-base=\"/ops/board\"",
              "href=\"/ops/board/assets/dashboard.css\"", "src=\"/ops/board/explorer/explorer.js\"",
              "<a href=\"/ops/board\">Dashboard</a>")
          .doesNotContain("{{", "http://", "https://", "<style", "style=\"", "onclick");
    }
    assertThat(get("/ops/board/traces", TOKEN).body())
        .contains("src=\"/ops/board/explorer/traces.js\"", "data-page=\"traces\"");
    assertThat(get("/ops/board/logs", TOKEN).body())
        .contains("src=\"/ops/board/explorer/logs.js\"", "data-page=\"logs\"");
  }

  @Test
  void tracePage_idInThePath_neverInTheHtml() throws Exception {
    HttpResponse<String> r = get("/ops/board/traces/%3Cscript%3Ealert(1)%3C%2Fscript%3E", TOKEN);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).doesNotContain("alert(1)").isEqualTo(get("/ops/board/traces", TOKEN).body());
  }

  @Test
  void dashboard_linksToTheExplorer() throws Exception {
    assertThat(get("/ops/board", TOKEN).body())
        .contains("<a href=\"/ops/board/traces\">Traces</a>", "<a href=\"/ops/board/logs\">Logs</a>");
  }

  @Test
  void assets_fromTheJar() throws Exception {
    for (String js : List.of("explorer.js", "traces.js", "logs.js")) {
      HttpResponse<String> r = get("/ops/board/explorer/" + js, TOKEN);
      assertThat(r.statusCode()).as(js).isEqualTo(200);
      assertThat(contentType(r)).as(js).isEqualTo("text/javascript;charset=utf-8");
      assertThat(r.body()).as(js).contains("'use strict'").doesNotContain("innerHTML");
    }
    HttpResponse<String> css = get("/ops/board/explorer/explorer.css", TOKEN);
    assertThat(css.statusCode()).isEqualTo(200);
    assertThat(contentType(css)).isEqualTo("text/css;charset=utf-8");
  }

  @Test
  void assets_unknownOrTraversal_notFound() throws Exception {
    assertThat(get("/ops/board/explorer/traces.html", TOKEN).statusCode()).isEqualTo(404);
    assertThat(get("/ops/board/explorer/dashboard.js", TOKEN).statusCode()).isEqualTo(404);
    assertThat(get("/ops/board/explorer/..%2Ftraces.html", TOKEN).statusCode()).isEqualTo(404);
  }

  @Test
  void everything_behindTheToken() throws Exception {
    for (String path :
        List.of("/ops/board/traces", "/ops/board/traces/0af7651916cd43dd8448eb211c80319c", "/ops/board/logs",
            "/ops/board/explorer/traces.js", "/ops/board/explorer/explorer.css")) {
      HttpResponse<String> none = get(path, null);
      assertThat(none.statusCode()).as(path).isEqualTo(401);
      assertThat(none.body()).as(path).contains("unauthorized").doesNotContain("<html");
      assertThat(get(path, "wrong-token").statusCode()).as(path).isEqualTo(401);
    }
  }

  @Test
  void config_invalid_allErrorsReported() {
    DashboardConfig bad = new DashboardConfig("board", "api", Duration.ofSeconds(5), "1h");
    assertThatThrownBy(() -> new ExplorerPages(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("dashboard: path: 'board'")
        .hasMessageContaining("apiBase: 'api'");
  }
}
