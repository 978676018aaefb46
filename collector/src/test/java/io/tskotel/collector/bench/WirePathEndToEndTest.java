package io.tskotel.collector.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.tskotel.collector.pipeline.Admission;
import io.tskotel.collector.pipeline.BatcherConfig;
import io.tskotel.collector.pipeline.IngestSink;
import io.tskotel.collector.pipeline.Pipeline;
import io.tskotel.collector.pipeline.PipelineConfig;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.collector.telemetry.CollectorMetrics;
import io.tskotel.collector.testing.OtlpRequests;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.testing.ChdbTestEngine;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator's realistic requests through the real pipeline (queue → batcher → the embedded engine),
 * where traces and logs stay serialized and are encoded on the wire, against the very same requests parsed
 * and written through the object path ({@code writeTraces} / {@code writeLogs}) into a second database: the
 * rows read back are equal, column for column.
 */
class WirePathEndToEndTest {
  @TempDir Path dir;

  private String wireDb;
  private String objectDb;
  private ClickHouseStore wireStore;
  private ClickHouseStore objectStore;

  @BeforeEach
  void setUp() throws Exception {
    wireDb = ChdbTestEngine.newDatabase(WirePathEndToEndTest.class);
    objectDb = ChdbTestEngine.newDatabase(WirePathEndToEndTest.class);
    wireStore = ClickHouseStore.create(StoreConfig.builder().database(wireDb).build(), ChdbTestEngine.shared());
    objectStore = ClickHouseStore.create(StoreConfig.builder().database(objectDb).build(), ChdbTestEngine.shared());
  }

  @AfterEach
  void tearDown() {
    ChdbTestEngine.dropDatabase(wireDb);
    ChdbTestEngine.dropDatabase(objectDb);
  }

  private static Payloads payloads(LoadConfig.Signal signal) {
    LoadConfig load = new LoadConfig(signal, LoadConfig.Protocol.GRPC, URI.create("http://127.0.0.1:4317"), null,
        1, 8, 0, Duration.ofSeconds(1), 0, 100, 3, 10, 0.05, 10, null, null, Duration.ofSeconds(60));
    // Fresh timestamps: the rows reach tables with a TTL.
    return new Payloads(load, 7, System.currentTimeMillis() * 1_000_000L);
  }

  private List<List<Object>> rows(String db, String table, String order) throws Exception {
    QueryResult r = wireStore.query("SELECT * FROM {db:Identifier}.{t:Identifier} ORDER BY " + order,
        Map.of("db", db, "t", table));
    return r.rows();
  }

  @Test
  void pipeline_realisticTracesAndLogs_sameRowsAsTheObjectPath() throws Exception {
    List<byte[]> traces = new ArrayList<>();
    List<ResourceSpans> parsedTraces = new ArrayList<>();
    Payloads tracePayloads = payloads(LoadConfig.Signal.TRACES);
    for (int i = 0; i < 8; i++) {
      ExportTraceServiceRequest r = (ExportTraceServiceRequest) tracePayloads.request(i);
      traces.add(r.toByteArray());
      parsedTraces.addAll(r.getResourceSpansList());
    }
    // A span with an invalid UTF-8 name: counted on the wire, refused by the encoder's parser, dead-lettered.
    byte[] poison = OtlpRequests.traces(99, 2, "POISON").toByteArray();
    for (int i = 0; i + 6 <= poison.length; i++) {
      if (new String(poison, i, 6, java.nio.charset.StandardCharsets.ISO_8859_1).equals("POISON")) {
        poison[i] = (byte) 0xFF;
      }
    }
    List<byte[]> logs = new ArrayList<>();
    List<ResourceLogs> parsedLogs = new ArrayList<>();
    Payloads logPayloads = payloads(LoadConfig.Signal.LOGS);
    for (int i = 0; i < 8; i++) {
      ExportLogsServiceRequest r = (ExportLogsServiceRequest) logPayloads.request(i);
      logs.add(r.toByteArray());
      parsedLogs.addAll(r.getResourceLogsList());
    }

    Pipeline pipeline = Pipeline.builder(PipelineConfig.builder(dir.resolve("queue"))
        .batch(BatcherConfig.builder().maxItems(300).maxDelay(Duration.ofMillis(50)).build()).build(), wireStore)
        .start();
    IngestSink sink = pipeline.sink();
    for (int i = 0; i < traces.size(); i++) {
      assertThat(sink.admit(Signal.TRACES, traces.get(i), 100).outcome()).isEqualTo(Admission.Outcome.ACCEPTED);
      if (i == 3) {
        assertThat(sink.admit(Signal.TRACES, poison, 2).outcome()).isEqualTo(Admission.Outcome.ACCEPTED);
      }
    }
    for (byte[] l : logs) {
      assertThat(sink.admit(Signal.LOGS, l, 100).outcome()).isEqualTo(Admission.Outcome.ACCEPTED);
    }
    assertThat(pipeline.shutdown()).isTrue();
    objectStore.writeTraces(parsedTraces);
    objectStore.writeLogs(parsedLogs);

    List<List<Object>> wireSpans = rows(wireDb, "otel_traces", "TraceId, SpanId");
    assertThat(wireSpans).hasSize(800).isEqualTo(rows(objectDb, "otel_traces", "TraceId, SpanId"));
    List<List<Object>> wireLogs = rows(wireDb, "otel_logs", "Timestamp, TraceId, SpanId, Body");
    assertThat(wireLogs).hasSize(800).isEqualTo(rows(objectDb, "otel_logs", "Timestamp, TraceId, SpanId, Body"));
    CollectorMetrics metrics = pipeline.metrics();
    assertThat(metrics.value(CollectorMetrics.WRITTEN, Map.of("signal", "traces"))).isEqualTo(800);
    assertThat(metrics.value(CollectorMetrics.DROPPED,
        Map.of("signal", "traces", "reason", "permanent_store_error"))).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("queue/deadletter/traces.dlq.txt"))).contains("undecodable request");
    assertThat(wireStore.stats()).containsEntry("rows_written.otel_traces", 800L);
  }

  @Test
  void pipeline_undecodableStructure_deadLetteredBeforeEncoding() throws Exception {
    Pipeline pipeline = Pipeline.builder(PipelineConfig.builder(dir.resolve("queue"))
        .batch(BatcherConfig.builder().maxItems(300).maxDelay(Duration.ofMillis(5)).build()).build(), wireStore)
        .start();
    // A resource whose length runs past the end: the wire count refuses it, as the parse did.
    pipeline.sink().admit(Signal.LOGS, new byte[] {0x0A, 0x7F, 0x12, 0x00}, 1);
    pipeline.sink().admit(Signal.LOGS, OtlpRequests.logs(1, 3).toByteArray(), 3);
    assertThat(pipeline.shutdown()).isTrue();
    assertThat(rows(wireDb, "otel_logs", "Timestamp")).hasSize(3);
    assertThat(pipeline.metrics().value(CollectorMetrics.DROPPED,
        Map.of("signal", "logs", "reason", "undecodable"))).isEqualTo(1);
  }
}
