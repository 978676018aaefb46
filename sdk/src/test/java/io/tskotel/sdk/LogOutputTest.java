package io.tskotel.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tskotel.tsk.Tsk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [logging]}: log lines in json or text, to a file that rotates by size and by day, or to the console. */
class LogOutputTest {
  @TempDir Path dir;

  private TskTelemetry telemetry(String logging, Clock clock, PrintStream console) {
    String tsk = "[telemetry]\nexporter: \"none\"\n[logging]\n" + logging;
    // Spans record (and logs carry their ids) only when a processor takes them; exporter "none" has none.
    return TskTelemetry.builder(Tsk.parse(tsk)).environment(Map.of()).clock(clock).console(console)
        .customize(c -> c.addTracerProviderCustomizer((tracers, config) -> tracers.addSpanProcessor(
            io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(
                io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create()))))
        .build();
  }

  private static Map<String, String> parse(String line) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (JsonParser p = new JsonFactory().createParser(line)) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        out.put(name, p.getValueAsString());
      }
    }
    return out;
  }

  @Test
  @SuppressWarnings("try") // the scope is used for its effect: the trace is current inside
  void jsonFile_oneObjectPerRecord_withTraceIdsAndContext() throws IOException {
    Path file = dir.resolve("logs/app.log");
    String trace;
    try (TskTelemetry t = telemetry("log_format: \"json\"\nlog_file: \"" + file + "\"\n", Clock.systemUTC(),
        System.out)) {
      Trace tr = t.startTrace("op");
      trace = tr.traceId();
      try (var ignored = tr.makeCurrent()) {
        t.logInfo("user signed in", Map.of("user_id", "u1", "attempt", 2));
      }
      t.endTrace(tr);
      t.logRequest("r1", "GET", "/cart", 503, 0.25, null);
      t.logError("boom", new IllegalStateException("bad"), Map.of());
    }

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(3);
    Map<String, String> first = parse(lines.get(0));
    assertThat(first).containsEntry("level", "INFO").containsEntry("message", "user signed in")
        .containsEntry("user_id", "u1").containsEntry("attempt", "2").containsEntry("trace_id", trace)
        .containsKey("timestamp").containsKey("span_id");
    assertThat(Instant.parse(first.get("timestamp"))).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(
        Duration.ofMinutes(1).toMillis(), java.time.temporal.ChronoUnit.MILLIS));
    assertThat(parse(lines.get(1))).containsEntry("message", "HTTP Request").containsEntry("request_id", "r1")
        .containsEntry("http.response.status_code", "503").containsEntry("duration", "0.25");
    assertThat(parse(lines.get(2))).containsEntry("level", "ERROR").containsEntry("exception.message", "bad");
  }

  @Test
  void textConsole_oneLinePerRecord() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TskTelemetry t = telemetry("log_format: \"text\"\nlog_console: true\nlog_level: \"warn\"\n",
        Clock.systemUTC(), new PrintStream(out, true, StandardCharsets.UTF_8))) {
      t.logInfo("not shown");
      t.trackPayment(10, false, "card");
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text.lines()).singleElement().asString()
        .matches("\\[\\d{4}-\\d\\d-\\d\\dT[^]]+Z] WARN: payment failed amount=10\\.0 payment_method=card");
  }

  @Test
  void fileRotation_bySize_keepsMaxFiles() throws IOException {
    Path file = dir.resolve("app.log");
    try (TskTelemetry t = telemetry("log_file: \"" + file + "\"\nlog_max_bytes: 2048\nlog_max_files: 2\n"
        + "log_rotation: \"size\"\n", Clock.systemUTC(), System.out)) {
      for (int i = 0; i < 100; i++) {
        t.logInfo("message number " + i + " " + "x".repeat(100));
        if (i % 10 == 9) {
          t.forceFlush(Duration.ofSeconds(10));
        }
      }
    }
    assertThat(file).exists();
    assertThat(dir.resolve("app.log.1")).exists();
    assertThat(dir.resolve("app.log.2")).exists();
    assertThat(dir.resolve("app.log.3")).doesNotExist();
    for (Path p : List.of(file, dir.resolve("app.log.1"), dir.resolve("app.log.2"))) {
      assertThat(Files.size(p)).isLessThanOrEqualTo(2048);
    }
    assertThat(Files.readString(file)).contains("message number 99 ");
  }

  @Test
  void fileRotation_daily_newFileAfterMidnight() throws IOException {
    Path file = dir.resolve("app.log");
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-03-01T23:59:00Z"));
    Clock clock = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
    try (TskTelemetry t = telemetry("log_file: \"" + file + "\"\nlog_rotation: \"daily\"\n", clock, System.out)) {
      t.logInfo("before midnight");
      t.forceFlush(Duration.ofSeconds(10));
      now.set(Instant.parse("2026-03-02T00:00:01Z"));
      t.logInfo("after midnight");
    }
    assertThat(Files.readString(dir.resolve("app.log.1"))).contains("before midnight").doesNotContain("after");
    assertThat(Files.readString(file)).contains("after midnight").doesNotContain("before");
  }
}
