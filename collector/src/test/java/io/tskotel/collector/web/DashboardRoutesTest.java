package io.tskotel.collector.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.collector.web.charts.ChartSeries;
import io.tskotel.exporter.testing.TestStores;
import io.tskotel.exporter.testing.VizTelemetry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard's routes on a real Javalin server over a real store. */
class DashboardRoutesTest {
  static ClickHouseStore store;
  static Javalin app;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    store = TestStores.newStore(DashboardRoutesTest.class);
    new VizTelemetry(Instant.now().truncatedTo(ChronoUnit.MINUTES)).writeTo(store);
    DashboardRoutes routes =
        new DashboardRoutes(
            new DashboardConfig("/ops/board", "/api/v1", Duration.ofSeconds(10), "6h"),
            ChartSeries.builder(store, store.config().database()).build());
    app =
        Javalin.create(
                c -> {
                  c.jetty.host = "127.0.0.1";
                  c.jetty.port = 0;
                  c.startup.showJavalinBanner = false;
                  routes.register(c.routes);
                })
            .start();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.stop();
    }
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String contentType(HttpResponse<?> r) {
    return r.headers().firstValue("Content-Type").orElse("").replace(" ", "");
  }

  @Test
  void host_theCollectorsOwnHost_inPercent() throws Exception {
    HttpResponse<String> r = get("/ops/board/host");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(contentType(r)).isEqualTo("application/json");
    JsonNode j = new ObjectMapper().readTree(r.body());
    assertThat(j.path("host").asText()).isNotBlank();
    for (String k : new String[] {"cpu_usage", "memory_usage", "disk_usage"}) {
      assertThat(j.path(k).isNumber()).as(k).isTrue();
      assertThat(j.path(k).asDouble()).as(k).isBetween(0.0, 100.0);
    }
    // Some memory is always in use, and the filesystem this test runs on holds files.
    assertThat(j.path("memory_usage").asDouble()).isPositive();
    assertThat(j.path("disk_usage").asDouble()).isPositive();
    assertThat(j.path("timestamps").size()).isEqualTo(j.path("cpu").size()).isPositive();
  }

  @Test
  void page_configuredPathRefreshAndRange_inTheHtml() throws Exception {
    HttpResponse<String> r = get("/ops/board");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(contentType(r)).isEqualTo("text/html;charset=utf-8");
    assertThat(r.headers().firstValue("Content-Security-Policy"))
        .hasValue(StaticFiles.CONTENT_SECURITY_POLICY);
    assertThat(r.body())
        .contains("data-api=\"/api/v1\"", "data-charts=\"/ops/board/charts\"", "data-host=\"/ops/board/host\"",
            "data-refresh-seconds=\"10\"", "data-range=\"6h\"",
            "src=\"/ops/board/assets/uPlot.iife.min.js\"")
        .doesNotContain("{{", "http://", "https://");
  }

  @Test
  void assets_fromTheJar() throws Exception {
    HttpResponse<String> uplot = get("/ops/board/assets/uPlot.iife.min.js");
    assertThat(uplot.statusCode()).isEqualTo(200);
    assertThat(contentType(uplot)).isEqualTo("text/javascript;charset=utf-8");
    assertThat(uplot.body()).contains("uPlot");
    assertThat(get("/ops/board/assets/dashboard.css").statusCode()).isEqualTo(200);
  }

  @Test
  void assets_unknownOrTraversal_notFound() throws Exception {
    assertThat(get("/ops/board/assets/index.html").statusCode()).isEqualTo(404);
    assertThat(get("/ops/board/assets/..%2F..%2Fdashboard%2Findex.html").statusCode()).isEqualTo(404);
    assertThat(get("/ops/board/assets/%2e%2e").statusCode()).isEqualTo(404);
  }

  @Test
  void charts_defaultRange_fromConfig() throws Exception {
    HttpResponse<String> r = get("/ops/board/charts");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = new ObjectMapper().readTree(r.body());
    assertThat(body.path("range").asText()).isEqualTo("6h");
    assertThat(body.path("step_seconds").asLong()).isEqualTo(300);
    assertThat(body.path("series").path("cpu").size()).isEqualTo(body.path("timestamps").size());
  }

  @Test
  void charts_badRange_400WithTheAllowedForm() throws Exception {
    for (String bad : new String[] {"bogus", "0m", "90d", "1h' OR 1=1 --", ""}) {
      HttpResponse<String> r =
          get("/ops/board/charts?range=" + URLEncoder.encode(bad, StandardCharsets.UTF_8));
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(new ObjectMapper().readTree(r.body()).path("error").asText())
          .as(bad)
          .contains("expected: a duration such as 15m, 1h, 24h, 7d; from 1m to 31d");
    }
    // The tables are intact after the attempts.
    assertThat(
            store.query("SELECT count() FROM {db:Identifier}.otel_metrics_gauge",
                Map.of("db", store.config().database())).rows().get(0).get(0))
        .isEqualTo(14L);
  }

  @Test
  void config_invalid_allErrorsReported() {
    DashboardConfig bad = new DashboardConfig("dashboard", "/api/v1/", Duration.ofMillis(1500), "1y");
    assertThat(bad.validate())
        .containsExactly(
            "path: 'dashboard' (expected: /segment[/segment...] of letters, digits, _ . -)",
            "apiBase: '/api/v1/' (expected: /segment[/segment...] of letters, digits, _ . -)",
            "refresh: PT1.5S (expected: whole seconds from 0 (off) to 1h)",
            "defaultRange: '1y' (expected: a duration such as 15m, 1h, 24h, 7d; from 1m to 31d)");
    assertThatThrownBy(
            () -> new DashboardRoutes(bad, ChartSeries.builder(store, "x").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("dashboard: path: 'dashboard'");
  }
}
