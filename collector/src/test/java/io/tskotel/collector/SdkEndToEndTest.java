package io.tskotel.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.context.Scope;
import io.tskotel.collector.cli.Main;
import io.tskotel.collector.testing.ChildJvm;
import io.tskotel.sdk.Trace;
import io.tskotel.sdk.TskTelemetry;
import io.tskotel.tsk.Tsk;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must-show for the sdk: an application using {@link TskTelemetry} sends to a real {@code tskotel run} (its own
 * process: chDB allows one data path per process) over OTLP/gRPC with the bearer token from its TSK file; the
 * collector stores into the embedded engine; then the collector's query functions answer exactly what the
 * application recorded — {@code getMetrics} (asked through the SDK, with the admin token from TSK), {@code
 * revenueToday}, {@code paymentSuccessRate}, {@code errorRate} — and its spans and logs are stored with matching
 * trace ids.
 */
class SdkEndToEndTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final Pattern ADMIN = Pattern.compile("admin API listening on http://[^:]+:(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN_TOKEN = "adm1n-token";
  private static final String INGEST_TOKEN = "ingest-s3cret";

  @TempDir Path dir;

  private final List<ChildJvm> children = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    for (ChildJvm c : children) {
      c.process().destroy();
      if (!c.process().waitFor(30, TimeUnit.SECONDS)) {
        c.destroyForcibly();
      }
    }
  }

  private ChildJvm startCollector() throws Exception {
    Path config = dir.resolve("collector.tsk");
    Files.writeString(config, """
        [collector]
        grpc_host: "127.0.0.1"
        grpc_port: 0
        http_host: "127.0.0.1"
        http_port: 0
        auth_token: "%s"
        queue_dir: "%s"
        self_telemetry_interval: "0s"
        [admin]
        port: 0
        grpc_port: -1
        token: "%s"
        [storage]
        data_path: "%s"
        batch_max_items: 1000
        batch_max_delay: "50ms"
        [query]
        spans_fujsen = '''
        SELECT TraceId, SpanId, SpanName FROM {db:Identifier}.otel_traces
        WHERE ServiceName = {service:String} ORDER BY Timestamp
        '''
        logs_fujsen = '''
        SELECT TraceId, SpanId, Body FROM {db:Identifier}.otel_logs
        WHERE ServiceName = {service:String} ORDER BY Timestamp
        '''
        """.formatted(INGEST_TOKEN, dir.resolve("queue"), ADMIN_TOKEN, dir.resolve("chdb")));
    ChildJvm child = ChildJvm.start(dir, "collector", Main.class.getName(), "run", "--config", config.toString());
    children.add(child);
    return child;
  }

  private static int adminPort(ChildJvm child) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      Matcher m = ADMIN.matcher(child.stderr());
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      assertThat(child.process().isAlive()).as("collector alive; stderr:%n%s", child.stderr()).isTrue();
      assertThat(System.nanoTime()).as("admin API listening").isLessThan(deadline);
      LockSupport.parkNanos(50_000_000);
    }
  }

  private JsonNode api(int port, String pathAndQuery) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .header("Authorization", "Bearer " + ADMIN_TOKEN).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s: %s", pathAndQuery, r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** Polls until {@code path}'s {@code value} is {@code expected} (the batcher writes within ~50 ms of arrival). */
  private double awaitValue(int port, String path, double expected) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    double value;
    while ((value = api(port, path).path("value").asDouble()) != expected) {
      assertThat(System.nanoTime()).as("%s reaching %s (now %s)", path, expected, value).isLessThan(deadline);
      LockSupport.parkNanos(100_000_000);
    }
    return value;
  }

  private List<JsonNode> rows(int port, String fujsen, int atLeast) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      List<JsonNode> rows = new ArrayList<>();
      api(port, "/api/v1/query/" + fujsen + "?service=shop").path("rows").forEach(rows::add);
      if (rows.size() >= atLeast) {
        return rows;
      }
      assertThat(System.nanoTime()).as("%s rows stored", fujsen).isLessThan(deadline);
      LockSupport.parkNanos(100_000_000);
    }
  }

  /** revenueToday counts from midnight UTC: do not record just before it and read just after. */
  private static void awayFromMidnight() {
    LocalTime now = LocalTime.now(ZoneOffset.UTC);
    if (now.isAfter(LocalTime.of(23, 59, 0))) {
      LockSupport.parkNanos(Duration.between(now, LocalTime.MAX).plusSeconds(2).toNanos());
    }
  }

  @Test
  void app_throughTskotelRun_queryFunctionsAnswerWhatItRecorded() throws Exception {
    ChildJvm collector = startCollector();
    int grpcPort = collector.awaitListening(DEADLINE)[0];
    int adminPort = adminPort(collector);
    awayFromMidnight();

    String appTsk = """
        [telemetry]
        service_name: "shop"
        otlp_endpoint: "http://127.0.0.1:%d"
        auth_token: "%s"
        query_url: "http://127.0.0.1:%d"
        query_token: "%s"
        [tracing]
        trace_sampler: 1.0
        [metrics]
        response_time: @metric("histogram", "response_time_seconds", "s")
        """.formatted(grpcPort, INGEST_TOKEN, adminPort, ADMIN_TOKEN);
    double[] durations = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
    int[] statuses = {200, 200, 500, 200, 404, 200, 200, 503, 200, 200};
    Set<String> traceIds = new HashSet<>();
    try (TskTelemetry app = TskTelemetry.builder(Tsk.parse(appTsk)).environment(Map.of()).build()) {
      for (int i = 0; i < durations.length; i++) {
        Trace trace = app.startTrace("GET /cart");
        traceIds.add(trace.traceId());
        try (Scope ignored = trace.makeCurrent()) {
          app.logRequest("req-" + i, "GET", "/cart", statuses[i], durations[i], "user-" + i);
        }
        app.endTrace(trace, statuses[i] >= 500 ? "ERROR" : "OK", null);
      }
      app.trackPayment(100, true, "card");
      app.trackPayment(50, true, "paypal");
      app.trackPayment(25, false, "card");
      app.trackPayment(10, false, "card");
      assertThat(app.forceFlush(Duration.ofSeconds(30))).as("flushed; collector:%n%s", collector.stderr()).isTrue();

      // The collector's own functions, over its admin API.
      assertThat(awaitValue(adminPort, "/api/v1/revenue-today", 150)).isEqualTo(150);
      assertThat(awaitValue(adminPort, "/api/v1/payment-success-rate?window=1h", 50)).isEqualTo(50);
      // 3 of 10 requests at or above 400; the app's spans are internal, so the counters answer.
      assertThat(awaitValue(adminPort, "/api/v1/error-rate?window=5m", 30)).isEqualTo(30);

      // get_metrics through the SDK (query_url and admin token from its TSK).
      assertThat(app.getMetrics("requests_total", "1h", "sum")).containsExactly(10.0);
      assertThat(app.getMetrics("errors_total", "1h", "sum")).containsExactly(3.0);
      assertThat(app.getMetrics("response_time_seconds", "1h", "avg")).singleElement()
          .satisfies(v -> assertThat(v).isCloseTo(0.55, within(1e-9)));
      assertThat(app.getMetrics("response_time_seconds", "1h", "count")).containsExactly(10.0);
      assertThat(app.getMetrics("response_time_seconds", "1h", "max")).containsExactly(1.0);
      assertThat(app.getMetrics("payments_total", "1h", "sum", Map.of("success", "false"))).containsExactly(2.0);
      assertThat(app.getMetrics("transaction_volume_total", "1h", "sum")).containsExactly(2.0);
      assertThat(app.getMetrics("no_such_metric", "1h", "avg")).isEmpty();
    }

    // Spans and logs, with the trace ids the app saw.
    List<JsonNode> spans = rows(adminPort, "spans", 10);
    assertThat(spans).hasSize(10);
    assertThat(spans).extracting(r -> r.get(0).asText()).containsExactlyInAnyOrderElementsOf(traceIds);
    assertThat(spans).allSatisfy(r -> assertThat(r.get(2).asText()).isEqualTo("GET /cart"));
    List<JsonNode> logs = rows(adminPort, "logs", 14);
    List<JsonNode> requestLogs = logs.stream().filter(r -> r.get(2).asText().equals("HTTP Request")).toList();
    assertThat(requestLogs).hasSize(10);
    for (JsonNode log : requestLogs) {
      JsonNode span = spans.stream().filter(s -> s.get(1).asText().equals(log.get(1).asText())).findFirst()
          .orElseThrow(() -> new AssertionError("no stored span " + log.get(1) + " for log " + log));
      assertThat(log.get(0).asText()).isEqualTo(span.get(0).asText());
    }
    assertThat(logs.stream().filter(r -> r.get(2).asText().startsWith("payment "))).hasSize(4);
  }
}
