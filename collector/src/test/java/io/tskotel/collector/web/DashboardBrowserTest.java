package io.tskotel.collector.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tskotel.collector.api.AdminServer;
import io.tskotel.collector.api.AdminServerConfig;
import io.tskotel.exporter.AlertRecord;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.collector.query.QueryConfig;
import io.tskotel.collector.query.QueryFunctions;
import io.tskotel.collector.web.charts.ChartMetrics;
import io.tskotel.collector.web.charts.ChartSeries;
import io.tskotel.exporter.testing.Prerequisites;
import io.tskotel.exporter.testing.TestStores;
import io.tskotel.exporter.testing.VizTelemetry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in headless Chromium (Debian's {@code chromium}, driven by npm {@code playwright-core} from
 * {@code src/test/browser}): served by the real admin server over telemetry written through the store, it
 * loads without console errors, draws the ingested values, refreshes by itself, follows the range picker,
 * and leaves a screenshot in {@code target/dashboard-browser/dashboard.png}. A second server over a second
 * store holds only a new user's first minute ({@link LittleTelemetry}): one step of data is drawn, values
 * without data say so, and response time comes from the spans ({@code dashboard-little.png}).
 */
class DashboardBrowserTest {
  static final Path BROWSER_DIR = Path.of("src/test/browser");
  static final Path SCREENSHOT = Path.of("target/dashboard-browser/dashboard.png");
  static final Path LITTLE_SCREENSHOT = SCREENSHOT.resolveSibling("dashboard-little.png");

  static ClickHouseStore store;
  static AdminServer server;
  static JsonNode result;
  static ClickHouseStore littleStore;
  static AdminServer littleServer;
  static JsonNode little;

  /** The database owner of the little-data store (one database per class). */
  private static final class LittleData {}

  /** playwright-core, chromium and node, which the page checks ({@code src/test/browser}) run on. */
  static void requireBrowser(String page) {
    Prerequisites.require(
        Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core")),
        "playwright-core is not installed: npm install --prefix collector/src/test/browser");
    Prerequisites.require(
        Files.isExecutable(Path.of("/usr/bin/chromium")),
        "chromium is not installed: the " + page + " is tested in it (apt-get install -y chromium)");
    Prerequisites.require(onPath("node"), "node is not installed (apt-get install -y nodejs npm)");
  }

  @BeforeAll
  static void serveAndBrowse() throws Exception {
    requireBrowser("dashboard");

    // The page asks for "the last hour" of real time, so the fixture is stamped from now.
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    store = TestStores.newStore(DashboardBrowserTest.class);
    new VizTelemetry(now).writeTo(store);
    store.writeAlerts(
        List.of(
            new AlertRecord(now.minus(Duration.ofMinutes(2)), "high_cpu", "critical",
                "CPU at 92% <b>on host-a</b>", 92, 90, Map.of("host", "host-a"))));
    String db = store.config().database();
    // The fixture's names for revenue and registrations; the charts read what the query functions read.
    QueryConfig config =
        QueryConfig.builder()
            .database(db)
            .revenueMetric("payment_volume_total")
            .metricAlias("user_registrations", "user_registrations_total")
            .build();
    QueryFunctions functions = QueryFunctions.builder(store).config(config).build();
    DashboardRoutes dashboard =
        new DashboardRoutes(
            DashboardConfig.DEFAULT,
            ChartSeries.builder(store, db).metrics(ChartMetrics.from(config)).build());
    server =
        AdminServer.builder(
                AdminServerConfig.builder().host("127.0.0.1").port(0).build(), store, functions)
            .routes(dashboard::register)
            .build();
    server.start();

    Files.createDirectories(SCREENSHOT.getParent());
    Files.deleteIfExists(SCREENSHOT);
    result = browse("http://127.0.0.1:" + server.port() + "/dashboard", SCREENSHOT);

    // A new user's first minute, in the minute before this one (so it is one step of the hour's chart).
    littleStore = TestStores.newStore(LittleData.class);
    new LittleTelemetry(Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1)))
        .writeTo(littleStore);
    String littleDb = littleStore.config().database();
    QueryConfig littleConfig = QueryConfig.builder().database(littleDb).build();
    littleServer =
        AdminServer.builder(
                AdminServerConfig.builder().host("127.0.0.1").port(0).build(),
                littleStore,
                QueryFunctions.builder(littleStore).config(littleConfig).build())
            .routes(
                new DashboardRoutes(
                        DashboardConfig.DEFAULT,
                        ChartSeries.builder(littleStore, littleDb).metrics(ChartMetrics.from(littleConfig)).build())
                    ::register)
            .build();
    littleServer.start();
    Files.deleteIfExists(LITTLE_SCREENSHOT);
    little = browse("http://127.0.0.1:" + littleServer.port() + "/dashboard", LITTLE_SCREENSHOT);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.shutdown();
    }
    if (littleServer != null) {
      littleServer.shutdown();
    }
  }

  static JsonNode browse(String url, Path screenshot) throws IOException, InterruptedException {
    Path out = Files.createTempFile("dashboard-check", ".json");
    Path err = SCREENSHOT.resolveSibling("node-stderr.txt");
    Process p =
        new ProcessBuilder(
                "node", "dashboard-check.mjs", url, screenshot.toAbsolutePath().toString())
            .directory(BROWSER_DIR.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the browser check did not finish in 120 s; see " + err);
    }
    assertThat(p.exitValue()).as("node exit; stderr in " + err).isZero();
    return new ObjectMapper().readTree(out.toFile());
  }

  @Test
  void page_loads_withoutErrorsOrForeignRequests() {
    assertThat(result.path("error").asText(null)).isNull();
    assertThat(texts(result.path("steps")))
        .containsExactly("loaded", "auto-refreshed", "range 6h", "screenshot");
    assertThat(texts(result.path("consoleErrors"))).isEmpty();
    assertThat(texts(result.path("pageErrors"))).isEmpty();
    assertThat(texts(result.path("failedRequests"))).isEmpty();
    assertThat(texts(result.path("foreignRequests"))).isEmpty();
    assertThat(texts(result.path("scripts")))
        .containsExactly("/dashboard/assets/uPlot.iife.min.js", "/dashboard/assets/dashboard.js");
    assertThat(result.path("status").asText()).startsWith("updated");
  }

  @Test
  void page_defaultRefresh_isFiveSeconds() {
    assertThat(result.path("refreshAttribute").asText()).isEqualTo("5");
  }

  @Test
  void charts_drawTheIngestedValues() {
    JsonNode cards = result.path("cards");
    for (String chart :
        List.of("cpu", "memory", "disk", "request_rate", "error_rate", "response_time", "active_users",
            "revenue", "registrations", "payment_success_rate")) {
      assertThat(cards.path(chart).path("canvas").asBoolean()).as(chart).isTrue();
      assertThat(cards.path(chart).path("points").asInt()).as(chart).isPositive();
    }
    JsonNode series = result.path("series");
    assertThat(numbers(series.path("cpu"))).containsExactly(40.0, 50.0, 60.0, (42.5 + 33) / 2);
    assertThat(numbers(series.path("active_users"))).containsExactly(1200.0, 1500.0);
    assertThat(numbers(series.path("revenue")).stream().filter(v -> v != 0))
        .containsExactly(1000.0, 250.5, 300.0, 1500.0);
    assertThat(numbers(series.path("response_time_avg_ms")))
        .containsExactlyElementsOf(
            VizTelemetry.SERVER_SPAN_MS.stream().map(Long::doubleValue).toList());
    assertThat(numbers(series.path("error_rate")).stream().filter(v -> v > 0))
        .containsExactly(100.0, 100.0);
  }

  @Test
  void rangePicker_sixHours_coarserSteps() {
    assertThat(result.path("range6h").path("stepSeconds").asLong()).isEqualTo(300);
    assertThat(result.path("range6h").path("points").asInt()).isBetween(72, 74);
  }

  @Test
  void tilesAndAlerts_fromTheQueryApi() {
    // cpu_usage's average over the hour (api 40, 50, 60, 42.5; web 33), from GET /api/v1/dashboard.
    assertThat(result.path("cards").path("cpu").path("value").asText()).isEqualTo("45.1%");
    List<List<String>> alerts = new ArrayList<>();
    result.path("alerts").forEach(row -> alerts.add(texts(row)));
    assertThat(alerts).hasSize(1);
    // Shown as text: the markup in the message is not interpreted.
    assertThat(alerts.get(0).subList(1, 5))
        .containsExactly("firing", "critical", "high_cpu", "CPU at 92% <b>on host-a</b>");
  }

  @Test
  void tiles_responseTimeInMilliseconds_fromTheMetric() {
    // VizTelemetry's response_time histogram is in seconds; tile and chart axis both show ms.
    JsonNode rt = result.path("cards").path("response_time");
    assertThat(rt.path("value").asText()).endsWith("ms");
    assertThat(rt.path("tileSource").asText()).isEqualTo("metric response_time");
    assertThat(result.path("systemSource").asText()).contains("cpu_usage").contains("api on host-a");
  }

  @Test
  void littleData_pageLoadsWithoutErrors() {
    assertThat(little.path("error").asText(null)).isNull();
    assertThat(texts(little.path("consoleErrors"))).isEmpty();
    assertThat(texts(little.path("pageErrors"))).isEmpty();
    assertThat(texts(little.path("failedRequests"))).isEmpty();
    assertThat(little.path("status").asText()).startsWith("updated");
  }

  @Test
  void littleData_singleStep_isDrawn() {
    // All 200 spans fall in one step of the hour: one error-rate point, and it must be visible.
    JsonNode errorRate = little.path("cards").path("error_rate");
    assertThat(errorRate.path("points").asInt()).isEqualTo(1);
    assertThat(errorRate.path("empty").isNull()).isTrue();
    assertThat(errorRate.path("drawn").asInt()).as("pixels of the error-rate point").isPositive();
    assertThat(errorRate.path("value").asText()).isEqualTo("10%");
    JsonNode responseTime = little.path("cards").path("response_time");
    assertThat(responseTime.path("points").asInt()).isEqualTo(2);
    assertThat(responseTime.path("drawn").asInt()).as("pixels of the avg response-time point").isPositive();
  }

  @Test
  void littleData_responseTime_fromServerSpans() {
    JsonNode rt = little.path("cards").path("response_time");
    assertThat(rt.path("value").asText()).isEqualTo("44.5ms");
    assertThat(rt.path("noData").asBoolean()).isFalse();
    assertThat(rt.path("tileSource").asText()).isEqualTo("server spans");
    assertThat(rt.path("caption").asText()).contains("from server spans");
  }

  @Test
  void littleData_noData_saidAsSuch() {
    JsonNode cards = little.path("cards");
    for (String card : List.of("payment_success_rate", "revenue", "registrations", "active_users")) {
      assertThat(cards.path(card).path("value").asText()).as(card).isEqualTo("no data");
      assertThat(cards.path(card).path("noData").asBoolean()).as(card).isTrue();
      assertThat(cards.path(card).path("empty").asText()).as(card).isEqualTo("No data in the last 1h");
      assertThat(cards.path(card).path("drawn").asInt()).as(card).isZero();
    }
  }

  @Test
  void littleData_system_showsTheCollectorsHost() {
    // No app reports cpu, memory or disk: the section says so and shows this host, sampled by OSHI.
    assertThat(little.path("systemSource").asText())
        .startsWith("No app reports cpu, memory or disk use")
        .contains("this collector's host");
    for (String card : List.of("cpu", "memory", "disk")) {
      JsonNode c = little.path("cards").path(card);
      assertThat(c.path("tileSource").asText()).as(card).startsWith("collector host ");
      assertThat(c.path("value").asText()).as(card).endsWith("%");
      assertThat(c.path("source").asText()).as(card).isEqualTo("host");
      assertThat(c.path("points").asInt()).as(card).isPositive();
    }
  }

  @Test
  void screenshot_kept() throws IOException {
    assertThat(SCREENSHOT).isRegularFile();
    assertThat(Files.size(SCREENSHOT)).isGreaterThan(20_000);
    assertThat(LITTLE_SCREENSHOT).isRegularFile();
  }

  static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The non-null values of a series, in time order. */
  static List<Double> numbers(JsonNode array) {
    List<Double> out = new ArrayList<>();
    array.forEach(n -> {
      if (!n.isNull()) {
        out.add(n.asDouble());
      }
    });
    return out;
  }
}
