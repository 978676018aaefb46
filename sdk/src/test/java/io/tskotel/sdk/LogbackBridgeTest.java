package io.tskotel.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tskotel.tsk.Tsk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An application logging through SLF4J/Logback with the OpenTelemetry appender (logback-test.xml): TskTelemetry
 * installs its SDK into the appender, so those records are OpenTelemetry records with the current trace ids,
 * filtered by {@code log_level} and written to the same log file as {@code logInfo}'s.
 */
class LogbackBridgeTest {
  private static final Logger log = LoggerFactory.getLogger("com.example.checkout");

  @TempDir Path dir;

  @Test
  @SuppressWarnings("try") // the scope is used for its effect: the trace is current inside
  void slf4jRecords_becomeOpenTelemetryRecords_withTraceIds() throws Exception {
    InMemoryLogRecordExporter exported = InMemoryLogRecordExporter.create();
    Path file = dir.resolve("app.log");
    String tsk = "[telemetry]\nexporter: \"none\"\n[logging]\nlog_level: \"warn\"\nlog_file: \"" + file + "\"\n";
    try (TskTelemetry t = TskTelemetry.builder(Tsk.parse(tsk)).environment(Map.of())
        .customize(c -> c
            .addTracerProviderCustomizer((tracers, config) ->
                tracers.addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create())))
            .addLoggerProviderCustomizer((loggers, config) ->
                loggers.addLogRecordProcessor(SimpleLogRecordProcessor.create(exported))))
        .build()) {
      Trace trace = t.startTrace("checkout");
      try (var ignored = trace.makeCurrent()) {
        log.info("cart loaded");
        log.warn("payment slow: {} ms", 1200);
      }
      t.endTrace(trace);
      t.forceFlush(Duration.ofSeconds(10));

      List<LogRecordData> records = exported.getFinishedLogRecordItems();
      assertThat(records).extracting(r -> r.getBodyValue().asString())
          .containsExactly("cart loaded", "payment slow: 1200 ms");
      assertThat(records.get(1).getSeverity()).isEqualTo(Severity.WARN);
      assertThat(records).allSatisfy(r -> assertThat(r.getSpanContext().getTraceId()).isEqualTo(trace.traceId()));
      // The local file keeps log_level: warn.
      assertThat(Files.readString(file)).contains("payment slow: 1200 ms").doesNotContain("cart loaded")
          .contains(trace.traceId());
    }
  }
}
