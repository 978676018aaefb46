package io.tskotel.collector.receiver;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longArrayKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.tskotel.collector.receiver.OtlpTestData.hex;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.DoubleGauge;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.tskotel.collector.pipeline.Signal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Sends a fixed set of spans, metrics (gauge, sum, histogram, exponential histogram) and logs with
 * the Java SDK, then checks that the sink received exactly what the SDK exported.
 */
public final class JavaSdkScenario {
  public static final long START = 1_700_000_000_123_456_789L;
  public static final SpanContext LINKED =
      SpanContext.create(
          "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());

  private JavaSdkScenario() {}

  static Resource resource(String label) {
    return Resource.create(
        Attributes.of(stringKey("service.name"), "java-sdk-test", stringKey("test.label"), label));
  }

  private static void awaitSuccess(CompletableResultCode flush, List<CompletableResultCode> exports) {
    flush.join(30, TimeUnit.SECONDS);
    assertThat(flush.isSuccess()).as("flush succeeded").isTrue();
    assertThat(exports).isNotEmpty().allSatisfy(r -> {
      r.join(30, TimeUnit.SECONDS);
      assertThat(r.isSuccess()).as("export succeeded").isTrue();
    });
  }

  // ---- traces ----

  public static List<SpanData> sendTraces(SpanExporter otlp, String label) {
    TeeExporters.Spans tee = new TeeExporters.Spans(otlp);
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(resource(label))
            .addSpanProcessor(SimpleSpanProcessor.create(tee))
            .build();
    try {
      Tracer tracer = provider.tracerBuilder("receiver-test").setInstrumentationVersion("1.2.3").build();
      var parent =
          tracer
              .spanBuilder("GET /checkout")
              .setSpanKind(SpanKind.SERVER)
              .setStartTimestamp(START, NANOSECONDS)
              .setAllAttributes(
                  Attributes.builder()
                      .put("http.request.method", "GET")
                      .put("http.response.status_code", 200L)
                      .put("ratio", 0.75)
                      .put("cached", true)
                      .put(stringArrayKey("tags"), List.of("a", "b"))
                      .put(longArrayKey("ports"), List.of(80L, 443L))
                      .build())
              .startSpan();
      parent.addEvent("cache.miss", Attributes.of(stringKey("key"), "user:42"), START + 1_000, NANOSECONDS);
      var child =
          tracer
              .spanBuilder("SELECT orders")
              .setParent(Context.root().with(parent))
              .setSpanKind(SpanKind.CLIENT)
              .setStartTimestamp(START + 2_000, NANOSECONDS)
              .addLink(LINKED, Attributes.of(stringKey("link.kind"), "follows"))
              .startSpan();
      child.setStatus(StatusCode.ERROR, "timeout");
      child.end(START + 3_001, NANOSECONDS);
      parent.end(START + 4_002, NANOSECONDS);
      awaitSuccess(provider.forceFlush(), tee.results);
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
    assertThat(tee.seen).hasSize(2);
    return List.copyOf(tee.seen);
  }

  static void assertTracesArrived(List<SpanData> sent, RecordingSink sink, String label) {
    var resourceSpans =
        sink.resourceSpans().stream()
            .filter(rs -> label.equals(OtlpTestData.attributes(rs.getResource().getAttributesList()).get("test.label")))
            .toList();
    assertThat(resourceSpans).isNotEmpty();
    Map<String, Span> received =
        resourceSpans.stream()
            .flatMap(rs -> rs.getScopeSpansList().stream())
            .peek(ss -> {
              assertThat(ss.getScope().getName()).isEqualTo("receiver-test");
              assertThat(ss.getScope().getVersion()).isEqualTo("1.2.3");
            })
            .flatMap(ss -> ss.getSpansList().stream())
            .collect(Collectors.toMap(s -> hex(s.getSpanId()), Function.identity()));
    assertThat(received).hasSize(sent.size());
    assertThat(OtlpTestData.attributes(resourceSpans.getFirst().getResource().getAttributesList()))
        .containsEntry("service.name", "java-sdk-test");
    for (SpanData expected : sent) {
      Span actual = received.get(expected.getSpanId());
      assertThat(actual).as("span %s", expected.getName()).isNotNull();
      assertThat(hex(actual.getTraceId())).isEqualTo(expected.getTraceId());
      assertThat(hex(actual.getParentSpanId()))
          .isEqualTo(expected.getParentSpanContext().isValid() ? expected.getParentSpanId() : "");
      assertThat(actual.getName()).isEqualTo(expected.getName());
      assertThat(actual.getKind().name()).isEqualTo("SPAN_KIND_" + expected.getKind().name());
      assertThat(actual.getStartTimeUnixNano()).isEqualTo(expected.getStartEpochNanos());
      assertThat(actual.getEndTimeUnixNano()).isEqualTo(expected.getEndEpochNanos());
      assertThat(OtlpTestData.attributes(actual.getAttributesList()))
          .isEqualTo(javaAttributes(expected.getAttributes()));
      assertThat(actual.getEventsCount()).isEqualTo(expected.getEvents().size());
      for (int i = 0; i < actual.getEventsCount(); i++) {
        EventData event = expected.getEvents().get(i);
        assertThat(actual.getEvents(i).getName()).isEqualTo(event.getName());
        assertThat(actual.getEvents(i).getTimeUnixNano()).isEqualTo(event.getEpochNanos());
        assertThat(OtlpTestData.attributes(actual.getEvents(i).getAttributesList()))
            .isEqualTo(javaAttributes(event.getAttributes()));
      }
      assertThat(actual.getLinksCount()).isEqualTo(expected.getLinks().size());
      for (int i = 0; i < actual.getLinksCount(); i++) {
        LinkData link = expected.getLinks().get(i);
        assertThat(hex(actual.getLinks(i).getTraceId())).isEqualTo(link.getSpanContext().getTraceId());
        assertThat(hex(actual.getLinks(i).getSpanId())).isEqualTo(link.getSpanContext().getSpanId());
        assertThat(OtlpTestData.attributes(actual.getLinks(i).getAttributesList()))
            .isEqualTo(javaAttributes(link.getAttributes()));
      }
      assertThat(actual.getStatus().getCode().name())
          .isEqualTo("STATUS_CODE_" + expected.getStatus().getStatusCode().name());
      assertThat(actual.getStatus().getMessage()).isEqualTo(expected.getStatus().getDescription());
    }
    // The literal values too, in case the SDK and the receiver agreed on something wrong.
    Span root = received.values().stream().filter(s -> s.getName().equals("GET /checkout")).findFirst().orElseThrow();
    assertThat(root.getStartTimeUnixNano()).isEqualTo(START);
    assertThat(root.getEndTimeUnixNano()).isEqualTo(START + 4_002);
    assertThat(OtlpTestData.attributes(root.getAttributesList()))
        .containsEntry("http.response.status_code", 200L)
        .containsEntry("tags", List.of("a", "b"));
    Span child = received.values().stream().filter(s -> s.getName().equals("SELECT orders")).findFirst().orElseThrow();
    assertThat(child.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(hex(child.getLinks(0).getTraceId())).isEqualTo(LINKED.getTraceId());
  }

  static Map<String, Object> javaAttributes(Attributes attributes) {
    Map<String, Object> map = new LinkedHashMap<>();
    attributes.forEach((AttributeKey<?> key, Object value) -> map.put(key.getKey(), value));
    return map;
  }

  // ---- metrics ----

  static List<MetricData> sendMetrics(MetricExporter otlp, String label) {
    return sendMetrics(otlp, label, everything -> {});
  }

  /**
   * Sends the metrics; returns the first export (the flush) and hands {@code allExports} everything the
   * SDK exported, including the second (cumulative) export that shutting the provider down sends.
   */
  public static List<MetricData> sendMetrics(
      MetricExporter otlp, String label, java.util.function.Consumer<List<MetricData>> allExports) {
    TeeExporters.Metrics tee = new TeeExporters.Metrics(otlp);
    List<MetricData> sent;
    SdkMeterProvider provider =
        SdkMeterProvider.builder()
            .setResource(resource(label))
            .registerMetricReader(PeriodicMetricReader.builder(tee).setInterval(Duration.ofHours(1)).build())
            .registerView(
                InstrumentSelector.builder().setName("payload.size").build(),
                View.builder().setAggregation(Aggregation.base2ExponentialBucketHistogram()).build())
            .build();
    try {
      Meter meter = provider.meterBuilder("receiver-test").setInstrumentationVersion("1.2.3").build();
      LongCounter orders =
          meter.counterBuilder("orders.placed").setUnit("{order}").setDescription("Orders placed").build();
      Context sampled =
          Context.root()
              .with(io.opentelemetry.api.trace.Span.wrap(
                  SpanContext.create(
                      "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                      TraceFlags.getSampled(), TraceState.getDefault())));
      orders.add(3, Attributes.of(stringKey("region"), "eu"), sampled);
      orders.add(4, Attributes.of(stringKey("region"), "us"));
      DoubleGauge temperature = meter.gaugeBuilder("cpu.temperature").setUnit("Cel").build();
      temperature.set(71.5, Attributes.of(longKey("core"), 0L));
      DoubleHistogram latency =
          meter
              .histogramBuilder("http.server.duration")
              .setUnit("ms")
              .setExplicitBucketBoundariesAdvice(List.of(10.0, 100.0, 1000.0))
              .build();
      for (double v : new double[] {5, 50, 500, 5000}) {
        latency.record(v, Attributes.of(booleanKey("error"), false));
      }
      DoubleHistogram payload = meter.histogramBuilder("payload.size").setUnit("By").build();
      for (double v : new double[] {0, 1, 2, 4, 1024}) {
        payload.record(v, Attributes.of(doubleKey("weight"), 0.5));
      }
      awaitSuccess(provider.forceFlush(), tee.results);
      // Shutting down exports (cumulative) metrics once more: compare with the first export only.
      sent = List.copyOf(tee.seen);
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
    allExports.accept(List.copyOf(tee.seen));
    assertThat(sent).extracting(MetricData::getName)
        .containsExactlyInAnyOrder("orders.placed", "cpu.temperature", "http.server.duration", "payload.size");
    return sent;
  }

  static void assertMetricsArrived(List<MetricData> sent, RecordingSink sink, String label) {
    Map<String, Metric> received =
        sink.resourceMetrics().stream()
            .filter(rm -> label.equals(OtlpTestData.attributes(rm.getResource().getAttributesList()).get("test.label")))
            .limit(1) // the first export: the one the SDK's flush sent
            .flatMap(rm -> rm.getScopeMetricsList().stream())
            .flatMap(sm -> sm.getMetricsList().stream())
            .collect(Collectors.toMap(Metric::getName, Function.identity()));
    assertThat(received.keySet())
        .containsExactlyInAnyOrderElementsOf(sent.stream().map(MetricData::getName).toList());
    for (MetricData expected : sent) {
      Metric actual = received.get(expected.getName());
      assertThat(actual.getDescription()).isEqualTo(expected.getDescription());
      assertThat(actual.getUnit()).isEqualTo(expected.getUnit());
      switch (expected.getType()) {
        case LONG_SUM -> {
          assertThat(actual.getSum().getIsMonotonic()).isTrue();
          assertThat(actual.getSum().getAggregationTemporality())
              .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
          assertNumberPoints(actual.getSum().getDataPointsList(), expected.getLongSumData().getPoints());
        }
        case DOUBLE_GAUGE ->
            assertNumberPoints(actual.getGauge().getDataPointsList(), expected.getDoubleGaugeData().getPoints());
        case HISTOGRAM -> {
          var points = List.copyOf(expected.getHistogramData().getPoints());
          assertThat(actual.getHistogram().getDataPointsList()).hasSize(points.size());
          for (HistogramPointData p : points) {
            HistogramDataPoint a = find(actual.getHistogram().getDataPointsList(), HistogramDataPoint::getAttributesList, p);
            assertTimes(a.getStartTimeUnixNano(), a.getTimeUnixNano(), p);
            assertThat(a.getCount()).isEqualTo(p.getCount());
            assertThat(a.getSum()).isEqualTo(p.getSum());
            assertThat(a.getMin()).isEqualTo(p.getMin());
            assertThat(a.getMax()).isEqualTo(p.getMax());
            assertThat(a.getExplicitBoundsList()).isEqualTo(p.getBoundaries());
            assertThat(a.getBucketCountsList()).isEqualTo(p.getCounts());
            assertThat(a.getBucketCountsList()).containsExactly(1L, 1L, 1L, 1L);
          }
        }
        case EXPONENTIAL_HISTOGRAM -> {
          var points = List.copyOf(expected.getExponentialHistogramData().getPoints());
          assertThat(actual.getExponentialHistogram().getDataPointsList()).hasSize(points.size());
          for (ExponentialHistogramPointData p : points) {
            ExponentialHistogramDataPoint a =
                find(actual.getExponentialHistogram().getDataPointsList(), ExponentialHistogramDataPoint::getAttributesList, p);
            assertTimes(a.getStartTimeUnixNano(), a.getTimeUnixNano(), p);
            assertThat(a.getScale()).isEqualTo(p.getScale());
            assertThat(a.getCount()).isEqualTo(p.getCount()).isEqualTo(5);
            assertThat(a.getZeroCount()).isEqualTo(p.getZeroCount()).isEqualTo(1);
            assertThat(a.getSum()).isEqualTo(p.getSum());
            assertThat(a.getPositive().getOffset()).isEqualTo(p.getPositiveBuckets().getOffset());
            assertThat(a.getPositive().getBucketCountsList()).isEqualTo(p.getPositiveBuckets().getBucketCounts());
            assertThat(a.getNegative().getBucketCountsList()).isEqualTo(p.getNegativeBuckets().getBucketCounts());
          }
        }
        default -> throw new AssertionError("unexpected metric type " + expected.getType());
      }
    }
    NumberDataPoint eu =
        received.get("orders.placed").getSum().getDataPointsList().stream()
            .filter(p -> OtlpTestData.attributes(p.getAttributesList()).equals(Map.of("region", "eu")))
            .findFirst().orElseThrow();
    assertThat(eu.getAsInt()).isEqualTo(3);
    assertThat(eu.getExemplarsList()).singleElement().satisfies(e -> {
      assertThat(hex(e.getTraceId())).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      assertThat(hex(e.getSpanId())).isEqualTo("00f067aa0ba902b7");
      assertThat(e.getAsInt()).isEqualTo(3);
    });
  }

  private static <T> T find(List<T> points, Function<T, List<KeyValue>> attributes, PointData expected) {
    Map<String, Object> want = javaAttributes(expected.getAttributes());
    return points.stream()
        .filter(p -> OtlpTestData.attributes(attributes.apply(p)).equals(want))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no point with attributes " + want));
  }

  private static void assertTimes(long start, long time, PointData expected) {
    assertThat(start).isEqualTo(expected.getStartEpochNanos());
    assertThat(time).isEqualTo(expected.getEpochNanos());
  }

  private static void assertNumberPoints(List<NumberDataPoint> actual, java.util.Collection<? extends PointData> expected) {
    assertThat(actual).hasSize(expected.size());
    for (PointData p : expected) {
      NumberDataPoint a = find(actual, NumberDataPoint::getAttributesList, p);
      assertTimes(a.getStartTimeUnixNano(), a.getTimeUnixNano(), p);
      if (p instanceof LongPointData l) {
        assertThat(a.getAsInt()).isEqualTo(l.getValue());
        assertThat(a.getExemplarsCount()).isEqualTo(l.getExemplars().size());
        for (int i = 0; i < a.getExemplarsCount(); i++) {
          Exemplar e = a.getExemplars(i);
          assertThat(hex(e.getTraceId())).isEqualTo(l.getExemplars().get(i).getSpanContext().getTraceId());
          assertThat(hex(e.getSpanId())).isEqualTo(l.getExemplars().get(i).getSpanContext().getSpanId());
          assertThat(e.getTimeUnixNano()).isEqualTo(l.getExemplars().get(i).getEpochNanos());
        }
      } else if (p instanceof DoublePointData d) {
        assertThat(a.getAsDouble()).isEqualTo(d.getValue());
      }
    }
  }

  // ---- logs ----

  public static List<LogRecordData> sendLogs(LogRecordExporter otlp, String label) {
    TeeExporters.Logs tee = new TeeExporters.Logs(otlp);
    SdkLoggerProvider provider =
        SdkLoggerProvider.builder()
            .setResource(resource(label))
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(tee))
            .build();
    try {
      var logger = provider.loggerBuilder("receiver-test").setInstrumentationVersion("1.2.3").build();
      logger
          .logRecordBuilder()
          .setTimestamp(START + 10, NANOSECONDS)
          .setObservedTimestamp(START + 11, NANOSECONDS)
          .setSeverity(Severity.WARN)
          .setSeverityText("WARN")
          .setBody("payment declined")
          .setAttribute(stringKey("order.id"), "o-17")
          .setAttribute(longKey("attempt"), 2L)
          .setContext(Context.root().with(io.opentelemetry.api.trace.Span.wrap(LINKED)))
          .emit();
      logger
          .logRecordBuilder()
          .setTimestamp(START + 20, NANOSECONDS)
          .setObservedTimestamp(START + 21, NANOSECONDS)
          .setSeverity(Severity.INFO)
          .setBody("no trace here")
          .emit();
      awaitSuccess(provider.forceFlush(), tee.results);
    } finally {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
    assertThat(tee.seen).hasSize(2);
    return List.copyOf(tee.seen);
  }

  static void assertLogsArrived(List<LogRecordData> sent, RecordingSink sink, String label) {
    Map<String, LogRecord> received =
        sink.resourceLogs().stream()
            .filter(rl -> label.equals(OtlpTestData.attributes(rl.getResource().getAttributesList()).get("test.label")))
            .flatMap(rl -> rl.getScopeLogsList().stream())
            .flatMap(sl -> sl.getLogRecordsList().stream())
            .collect(Collectors.toMap(l -> l.getBody().getStringValue(), Function.identity()));
    assertThat(received).hasSize(sent.size());
    for (LogRecordData expected : sent) {
      LogRecord actual = received.get(expected.getBodyValue().asString());
      assertThat(actual).isNotNull();
      assertThat(actual.getTimeUnixNano()).isEqualTo(expected.getTimestampEpochNanos());
      assertThat(actual.getObservedTimeUnixNano()).isEqualTo(expected.getObservedTimestampEpochNanos());
      assertThat(actual.getSeverityNumberValue()).isEqualTo(expected.getSeverity().getSeverityNumber());
      assertThat(actual.getSeverityText()).isEqualTo(expected.getSeverityText() == null ? "" : expected.getSeverityText());
      assertThat(OtlpTestData.attributes(actual.getAttributesList()))
          .isEqualTo(javaAttributes(expected.getAttributes()));
      SpanContext context = expected.getSpanContext();
      assertThat(hex(actual.getTraceId())).isEqualTo(context.isValid() ? context.getTraceId() : "");
      assertThat(hex(actual.getSpanId())).isEqualTo(context.isValid() ? context.getSpanId() : "");
    }
    LogRecord declined = received.get("payment declined");
    assertThat(declined.getTimeUnixNano()).isEqualTo(START + 10);
    assertThat(hex(declined.getTraceId())).isEqualTo(LINKED.getTraceId());
    assertThat(declined.getSeverityNumberValue()).isEqualTo(13);
  }

  /** Everything, through one set of exporters. */
  static void sendAndVerifyAll(JavaSdkExporters exporters, RecordingSink sink, String label) {
    int spansBefore = sink.itemCount(Signal.TRACES);
    List<SpanData> spans = sendTraces(exporters.spans(), label);
    assertTracesArrived(spans, sink, label);
    assertThat(sink.itemCount(Signal.TRACES) - spansBefore).isEqualTo(spans.size());

    List<MetricData> metrics = sendMetrics(exporters.metrics(), label);
    assertMetricsArrived(metrics, sink, label);
    RecordingSink.Admitted firstExport =
        sink.admitted(Signal.METRICS).stream()
            .filter(a -> a.bytes().length > 0 && new String(a.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1).contains(label))
            .findFirst()
            .orElseThrow();
    assertThat(firstExport.itemCount()).isEqualTo(5);

    int logsBefore = sink.itemCount(Signal.LOGS);
    List<LogRecordData> logs = sendLogs(exporters.logs(), label);
    assertLogsArrived(logs, sink, label);
    assertThat(sink.itemCount(Signal.LOGS) - logsBefore).isEqualTo(2);
  }
}
