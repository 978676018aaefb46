package io.tskotel.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExemplarData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongExemplarData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tskotel.collector.pipeline.QueueDepth;
import io.tskotel.collector.receiver.JavaSdkExporters;
import io.tskotel.collector.receiver.JavaSdkExporters.Transport;
import io.tskotel.collector.receiver.JavaSdkScenario;
import io.tskotel.collector.testing.TestCollectors;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Must-show: the Java OpenTelemetry SDK's real OTLP exporters (gRPC and HTTP/protobuf) send traces,
 * metrics (gauge, sum, histogram, exponential histogram) and logs, plus a hand-made summary (no SDK makes
 * one), through a running {@link Collector}: receivers → durable queue → batcher → the embedded store
 * (chDB). The store must then hold exactly what the SDK exported: ids, attributes, timestamps to the
 * nanosecond, counts.
 */
class SdkToStoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private static ClickHouseStore store;
  private static Collector collector;
  private static String db;

  @BeforeAll
  static void start() throws Exception {
    // The scenario's spans and logs are from 2023: keep them (TTL 0) instead of dropping them as expired.
    store = TestStores.newStore(SdkToStoreTest.class,
        b -> b.ttl("traces", Duration.ZERO).ttl("logs", Duration.ZERO).ttl("metrics", Duration.ZERO));
    db = store.config().database();
    collector = Collector.builder(TestCollectors.settings(dir, p -> {})).store(store).start();
  }

  @AfterAll
  static void stop() {
    if (collector != null) {
      assertThat(collector.shutdown()).as("drained").isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void export_javaSdkThroughTheCollector_storeHoldsExactlyWhatWasSent(Transport transport) throws Exception {
    String label = "store-" + transport.name().toLowerCase(Locale.ROOT);
    int port = transport == Transport.GRPC ? collector.grpcPort() : collector.httpPort();
    JavaSdkExporters exporters = JavaSdkExporters.plain(transport, "http://127.0.0.1:" + port, false);

    List<SpanData> spans = JavaSdkScenario.sendTraces(exporters.spans(), label);
    List<MetricData> metrics = new ArrayList<>();
    JavaSdkScenario.sendMetrics(exporters.metrics(), label, metrics::addAll);
    List<LogRecordData> logs = JavaSdkScenario.sendLogs(exporters.logs(), label);
    ExportMetricsServiceRequest summary = summaryRequest(label);
    sendByHand(transport, summary);
    awaitQueuesWritten();

    assertSpansStored(spans, label);
    assertMetricsStored(metrics, label);
    assertLogsStored(logs, label);
    assertSummaryStored(summary, label);
  }

  /** Every acknowledged request is in the store once the queues hold nothing uncommitted. */
  private static void awaitQueuesWritten() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (collector.queueDepths().values().stream().mapToLong(QueueDepth::records).sum() > 0) {
      assertThat(System.nanoTime()).as("queues written: %s", collector.queueDepths()).isLessThan(deadline);
      LockSupport.parkNanos(5_000_000);
    }
  }

  private static List<List<Object>> rows(String sql, String label) throws StoreException {
    return store.query(sql.replace("$db", "`" + db + "`"), Map.of("label", label)).rows();
  }

  // ---- traces ----

  private static void assertSpansStored(List<SpanData> sent, String label) throws StoreException {
    List<List<Object>> stored = rows("SELECT SpanId, TraceId, ParentSpanId, TraceState, SpanName, SpanKind,"
        + " ServiceName, ResourceAttributes, ScopeName, ScopeVersion, SpanAttributes, Timestamp, Duration,"
        + " StatusCode, StatusMessage, Events.Timestamp, Events.Name, Events.Attributes, Links.TraceId,"
        + " Links.SpanId, Links.TraceState, Links.Attributes"
        + " FROM $db.otel_traces WHERE ResourceAttributes['test.label'] = {label:String}", label);
    List<List<Object>> expected = new ArrayList<>();
    for (SpanData s : sent) {
      expected.add(List.of(s.getSpanId(), s.getTraceId(),
          s.getParentSpanContext().isValid() ? s.getParentSpanId() : "", "", s.getName(),
          capitalized(s.getKind().name()), "java-sdk-test", strings(s.getResource().getAttributes()),
          s.getInstrumentationScopeInfo().getName(), s.getInstrumentationScopeInfo().getVersion(),
          strings(s.getAttributes()), nanos(s.getStartEpochNanos()), s.getEndEpochNanos() - s.getStartEpochNanos(),
          capitalized(s.getStatus().getStatusCode().name()), s.getStatus().getDescription(),
          s.getEvents().stream().map(e -> (Object) nanos(e.getEpochNanos())).toList(),
          s.getEvents().stream().map(e -> (Object) e.getName()).toList(),
          s.getEvents().stream().map(e -> (Object) strings(e.getAttributes())).toList(),
          s.getLinks().stream().map(l -> (Object) l.getSpanContext().getTraceId()).toList(),
          s.getLinks().stream().map(l -> (Object) l.getSpanContext().getSpanId()).toList(),
          s.getLinks().stream().map(l -> (Object) "").toList(),
          s.getLinks().stream().map(l -> (Object) strings(l.getAttributes())).toList()));
    }
    assertThat(stored).hasSize(2).containsExactlyInAnyOrderElementsOf(expected);
    // The literal values too, in case the SDK and the store agreed on something wrong.
    List<Object> root = stored.stream().filter(r -> r.get(4).equals("GET /checkout")).findFirst().orElseThrow();
    assertThat(root.get(11)).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 123_456_789L));
    assertThat(root.get(12)).isEqualTo(4_002L);
    assertThat(root.get(10)).isEqualTo(Map.of("http.request.method", "GET", "http.response.status_code", "200",
        "ratio", "0.75", "cached", "true", "tags", "[\"a\",\"b\"]", "ports", "[80,443]"));
    List<Object> child = stored.stream().filter(r -> r.get(4).equals("SELECT orders")).findFirst().orElseThrow();
    assertThat(child.get(2)).isEqualTo(root.get(0));
    assertThat(child.get(13)).isEqualTo("Error");
    assertThat(child.get(18)).isEqualTo(List.of(JavaSdkScenario.LINKED.getTraceId()));
  }

  // ---- metrics ----

  private static void assertMetricsStored(List<MetricData> sent, String label) throws StoreException {
    String common = "MetricName, MetricDescription, MetricUnit, ServiceName, ScopeName, ScopeVersion, Attributes,"
        + " StartTimeUnix, TimeUnix";
    String where = " WHERE ResourceAttributes['test.label'] = {label:String}";
    List<List<Object>> expectedSums = new ArrayList<>();
    List<List<Object>> expectedGauges = new ArrayList<>();
    List<List<Object>> expectedHistograms = new ArrayList<>();
    List<List<Object>> expectedExponential = new ArrayList<>();
    // Two exports of the SDK's metrics (the flush, then the cumulative one at shutdown, which also carries
    // the SDK's own reader metrics): everything is stored, each point once.
    assertThat(sent).filteredOn(m -> m.getName().equals("orders.placed")).hasSize(2);
    for (MetricData m : sent) {
      switch (m.getType()) {
        case LONG_SUM -> {
          for (LongPointData p : m.getLongSumData().getPoints()) {
            List<Object> row = commonRow(m, p);
            row.addAll(List.of((double) p.getValue(), 2L, true));
            row.addAll(exemplars(p.getExemplars()));
            expectedSums.add(row);
          }
        }
        case DOUBLE_GAUGE -> {
          for (DoublePointData p : m.getDoubleGaugeData().getPoints()) {
            List<Object> row = commonRow(m, p);
            row.add(p.getValue());
            row.addAll(exemplars(p.getExemplars()));
            expectedGauges.add(row);
          }
        }
        case HISTOGRAM -> {
          for (HistogramPointData p : m.getHistogramData().getPoints()) {
            List<Object> row = commonRow(m, p);
            row.addAll(List.of(p.getCount(), p.getSum(), p.getCounts(), p.getBoundaries(), p.getMin(), p.getMax(), 2L));
            expectedHistograms.add(row);
          }
        }
        case EXPONENTIAL_HISTOGRAM -> {
          for (ExponentialHistogramPointData p : m.getExponentialHistogramData().getPoints()) {
            List<Object> row = commonRow(m, p);
            row.addAll(List.of(p.getCount(), p.getSum(), (long) p.getScale(), p.getZeroCount(),
                (long) p.getPositiveBuckets().getOffset(), p.getPositiveBuckets().getBucketCounts(),
                (long) p.getNegativeBuckets().getOffset(), p.getNegativeBuckets().getBucketCounts(),
                p.getMin(), p.getMax(), 2L));
            expectedExponential.add(row);
          }
        }
        default -> throw new AssertionError("unexpected metric type " + m.getType());
      }
    }
    assertThat(expectedSums).hasSizeGreaterThanOrEqualTo(4);
    assertThat(expectedGauges).hasSizeGreaterThanOrEqualTo(2);
    assertThat(expectedHistograms).hasSizeGreaterThanOrEqualTo(2);
    assertThat(expectedExponential).hasSize(2);
    String exemplarColumns = ", Exemplars.TimeUnix, Exemplars.Value, Exemplars.SpanId, Exemplars.TraceId";
    assertThat(rows("SELECT " + common + ", Value, AggregationTemporality, IsMonotonic" + exemplarColumns
        + " FROM $db.otel_metrics_sum" + where, label))
        .containsExactlyInAnyOrderElementsOf(expectedSums);
    assertThat(rows("SELECT " + common + ", Value" + exemplarColumns + " FROM $db.otel_metrics_gauge" + where, label))
        .containsExactlyInAnyOrderElementsOf(expectedGauges);
    assertThat(rows("SELECT " + common + ", Count, Sum, BucketCounts, ExplicitBounds, Min, Max,"
        + " AggregationTemporality FROM $db.otel_metrics_histogram" + where, label))
        .containsExactlyInAnyOrderElementsOf(expectedHistograms);
    assertThat(rows("SELECT " + common + ", Count, Sum, Scale, ZeroCount, PositiveOffset, PositiveBucketCounts,"
        + " NegativeOffset, NegativeBucketCounts, Min, Max, AggregationTemporality"
        + " FROM $db.otel_metrics_exponential_histogram" + where, label))
        .containsExactlyInAnyOrderElementsOf(expectedExponential);
    // Literal checks: the sampled exemplar of the counter, the histogram's buckets.
    assertThat(rows("SELECT Value, Exemplars.TraceId, Exemplars.SpanId FROM $db.otel_metrics_sum" + where
        + " AND Attributes['region'] = 'eu'", label))
        .contains(List.of(3.0, List.of("4bf92f3577b34da6a3ce929d0e0e4736"), List.of("00f067aa0ba902b7")));
    assertThat(rows("SELECT DISTINCT BucketCounts FROM $db.otel_metrics_histogram" + where
        + " AND MetricName = 'http.server.duration'", label))
        .containsExactly(List.of(List.of(1L, 1L, 1L, 1L)));
  }

  private static List<Object> commonRow(MetricData m, PointData p) {
    // The SDK leaves an unset description, unit or scope version null; OTLP and the store have "" there.
    List<Object> row = new ArrayList<>(List.of(m.getName(), orEmpty(m.getDescription()), orEmpty(m.getUnit()),
        "java-sdk-test", m.getInstrumentationScopeInfo().getName(),
        orEmpty(m.getInstrumentationScopeInfo().getVersion()),
        strings(p.getAttributes()), nanos(p.getStartEpochNanos()), nanos(p.getEpochNanos())));
    return row;
  }

  private static List<Object> exemplars(List<? extends ExemplarData> exemplars) {
    List<Object> times = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    List<Object> spanIds = new ArrayList<>();
    List<Object> traceIds = new ArrayList<>();
    for (ExemplarData e : exemplars) {
      times.add(nanos(e.getEpochNanos()));
      values.add(e instanceof LongExemplarData l ? (double) l.getValue() : ((DoubleExemplarData) e).getValue());
      SpanContext context = e.getSpanContext();
      spanIds.add(context.isValid() ? context.getSpanId() : "");
      traceIds.add(context.isValid() ? context.getTraceId() : "");
    }
    return List.of(times, values, spanIds, traceIds);
  }

  // ---- logs ----

  private static void assertLogsStored(List<LogRecordData> sent, String label) throws StoreException {
    List<List<Object>> stored = rows("SELECT Timestamp, TraceId, SpanId, TraceFlags, SeverityText, SeverityNumber,"
        + " ServiceName, Body, ResourceAttributes, ScopeName, ScopeVersion, LogAttributes"
        + " FROM $db.otel_logs WHERE ResourceAttributes['test.label'] = {label:String}", label);
    List<List<Object>> expected = new ArrayList<>();
    for (LogRecordData l : sent) {
      SpanContext context = l.getSpanContext();
      expected.add(List.of(nanos(l.getTimestampEpochNanos()), context.isValid() ? context.getTraceId() : "",
          context.isValid() ? context.getSpanId() : "", (long) context.getTraceFlags().asByte(),
          l.getSeverityText() == null ? "" : l.getSeverityText(), (long) l.getSeverity().getSeverityNumber(),
          "java-sdk-test", l.getBodyValue().asString(), strings(l.getResource().getAttributes()),
          l.getInstrumentationScopeInfo().getName(), l.getInstrumentationScopeInfo().getVersion(),
          strings(l.getAttributes())));
    }
    assertThat(stored).hasSize(2).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(stored).anySatisfy(row -> {
      assertThat(row.get(0)).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 123_456_799L));
      assertThat(row.get(1)).isEqualTo(JavaSdkScenario.LINKED.getTraceId());
      assertThat(row.get(5)).isEqualTo(13L);
      assertThat(row.get(11)).isEqualTo(Map.of("order.id", "o-17", "attempt", "2"));
    });
  }

  // ---- summary, by hand ----

  private static ExportMetricsServiceRequest summaryRequest(String label) {
    long time = JavaSdkScenario.START + 99;
    SummaryDataPoint point = SummaryDataPoint.newBuilder()
        .addAttributes(KeyValue.newBuilder().setKey("rpc.method")
            .setValue(AnyValue.newBuilder().setStringValue("Checkout")))
        .setStartTimeUnixNano(time - 60_000_000_000L)
        .setTimeUnixNano(time)
        .setCount(10)
        .setSum(123.5)
        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0).setValue(1.25))
        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(10))
        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(42.5))
        .build();
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder()
            .setResource(Resource.newBuilder()
                .addAttributes(kv("service.name", "summary-client"))
                .addAttributes(kv("test.label", label)))
            .addScopeMetrics(ScopeMetrics.newBuilder()
                .addMetrics(Metric.newBuilder().setName("rpc.server.latency").setUnit("ms")
                    .setDescription("legacy summary").setSummary(Summary.newBuilder().addDataPoints(point)))))
        .build();
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static void sendByHand(Transport transport, ExportMetricsServiceRequest request) throws Exception {
    if (transport == Transport.GRPC) {
      ManagedChannel channel = Grpc.newChannelBuilderForAddress(
          "127.0.0.1", collector.grpcPort(), InsecureChannelCredentials.create()).build();
      try {
        assertThat(MetricsServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
            .export(request).hasPartialSuccess()).isFalse();
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } else {
      HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpPort() + "/v1/metrics"))
              .header("Content-Type", "application/x-protobuf")
              .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.statusCode()).isEqualTo(200);
    }
  }

  private static void assertSummaryStored(ExportMetricsServiceRequest request, String label) throws StoreException {
    SummaryDataPoint p = request.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getSummary().getDataPoints(0);
    assertThat(rows("SELECT MetricName, MetricUnit, MetricDescription, ServiceName, Attributes, StartTimeUnix,"
        + " TimeUnix, Count, Sum, ValueAtQuantiles.Quantile, ValueAtQuantiles.Value"
        + " FROM $db.otel_metrics_summary WHERE ResourceAttributes['test.label'] = {label:String}", label))
        .containsExactly(List.of("rpc.server.latency", "ms", "legacy summary", "summary-client",
            Map.of("rpc.method", "Checkout"), nanos(p.getStartTimeUnixNano()), nanos(p.getTimeUnixNano()), 10L,
            123.5, List.of(0.0, 0.5, 0.99), List.of(1.25, 10.0, 42.5)));
  }

  // ---- the store's value forms, written out independently of the store's encoders ----

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static Instant nanos(long epochNanos) {
    return Instant.ofEpochSecond(0, epochNanos);
  }

  private static String capitalized(String enumName) {
    return enumName.charAt(0) + enumName.substring(1).toLowerCase(Locale.ROOT);
  }

  /** Attributes as the store keeps them: every value a string, arrays as compact JSON. */
  private static Map<String, String> strings(Attributes attributes) {
    Map<String, String> map = new LinkedHashMap<>();
    attributes.forEach((AttributeKey<?> key, Object value) -> map.put(key.getKey(), string(value)));
    return map;
  }

  private static String string(Object value) {
    if (value instanceof Double d) {
      return d == Math.rint(d) ? Long.toString(d.longValue()) : Double.toString(d);
    }
    if (value instanceof List<?> list) {
      try {
        return JSON.writeValueAsString(list);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    return String.valueOf(value);
  }
}
