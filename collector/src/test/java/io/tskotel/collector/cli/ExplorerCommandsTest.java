package io.tskotel.collector.cli;

import static io.tskotel.collector.query.ExplorerFixture.CART;
import static io.tskotel.collector.query.ExplorerFixture.FAST;
import static io.tskotel.collector.query.ExplorerFixture.STOCK;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.tskotel.collector.api.ApiServerFixture;
import io.tskotel.collector.query.ExplorerFixture;
import io.tskotel.collector.query.QueryFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code tskotel traces}, {@code trace} and {@code logs [--follow]} against a running admin API. */
class ExplorerCommandsTest {
  @RegisterExtension static final ApiServerFixture api = ApiServerFixture.explorer(ExplorerCommandsTest.class);

  private static CliRun run(String... args) {
    return CliRun.run(api.url(), args);
  }

  @Test
  void traces_tableWithFilters() {
    CliRun r = run("traces", "--min-duration", "40ms");
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).startsWith("TRACE ID").contains("DURATION").contains("SERVICES");
    assertThat(lines.get(1)).startsWith(CART).contains("40 ms").contains("checkout,payments");
    assertThat(lines.get(2)).startsWith(STOCK).contains("300 ms");
    assertThat(lines).hasSize(3);
    CliRun errors = run("traces", "--error", "--service", "checkout", "--limit", "1");
    assertThat(errors.out()).contains(FAST).doesNotContain(CART);
    assertThat(run("traces", "--attr", "tenant=acme").out()).contains(CART).doesNotContain(STOCK);
    assertThat(run("traces", "--sort", "slowest", "--limit", "1").out()).contains(STOCK).contains("More: --offset 1");
  }

  @Test
  void traces_badArgumentsExit1WithTheApiMessage() {
    CliRun r = run("traces", "--limit", "500", "--sort", "up");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("HTTP 400").contains("limit: 500 (expected: 1..100)")
        .contains("sort: \"up\" (expected: newest or slowest)");
    assertThat(run("traces", "--min-duration", "soon").err()).contains("--min-duration: \"soon\"");
  }

  @Test
  void trace_waterfallThenLogs() {
    CliRun r = run("trace", CART);
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("Trace " + CART + "  2026-03-10T11:50:00Z  40 ms  4 spans");
    assertThat(lines.get(1)).startsWith("SPAN").contains("TIMELINE");
    assertThat(lines.get(2)).startsWith("GET /cart ").contains("|" + "=".repeat(30) + "|");
    assertThat(lines.get(3)).startsWith("  SELECT cart ");
    assertThat(lines.get(4)).startsWith("  charge ").contains("Error");
    assertThat(lines.get(5)).startsWith("    db ");
    assertThat(r.out()).contains("event exception in charge at +18 ms")
        .contains("Logs:\n2026-03-10T11:50:00.003Z  INFO   checkout  span=a000000000000001  cart loaded for user 42");
    CliRun missing = run("trace", ExplorerFixture.NO_SUCH);
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("HTTP 404: trace " + ExplorerFixture.NO_SUCH + " not found");
  }

  @Test
  void logs_oldestFirstWithFilters() throws Exception {
    CliRun r = run("logs", "--service", "ticker", "--limit", "2");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines().map(l -> l.substring(l.lastIndexOf("  ") + 2)).toList())
        .containsExactly("tick 4", "tick 5");
    assertThat(run("logs", "-q", "expired", "--severity", "error").out())
        .contains("ERROR  payments  trace=" + CART + "  Payment declined");
    assertThat(run("logs", "--trace-id", CART).out().lines()).hasSize(2);
    assertThat(run("logs", "--attr", "db=main").out()).contains("slow query detected on stock");
    assertThat(run("logs", "--service", "nobody").out()).isEqualTo("No logs.\n");
    var json = new ObjectMapper().readTree(run("logs", "--service", "inventory", "--json").out());
    assertThat(json.path("items").get(0).path("body").asText()).isEqualTo("slow query detected on stock");
  }

  @Test
  void logsFollow_printsNewRecordsUntilInterrupted() throws Exception {
    StringWriter sink = new StringWriter();
    PrintWriter out = new PrintWriter(sink, true);
    AtomicInteger exit = new AtomicInteger(-1);
    Thread follower = new Thread(() -> exit.set(CliRun.execute(api.url(), out, new StringWriter(),
        "logs", "--service", "follow-me", "--follow", "--interval", "100ms")));
    follower.start();
    try {
      // The collector's clock stands still at NOW: a record 30 s before it is "new" to the tail.
      api.store().writeLogs(List.of(record("first", QueryFixture.NOW.minusSeconds(40))));
      awaitOutput(sink, "first");
      api.store().writeLogs(List.of(record("second", QueryFixture.NOW.minusSeconds(30))));
      awaitOutput(sink, "second");
    } finally {
      follower.interrupt();
      follower.join(Duration.ofSeconds(30));
    }
    assertThat(follower.isAlive()).isFalse();
    assertThat(exit.get()).isZero();
    String text;
    synchronized (sink) {
      text = sink.toString();
    }
    assertThat(text.indexOf("first")).isLessThan(text.indexOf("second"));
    assertThat(text.split("first", -1)).hasSize(2); // printed once
  }

  private static void awaitOutput(StringWriter sink, String text) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (!sink.toString().contains(text)) {
      assertThat(Instant.now()).as("waiting for %s in %s", text, sink).isBefore(deadline);
      Thread.sleep(50);
    }
  }

  private static ResourceLogs record(String body, Instant t) {
    return ResourceLogs.newBuilder()
        .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder()
            .addAttributes(io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue("follow-me"))))
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder()
            .setTimeUnixNano(t.getEpochSecond() * 1_000_000_000L + t.getNano())
            .setSeverityNumberValue(9)
            .setSeverityText("INFO")
            .setBody(AnyValue.newBuilder().setStringValue(body))))
        .build();
  }
}
