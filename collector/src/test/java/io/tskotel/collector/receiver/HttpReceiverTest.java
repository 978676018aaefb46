package io.tskotel.collector.receiver;

import static io.tskotel.collector.receiver.OtlpTestData.id;
import static io.tskotel.collector.receiver.OtlpTestData.kv;
import static io.tskotel.collector.receiver.OtlpTestData.metrics;
import static io.tskotel.collector.receiver.OtlpTestData.span;
import static io.tskotel.collector.receiver.OtlpTestData.traces;
import static io.tskotel.collector.receiver.OtlpTestData.validSpan;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import io.tskotel.collector.pipeline.Signal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OTLP/HTTP with hand-made requests: every status of the specification, and serving on after each. */
class HttpReceiverTest {
  private static final int MAX = 256 * 1024;
  private static final RecordingSink sink = new RecordingSink();
  private static final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static OtlpReceiver receiver;

  @BeforeAll
  static void start() {
    receiver =
        OtlpReceiver.create(
            OtlpReceiverConfig.builder()
                .host("127.0.0.1")
                .grpcEnabled(false)
                .httpPort(0)
                .maxMessageBytes(MAX)
                .build(),
            sink);
    receiver.start();
  }

  @AfterAll
  static void stop() {
    receiver.shutdown();
  }

  @AfterEach
  void servesAGoodRequestAfterwards() throws Exception {
    sink.accept();
    sink.clear();
    HttpResponse<byte[]> response =
        post("/v1/traces", "application/x-protobuf", traces(validSpan("after", 7)).toByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(sink.spans()).extracting(Span::getName).containsExactly("after");
    sink.clear();
  }

  private static HttpResponse<byte[]> post(String path, String contentType, byte[] body)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private static HttpResponse<byte[]> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + receiver.httpPort() + path);
  }

  private static com.google.rpc.Status protobufStatus(HttpResponse<byte[]> response) throws Exception {
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/x-protobuf"));
    return com.google.rpc.Status.parseFrom(response.body());
  }

  private static com.google.rpc.Status jsonStatus(HttpResponse<byte[]> response) throws Exception {
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/json"));
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder();
    JsonFormat.parser().merge(new String(response.body(), StandardCharsets.UTF_8), status);
    return status.build();
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  @Test
  void export_validProtobuf_200AndAdmittedAsSent() throws Exception {
    byte[] body = traces(validSpan("a", 1), validSpan("b", 2)).toByteArray();

    HttpResponse<byte[]> response = post("/v1/traces", "application/x-protobuf", body);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(ExportTraceServiceResponse.parseFrom(response.body()).hasPartialSuccess()).isFalse();
    assertThat(sink.admitted(Signal.TRACES)).singleElement().satisfies(a -> {
      assertThat(a.bytes()).isEqualTo(body);
      assertThat(a.itemCount()).isEqualTo(2);
    });
  }

  @Test
  void export_malformedProtobuf_400WithStatusBody() throws Exception {
    HttpResponse<byte[]> response =
        post("/v1/traces", "application/x-protobuf", new byte[] {0x0a, (byte) 0xff, 0x01, 0x02});

    assertThat(response.statusCode()).isEqualTo(400);
    com.google.rpc.Status status = protobufStatus(response);
    assertThat(status.getCode()).isEqualTo(com.google.rpc.Code.INVALID_ARGUMENT_VALUE);
    assertThat(status.getMessage()).startsWith("malformed OTLP protobuf");
    assertThat(sink.admitted(Signal.TRACES)).isEmpty();
    assertThat(ReceiverCounts.failedRequests(receiver, Signal.TRACES)).isPositive();
  }

  @Test
  void export_invalidJson_400WithJsonStatus() throws Exception {
    HttpResponse<byte[]> response =
        post("/v1/metrics", "application/json", "{\"resourceMetrics\": [".getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(jsonStatus(response).getMessage()).startsWith("invalid JSON");
    assertThat(sink.admitted(Signal.METRICS)).isEmpty();
  }

  @Test
  void export_jsonWithUnknownEnumNameOrWrongType_400() throws Exception {
    HttpResponse<byte[]> response =
        post("/v1/traces", "application/json",
            "{\"resourceSpans\": \"not a list\"}".getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(jsonStatus(response).getMessage()).startsWith("invalid OTLP JSON");
  }

  @Test
  void export_wrongContentType_415() throws Exception {
    HttpResponse<byte[]> response = post("/v1/logs", "text/plain", "hello".getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(jsonStatus(response).getMessage()).contains("text/plain");
  }

  @Test
  void export_getInsteadOfPost_405() throws Exception {
    HttpResponse<byte[]> response = send(HttpRequest.newBuilder(uri("/v1/traces")).GET());

    assertThat(response.statusCode()).isEqualTo(405);
  }

  @Test
  void export_unknownPath_404() throws Exception {
    HttpResponse<byte[]> response =
        post("/v1/profiles", "application/x-protobuf", traces(validSpan("x", 1)).toByteArray());

    assertThat(response.statusCode()).isEqualTo(404);
  }

  @Test
  void export_bodyLargerThanLimit_413() throws Exception {
    Span big =
        validSpan("big", 3).toBuilder().addAttributes(kv("blob", "x".repeat(MAX + 1))).build();

    HttpResponse<byte[]> response = post("/v1/traces", "application/x-protobuf", traces(big).toByteArray());

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(protobufStatus(response).getCode())
        .isEqualTo(com.google.rpc.Code.RESOURCE_EXHAUSTED_VALUE);
    assertThat(sink.admitted(Signal.TRACES)).isEmpty();
  }

  @Test
  void export_gzipBomb_413WithoutInflatingItAll() throws Exception {
    // 64 MiB of zeros compress to ~64 KiB: under the wire limit, 256 times over the decompressed one.
    byte[] bomb = gzip(new byte[64 * 1024 * 1024]);
    assertThat(bomb.length).isLessThan(MAX);

    HttpResponse<byte[]> response =
        send(
            HttpRequest.newBuilder(uri("/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bomb)));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(protobufStatus(response).getMessage()).contains("decompressed");
  }

  @Test
  void export_gzipProtobuf_200() throws Exception {
    byte[] body = traces(validSpan("zipped", 4)).toByteArray();

    HttpResponse<byte[]> response =
        send(
            HttpRequest.newBuilder(uri("/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(body))));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(sink.admitted(Signal.TRACES)).singleElement()
        .satisfies(a -> assertThat(a.bytes()).isEqualTo(body));
  }

  @Test
  void export_brokenGzip_400() throws Exception {
    HttpResponse<byte[]> response =
        send(
            HttpRequest.newBuilder(uri("/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3, 4, 5})));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(protobufStatus(response).getMessage()).startsWith("malformed gzip body");
  }

  @Test
  void export_unsupportedContentEncoding_415() throws Exception {
    HttpResponse<byte[]> response =
        send(
            HttpRequest.newBuilder(uri("/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "br")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1})));

    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(protobufStatus(response).getMessage()).contains("Content-Encoding 'br'");
  }

  @Test
  void export_sinkFull_503WithRetryAfterAndNothingLost() throws Exception {
    sink.refuse(Duration.ofMillis(2500));
    long refusedBefore = sink.refusedItems(Signal.TRACES);

    HttpResponse<byte[]> response =
        post("/v1/traces", "application/x-protobuf", traces(validSpan("a", 1), validSpan("b", 2)).toByteArray());

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("3");
    com.google.rpc.Status status = protobufStatus(response);
    assertThat(status.getCode()).isEqualTo(com.google.rpc.Code.UNAVAILABLE_VALUE);
    assertThat(status.getMessage()).isEqualTo("queue full (test)");
    assertThat(sink.refusedItems(Signal.TRACES) - refusedBefore).isEqualTo(2);
  }

  @Test
  void export_sinkFullJson_503WithJsonStatus() throws Exception {
    sink.refuse(Duration.ZERO);

    HttpResponse<byte[]> response =
        post("/v1/traces", "application/json", jsonSpan("a").getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(jsonStatus(response).getCode()).isEqualTo(com.google.rpc.Code.UNAVAILABLE_VALUE);
  }

  @Test
  void export_sinkThrows_500AndServerKeepsServing() throws Exception {
    sink.fail();

    HttpResponse<byte[]> response =
        post("/v1/logs", "application/x-protobuf",
            OtlpTestData.logs(LogRecord.newBuilder().setTimeUnixNano(1).build()).toByteArray());

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(protobufStatus(response).getCode()).isEqualTo(com.google.rpc.Code.INTERNAL_VALUE);
  }

  @Test
  void export_invalidSpans_200WithPartialSuccessAndValidRestAdmitted() throws Exception {
    Span shortTraceId = span("short-trace-id", id(15, 1), id(8, 1));
    Span zeroSpanId = span("zero-span-id", id(16, 1), ByteString.copyFrom(new byte[8]));
    Span good = validSpan("good", 9);

    HttpResponse<byte[]> response =
        post("/v1/traces", "application/x-protobuf", traces(shortTraceId, good, zeroSpanId).toByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    var partial = ExportTraceServiceResponse.parseFrom(response.body()).getPartialSuccess();
    assertThat(partial.getRejectedSpans()).isEqualTo(2);
    assertThat(partial.getErrorMessage())
        .startsWith("rejected 2 of 3 spans")
        .contains("span 'short-trace-id': trace_id has 15 bytes (expected: 16)")
        .contains("span 'zero-span-id': span_id is all zeros");
    assertThat(sink.spans()).containsExactly(good);
    assertThat(sink.admitted(Signal.TRACES)).singleElement()
        .satisfies(a -> assertThat(a.itemCount()).isEqualTo(1));
  }

  @Test
  void export_onlyInvalidSpans_200WithPartialSuccessAndNothingAdmitted() throws Exception {
    HttpResponse<byte[]> response =
        post("/v1/traces", "application/x-protobuf",
            traces(span("bad", id(16, 1), id(4, 1))).toByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(ExportTraceServiceResponse.parseFrom(response.body()).getPartialSuccess().getRejectedSpans())
        .isEqualTo(1);
    assertThat(sink.admitted(Signal.TRACES)).isEmpty();
  }

  @Test
  void export_invalidMetrics_partialSuccessCountsDataPoints() throws Exception {
    NumberDataPoint point = NumberDataPoint.newBuilder().setTimeUnixNano(5).setAsDouble(1.5).build();
    Metric unnamed = Metric.newBuilder().setGauge(Gauge.newBuilder().addDataPoints(point).addDataPoints(point)).build();
    Metric gauge = Metric.newBuilder().setName("temperature").setGauge(Gauge.newBuilder().addDataPoints(point)).build();
    Metric histogram =
        Metric.newBuilder()
            .setName("latency")
            .setHistogram(
                Histogram.newBuilder()
                    .addDataPoints(
                        HistogramDataPoint.newBuilder()
                            .setCount(3)
                            .addAllExplicitBounds(List.of(1.0, 2.0))
                            .addAllBucketCounts(List.of(1L, 2L, 0L)))
                    .addDataPoints(
                        HistogramDataPoint.newBuilder()
                            .setCount(3)
                            .addAllExplicitBounds(List.of(1.0, 2.0))
                            .addAllBucketCounts(List.of(1L, 2L))))
            .build();
    Metric summary =
        Metric.newBuilder()
            .setName("rpc.duration")
            .setSummary(
                Summary.newBuilder()
                    .addDataPoints(
                        SummaryDataPoint.newBuilder()
                            .setCount(2)
                            .setSum(3.0)
                            .addQuantileValues(
                                SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(1.0))))
            .build();

    HttpResponse<byte[]> response =
        post("/v1/metrics", "application/x-protobuf",
            metrics(unnamed, gauge, histogram, summary).toByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    var partial = ExportMetricsServiceResponse.parseFrom(response.body()).getPartialSuccess();
    assertThat(partial.getRejectedDataPoints()).isEqualTo(3);
    assertThat(partial.getErrorMessage())
        .startsWith("rejected 3 of 6 data points")
        .contains("metric with an empty name")
        .contains("metric 'latency': 2 bucket counts for 2 bounds (expected: bounds + 1)");
    assertThat(sink.metrics()).extracting(Metric::getName).containsExactly("temperature", "latency", "rpc.duration");
    assertThat(sink.metrics().get(1).getHistogram().getDataPointsList()).singleElement()
        .satisfies(p -> assertThat(p.getBucketCountsList()).containsExactly(1L, 2L, 0L));
    assertThat(sink.metrics().get(2).getSummary()).isEqualTo(summary.getSummary());
    assertThat(sink.itemCount(Signal.METRICS)).isEqualTo(3);
  }

  @Test
  void export_invalidLogs_partialSuccessCountsLogRecords() throws Exception {
    LogRecord noIds = LogRecord.newBuilder().setTimeUnixNano(1).build();
    LogRecord badSpanId = LogRecord.newBuilder().setTraceId(id(16, 1)).setSpanId(id(7, 1)).build();

    HttpResponse<byte[]> response =
        post("/v1/logs", "application/x-protobuf", OtlpTestData.logs(noIds, badSpanId).toByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    var partial = ExportLogsServiceResponse.parseFrom(response.body()).getPartialSuccess();
    assertThat(partial.getRejectedLogRecords()).isEqualTo(1);
    assertThat(partial.getErrorMessage()).contains("span_id has 7 bytes (expected: 8)");
    assertThat(sink.logRecords()).containsExactly(noIds);
  }

  private static String jsonSpan(String name) {
    return """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"json"}}]},
         "scopeSpans":[{"scope":{"name":"hand"},"spans":[
          {"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174",
           "parentSpanId":"eee19b7ec3c1b173","name":"%s","kind":2,
           "startTimeUnixNano":"1544712660000000001","endTimeUnixNano":1544712661000000002,
           "attributes":[{"key":"count","value":{"intValue":"9007199254740993"}},
                         {"key":"ratio","value":{"doubleValue":0.25}}],
           "status":{"code":2,"message":"boom"},
           "someFutureField":{"ignored":true}}]}]}]}
        """.formatted(name);
  }

  @Test
  void export_otlpJson_hexIdsCamelCaseIntEnumsAnd64BitInts() throws Exception {
    HttpResponse<byte[]> response =
        post("/v1/traces", "application/json; charset=utf-8", jsonSpan("json-span").getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/json"));
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    Span span = sink.spans().getFirst();
    assertThat(OtlpTestData.hex(span.getTraceId())).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(OtlpTestData.hex(span.getSpanId())).isEqualTo("eee19b7ec3c1b174");
    assertThat(OtlpTestData.hex(span.getParentSpanId())).isEqualTo("eee19b7ec3c1b173");
    assertThat(span.getName()).isEqualTo("json-span");
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(span.getStartTimeUnixNano()).isEqualTo(1544712660000000001L);
    assertThat(span.getEndTimeUnixNano()).isEqualTo(1544712661000000002L);
    assertThat(OtlpTestData.attributes(span.getAttributesList()))
        .containsEntry("count", 9007199254740993L)
        .containsEntry("ratio", 0.25);
    assertThat(span.getStatus().getCodeValue()).isEqualTo(2);
    assertThat(span.getStatus().getMessage()).isEqualTo("boom");
    assertThat(sink.resourceSpans().getFirst().getResource().getAttributes(0).getValue().getStringValue())
        .isEqualTo("json");
  }

  @Test
  void export_otlpJsonWithWrongIdLength_partialSuccessAsJson() throws Exception {
    String body =
        """
        {"resourceSpans":[{"scopeSpans":[{"spans":[
          {"traceId":"5b8efff798038103d269b633813fc6","spanId":"eee19b7ec3c1b174","name":"short"},
          {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"ok"}]}]}]}
        """;

    HttpResponse<byte[]> response = post("/v1/traces", "application/json", body.getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).isEqualTo(200);
    ExportTraceServiceResponse.Builder parsed = ExportTraceServiceResponse.newBuilder();
    JsonFormat.parser().merge(new String(response.body(), StandardCharsets.UTF_8), parsed);
    assertThat(parsed.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(parsed.getPartialSuccess().getErrorMessage()).contains("trace_id has 15 bytes");
    assertThat(sink.spans()).extracting(Span::getName).containsExactly("ok");
  }

  @Test
  void export_otlpJsonWithNonHexId_400() throws Exception {
    String body =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"W46P95gDgQPSabYzgT/GDA==\","
            + "\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"base64\"}]}]}]}";

    HttpResponse<byte[]> response = post("/v1/traces", "application/json", body.getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(jsonStatus(response).getMessage()).contains("traceId").contains("is not hex");
  }

  @Test
  void metrics_countAcceptedAndRejectedItemsPerSignal() throws Exception {
    long accepted = sink.itemCount(Signal.TRACES);
    long rejected = ReceiverCounts.rejected(receiver, Signal.TRACES);

    post("/v1/traces", "application/x-protobuf",
        traces(validSpan("a", 1), validSpan("b", 2), span("c", id(16, 3), id(9, 3))).toByteArray());

    assertThat(sink.itemCount(Signal.TRACES) - accepted).isEqualTo(2);
    assertThat(ReceiverCounts.rejected(receiver, Signal.TRACES) - rejected).isEqualTo(1);
  }
}
