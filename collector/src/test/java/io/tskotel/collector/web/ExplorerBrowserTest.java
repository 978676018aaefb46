package io.tskotel.collector.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tskotel.collector.Collector;
import io.tskotel.collector.api.AdminApi;
import io.tskotel.collector.api.AdminApiComponent;
import io.tskotel.collector.testing.TestCollectors;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.testing.Prerequisites;
import io.tskotel.exporter.testing.TestStores;
import io.tskotel.tsk.Tsk;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trace and log explorer end to end: the Node.js OpenTelemetry SDK ({@code src/test/node/send-trace.js})
 * sends a trace with nested spans and a log carrying its trace id through OTLP/HTTP to a running collector
 * (as {@code tskotel run} builds it, admin API and pages included); headless Chromium ({@code
 * src/test/browser/explorer-check.mjs}, playwright-core) then searches, opens the trace, follows its links and
 * tails the logs. Screenshots stay in {@code target/explorer-browser/}.
 */
class ExplorerBrowserTest {
  static final Path BROWSER_DIR = Path.of("src/test/browser");
  static final Path NODE_DIR = Path.of("src/test/node");
  static final Path OUT = Path.of("target/explorer-browser");
  static final String TSK =
      """
      [admin]
      host: "127.0.0.1"
      port: 0
      grpc_port: -1
      """;

  @TempDir static Path dir;
  static Collector collector;
  static ClickHouseStore store;
  static AdminApi api;
  static JsonNode sent;
  static JsonNode result;
  static final HttpClient http = HttpClient.newHttpClient();
  static final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void sendAndBrowse() throws Exception {
    DashboardBrowserTest.requireBrowser("explorer");
    Prerequisites.require(
        Files.isDirectory(NODE_DIR.resolve("node_modules/@opentelemetry/sdk-trace-base")),
        "the Node.js OpenTelemetry SDK is not installed: npm install --prefix collector/src/test/node");

    collector =
        Collector.builder(TestCollectors.settings(dir, p -> {}))
            .store(store = TestStores.newStore(ExplorerBrowserTest.class))
            .component(
                c -> {
                  AdminApiComponent component =
                      (AdminApiComponent) AdminApiComponent.factory(Tsk.parse(TSK)).create(c);
                  api = component.api();
                  return component;
                })
            .start();

    // One word of letters and digits, so the body's token index can find it.
    String token = "tok" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    sent = json.readTree(node(NODE_DIR, "send-trace.js", Integer.toString(collector.httpPort()), token));
    awaitStored(sent);

    Files.createDirectories(OUT);
    Path sentFile = OUT.resolve("sent.json");
    Files.writeString(sentFile, sent.toString());
    result =
        json.readTree(
            node(BROWSER_DIR, "explorer-check.mjs", "http://127.0.0.1:" + api.admin().port() + "/dashboard",
                sentFile.toAbsolutePath().toString(), OUT.toAbsolutePath().toString(),
                Integer.toString(collector.httpPort())));
  }

  @AfterAll
  static void stop() {
    if (collector != null) {
      collector.shutdown();
    }
  }

  /**
   * The pages read what the API answers: wait (against a deadline) until the spans, their trace-id table
   * rows and the log are stored, then check that the API answers with all of them.
   */
  static void awaitStored(JsonNode sent) throws Exception {
    String traceId = sent.path("traceId").asText();
    String linkedId = sent.path("linkedTraceId").asText();
    Map<String, Object> p = Map.of("db", store.config().database(), "ids", List.of(traceId, linkedId));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<List<Object>> counts = List.of();
    while (System.nanoTime() < deadline) {
      counts =
          store.query(
                  "SELECT (SELECT count() FROM {db:Identifier}.otel_traces WHERE TraceId IN {ids:Array(String)}),"
                      + " (SELECT uniqExact(TraceId) FROM {db:Identifier}.otel_traces_trace_id_ts"
                      + " WHERE TraceId IN {ids:Array(String)}),"
                      + " (SELECT count() FROM {db:Identifier}.otel_logs WHERE TraceId IN {ids:Array(String)})",
                  p)
              .rows();
      if (counts.get(0).equals(List.of((long) sent.path("spans").size() + 1, 2L, 1L))) {
        break;
      }
      Thread.sleep(100);
    }
    HttpResponse<String> t = get("/api/v1/traces/" + traceId);
    HttpResponse<String> linked = get("/api/v1/traces/" + linkedId);
    HttpResponse<String> l =
        get("/api/v1/logs?q=" + URLEncoder.encode(sent.path("token").asText(), StandardCharsets.UTF_8));
    assertThat(counts).as("spans, traces, logs stored").containsExactly(
        List.of((long) sent.path("spans").size() + 1, 2L, 1L));
    assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
    assertThat(json.readTree(t.body()).path("spans").size()).as(t.body()).isEqualTo(sent.path("spans").size());
    assertThat(linked.statusCode()).as(linked.body()).isEqualTo(200);
    assertThat(json.readTree(l.body()).path("items").size()).as(l.body()).isEqualTo(1);
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.admin().port() + path))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String node(Path dir, String... args) throws Exception {
    Files.createDirectories(OUT);
    Path out = Files.createTempFile("explorer-node", ".json");
    Path err = OUT.resolve(args[0] + ".stderr.txt").toAbsolutePath();
    List<String> command = new ArrayList<>(List.of("node"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("node " + args[0] + " did not finish in 180 s; see " + err);
    }
    assertThat(p.exitValue()).as("node %s exit; stderr:\n%s", args[0], Files.readString(err)).isZero();
    return Files.readString(out);
  }

  static List<String> texts(JsonNode array) {
    return DashboardBrowserTest.texts(array);
  }

  String traceId() {
    return sent.path("traceId").asText();
  }

  @Test
  void walkthrough_completesWithoutConsoleErrors() {
    assertThat(result.path("error").asText(null)).isNull();
    assertThat(texts(result.path("steps")))
        .containsExactly("search", "form and back", "empty", "api error", "trace", "span details and link",
            "trace logs", "logs", "tail");
    // The one console error: the browser's own report of the 400 the api-error step provokes.
    assertThat(texts(result.path("consoleErrors")))
        .allSatisfy(e -> assertThat(e).startsWith("api-error: ").contains("400"));
    assertThat(texts(result.path("pageErrors"))).isEmpty();
    assertThat(texts(result.path("failedRequests"))).isEmpty();
    assertThat(texts(result.path("foreignRequests"))).isEmpty();
  }

  @Test
  void search_listsTheServicesTraces_linkingToThem() {
    JsonNode rows = result.path("search").path("rows");
    List<String> ids = new ArrayList<>();
    rows.forEach(r -> ids.add(r.path("traceId").asText()));
    // Newest first: the checkout started after the batch job it links to.
    assertThat(ids).containsExactly(traceId(), sent.path("linkedTraceId").asText());
    JsonNode checkout = rows.get(0);
    assertThat(texts(checkout.path("cells")))
        .contains("explorer-e2e", "GET /checkout/{id}", "120 ms", "4", "1");
    assertThat(checkout.path("href").asText()).isEqualTo("/dashboard/traces/" + traceId());
    assertThat(result.path("search").path("scatterDots").asInt()).isEqualTo(2);
  }

  @Test
  void searchForm_filtersInTheUrl_andBackRestores() {
    assertThat(result.path("filtered").path("url").asText())
        .startsWith("/dashboard/traces?")
        .contains("service=explorer-e2e", "name=SELECT+stock", "error=true", "minDurationMs=20");
    assertThat(texts(result.path("filtered").path("traceIds"))).containsExactly(traceId());
    assertThat(result.path("back").path("url").asText()).isEqualTo("/dashboard/traces?service=explorer-e2e");
    assertThat(result.path("back").path("nameInput").asText()).isEmpty();
    assertThat(texts(result.path("back").path("traceIds"))).hasSize(2);
  }

  @Test
  void emptyAndError_saidSo() {
    assertThat(result.path("empty").asText()).isEqualTo("No traces in this range match these filters.");
    assertThat(result.path("apiError").path("isError").asBoolean()).isTrue();
    assertThat(result.path("apiError").path("status").asText()).contains("minDurationMs");
  }

  @Test
  void trace_spansInParentOrder_indentedAndPlacedOnTheTimeAxis() {
    JsonNode spans = result.path("trace").path("spans");
    assertThat(result.path("trace").path("title").asText()).isEqualTo("explorer-e2e: GET /checkout/{id}");
    assertThat(spans).hasSize(4);
    for (int i = 0; i < 4; i++) {
      JsonNode expected = sent.path("spans").get(i);
      JsonNode shown = spans.get(i);
      assertThat(shown.path("spanId").asText()).as("span %d", i).isEqualTo(expected.path("spanId").asText());
      assertThat(shown.path("parentSpanId").asText()).isEqualTo(expected.path("parentSpanId").asText());
      assertThat(shown.path("name").asText()).isEqualTo(expected.path("name").asText());
      assertThat(shown.path("depth").asInt()).isEqualTo(expected.path("depth").asInt());
      assertThat(shown.path("errorMark").asBoolean()).isEqualTo(expected.path("error").asBoolean());
      assertThat(shown.path("status").asText()).isEqualTo(expected.path("error").asBoolean() ? "Error" : "Unset");
    }
    // "Find" marks the span with the matching attribute (db.system=clickhouse).
    assertThat(result.path("trace").path("find").path("count").asText()).isEqualTo("1 of 4 spans");
    assertThat(texts(result.path("trace").path("find").path("matches")))
        .containsExactly(sent.path("spans").get(2).path("spanId").asText());
    // Indentation by depth; bars at offset / 120 ms: root 0 (100 %), reserve 10 ms, SELECT 15 ms, charge 75 ms.
    assertThat(spans.get(2).path("indent").asDouble()).isGreaterThan(spans.get(1).path("indent").asDouble());
    assertThat(spans.get(1).path("indent").asDouble()).isGreaterThan(spans.get(0).path("indent").asDouble());
    double[][] bars = {{0, 100}, {10 / 1.2, 60 / 1.2}, {15 / 1.2, 30 / 1.2}, {75 / 1.2, 40 / 1.2}};
    for (int i = 0; i < 4; i++) {
      assertThat(spans.get(i).path("barLeft").asDouble())
          .as("left %d", i)
          .isCloseTo(bars[i][0], Offset.offset(0.5));
      assertThat(spans.get(i).path("barWidth").asDouble())
          .as("width %d", i)
          .isCloseTo(bars[i][1], Offset.offset(0.5));
    }
  }

  @Test
  void trace_showsItsLog_linkingToTheLogExplorer() {
    JsonNode logs = result.path("trace").path("logs");
    assertThat(logs).hasSize(1);
    assertThat(texts(logs.get(0).path("cells")))
        .contains("WARN", "explorer-e2e", sent.path("log").path("body").asText());
    assertThat(logs.get(0).path("spanId").asText()).isEqualTo(sent.path("log").path("spanId").asText());
    assertThat(logs.get(0).path("explorer").asText()).startsWith("/dashboard/logs?traceId=" + traceId());
    assertThat(result.path("traceLogs").path("traceIdInput").asText()).isEqualTo(traceId());
    assertThat(result.path("traceLogs").path("rows")).hasSize(1);
  }

  @Test
  void spanDetails_attributesEventsAndLinks() {
    String text = result.path("failingDetail").path("text").asText();
    assertThat(text)
        .contains("SELECT qty FROM stock WHERE sku = ?", "clickhouse", "exception", "DeadlockError",
            "deadlock on <stock> for " + sent.path("token").asText(), "Error: deadlock", "e2e-host");
    assertThat(result.path("failingDetail").path("markup").asInt()).isZero();
    assertThat(result.path("failingDetail").path("url").asText())
        .isEqualTo("?span=" + sent.path("spans").get(2).path("spanId").asText());
    assertThat(texts(result.path("linked").path("spans"))).containsExactly("nightly batch");
    assertThat(result.path("linked").path("selected")).hasSize(1);
  }

  @Test
  void logSearch_findsTheLogByAToken_andLinksToItsTrace() {
    JsonNode rows = result.path("logs").path("rows");
    assertThat(rows).hasSize(1);
    JsonNode row = rows.get(0);
    assertThat(texts(row.path("cells"))).contains("WARN", "explorer-e2e", sent.path("log").path("body").asText());
    assertThat(row.path("severityClass").asText()).contains("sev-warn");
    assertThat(texts(row.path("marked"))).containsExactly(sent.path("token").asText());
    assertThat(row.path("traceHref").asText())
        .isEqualTo("/dashboard/traces/" + traceId() + "?span=" + sent.path("log").path("spanId").asText());
    assertThat(result.path("logs").path("detail").asText()).contains("order.id", traceId());
    assertThat(result.path("logToTrace").path("spans").asInt()).isEqualTo(4);
    assertThat(texts(result.path("logToTrace").path("selected")))
        .containsExactly(sent.path("log").path("spanId").asText());
  }

  @Test
  void liveTail_showsALogSentWhileWatching() {
    JsonNode tail = result.path("tail");
    assertThat(tail.path("live").asBoolean()).isTrue();
    assertThat(tail.path("before").asText()).contains("No logs in this range");
    assertThat(tail.path("rows")).hasSize(1);
    assertThat(texts(tail.path("rows").get(0))).contains("ERROR", "tail sees tail" + sent.path("token").asText());
    assertThat(tail.path("polls").asInt()).isPositive();
    assertThat(tail.path("url").asText()).doesNotContain("live=1");
  }

  @Test
  void screenshots_kept() throws Exception {
    for (String png : List.of("trace.png", "logs.png")) {
      assertThat(OUT.resolve(png)).isRegularFile();
      assertThat(Files.size(OUT.resolve(png))).isGreaterThan(10_000);
    }
  }
}
