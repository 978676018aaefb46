package io.tskotel.collector.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
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
 * The load generator's realistic requests (and one metric of every other type) through the real pipeline
 * (queue → batcher → the embedded engine), where they stay serialized and are encoded on the wire, against the
 * very same requests parsed and written through the object path ({@code writeTraces} / {@code writeLogs} /
 * {@code writeMetrics}) into a second database: the rows read back are equal, column for column.
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
  void pipeline_realisticTracesLogsAndMetrics_sameRowsAsTheObjectPath() throws Exception {
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

    List<byte[]> metrics = new ArrayList<>();
    List<ResourceMetrics> parsedMetrics = new ArrayList<>();
    Payloads metricPayloads = payloads(LoadConfig.Signal.METRICS);
    for (int i = 0; i < 4; i++) {
      ExportMetricsServiceRequest r = (ExportMetricsServiceRequest) metricPayloads.request(i);
      metrics.add(r.toByteArray());
      parsedMetrics.addAll(r.getResourceMetricsList());
    }
    ExportMetricsServiceRequest allTypes = everyMetricType(System.currentTimeMillis() * 1_000_000L);
    metrics.add(allTypes.toByteArray());
    parsedMetrics.addAll(allTypes.getResourceMetricsList());

    Pipeline pipeline = Pipeline.builder(PipelineConfig.builder(dir.resolve("queue"))
        .batch(BatcherConfig.builder().maxItems(300).maxDelay(Duration.ofMillis(50)).build()).build(), wireStore)
        .start();
    IngestSink sink = pipeline.sink();
    for (byte[] m : metrics) {
      int points = io.tskotel.collector.pipeline.internal.SignalWriter.of(Signal.METRICS).decode(m).items();
      assertThat(sink.admit(Signal.METRICS, m, points).outcome()).isEqualTo(Admission.Outcome.ACCEPTED);
    }
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
    objectStore.writeMetrics(parsedMetrics);

    List<List<Object>> wireSpans = rows(wireDb, "otel_traces", "TraceId, SpanId");
    assertThat(wireSpans).hasSize(800).isEqualTo(rows(objectDb, "otel_traces", "TraceId, SpanId"));
    List<List<Object>> wireLogs = rows(wireDb, "otel_logs", "Timestamp, TraceId, SpanId, Body");
    assertThat(wireLogs).hasSize(800).isEqualTo(rows(objectDb, "otel_logs", "Timestamp, TraceId, SpanId, Body"));
    List<List<Object>> wireGauges = rows(wireDb, "otel_metrics_gauge", "MetricName, TimeUnix, Value");
    assertThat(wireGauges).hasSize(400)
        .isEqualTo(rows(objectDb, "otel_metrics_gauge", "MetricName, TimeUnix, Value"));
    for (String table : List.of("otel_metrics_sum", "otel_metrics_histogram",
        "otel_metrics_exponential_histogram", "otel_metrics_summary")) {
      assertThat(rows(wireDb, table, "MetricName")).as(table).hasSize(1)
          .isEqualTo(rows(objectDb, table, "MetricName"));
    }
    CollectorMetrics collectorMetrics = pipeline.metrics();
    assertThat(collectorMetrics.value(CollectorMetrics.WRITTEN, Map.of("signal", "metrics")))
        .isEqualTo(wireGauges.size() + 4);
    assertThat(collectorMetrics.value(CollectorMetrics.WRITTEN, Map.of("signal", "traces"))).isEqualTo(800);
    assertThat(collectorMetrics.value(CollectorMetrics.DROPPED,
        Map.of("signal", "traces", "reason", "permanent_store_error"))).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("queue/deadletter/traces.dlq.txt"))).contains("undecodable request");
    assertThat(wireStore.stats()).containsEntry("rows_written.otel_traces", 800L);
  }

  /** A sum, a histogram, an exponential histogram and a summary, one point each, with an exemplar. */
  private static ExportMetricsServiceRequest everyMetricType(long now) {
    Exemplar exemplar = Exemplar.newBuilder().setTimeUnixNano(now).setAsInt(3)
        .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})).build();
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(OtlpRequests.resource("wire-e2e")).addScopeMetrics(ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("sum").setSum(Sum.newBuilder().setIsMonotonic(true)
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(now).setAsInt(5)
                    .addExemplars(exemplar))))
            .addMetrics(Metric.newBuilder().setName("hist").setHistogram(Histogram.newBuilder()
                .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(now).setCount(3).setSum(1.5)
                    .addBucketCounts(1).addBucketCounts(2).addExplicitBounds(0.25).setMin(0.1).setMax(1))))
            .addMetrics(Metric.newBuilder().setName("exp").setExponentialHistogram(ExponentialHistogram.newBuilder()
                .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(now).setScale(-2)
                    .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(-1)
                        .addBucketCounts(4)))))
            .addMetrics(Metric.newBuilder().setName("summary").setSummary(Summary.newBuilder()
                .addDataPoints(SummaryDataPoint.newBuilder().setTimeUnixNano(now).setCount(2).setSum(3)
                    .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5)
                        .setValue(1.5))))))).build();
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
