package io.tskotel.collector.receiver;

import static io.tskotel.collector.receiver.OtlpTestData.id;
import static io.tskotel.collector.receiver.OtlpTestData.kv;
import static io.tskotel.collector.receiver.OtlpTestData.span;
import static io.tskotel.collector.receiver.OtlpTestData.traces;
import static io.tskotel.collector.receiver.OtlpTestData.validSpan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import io.tskotel.collector.pipeline.Signal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OTLP/gRPC with hand-made calls: every status we promise, and serving on after each. */
class GrpcReceiverTest {
  private static final int MAX = 256 * 1024;
  private static final String TOKEN = "s3cret-token";
  private static final RecordingSink sink = new RecordingSink();
  private static OtlpReceiver receiver;
  private static OtlpReceiver authReceiver;
  private static ManagedChannel channel;
  private static ManagedChannel authChannel;

  @BeforeAll
  static void start() {
    OtlpReceiverConfig config =
        OtlpReceiverConfig.builder()
            .host("127.0.0.1")
            .httpEnabled(false)
            .grpcPort(0)
            .maxMessageBytes(MAX)
            .build();
    receiver = OtlpReceiver.create(config, sink);
    receiver.start();
    authReceiver = OtlpReceiver.create(config.toBuilder().authToken(TOKEN).build(), sink);
    authReceiver.start();
    channel = channel(receiver.grpcPort());
    authChannel = channel(authReceiver.grpcPort());
  }

  private static ManagedChannel channel(int port) {
    return Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
        .build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    authChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    receiver.shutdown();
    authReceiver.shutdown();
  }

  private static TraceServiceGrpc.TraceServiceBlockingStub traceStub() {
    return TraceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void servesAGoodCallAfterwards() {
    sink.accept();
    sink.clear();
    traceStub().export(traces(validSpan("after", 7)));
    assertThat(sink.spans()).extracting(Span::getName).containsExactly("after");
    sink.clear();
  }

  @Test
  void export_valid_okAndBytesAdmittedUnchanged() {
    var request = traces(validSpan("a", 1), validSpan("b", 2));

    ExportTraceServiceResponse response = traceStub().export(request);

    assertThat(response.hasPartialSuccess()).isFalse();
    assertThat(sink.admitted(Signal.TRACES)).singleElement().satisfies(a -> {
      assertThat(a.bytes()).isEqualTo(request.toByteArray());
      assertThat(a.itemCount()).isEqualTo(2);
    });
  }

  @Test
  void export_metricsAndLogsServices_ok() {
    Metric sum =
        Metric.newBuilder()
            .setName("requests")
            .setSum(Sum.newBuilder().setIsMonotonic(true).addDataPoints(NumberDataPoint.newBuilder().setAsInt(3)))
            .build();
    MetricsServiceGrpc.newBlockingStub(channel).export(OtlpTestData.metrics(sum));
    LogsServiceGrpc.newBlockingStub(channel)
        .export(OtlpTestData.logs(LogRecord.newBuilder().setTimeUnixNano(42).build()));

    assertThat(sink.metrics()).containsExactly(sum);
    assertThat(sink.logRecords()).extracting(LogRecord::getTimeUnixNano).containsExactly(42L);
  }

  @Test
  void export_gzip_ok() {
    traceStub().withCompression("gzip").export(traces(validSpan("zipped", 5)));

    assertThat(sink.spans()).extracting(Span::getName).containsExactly("zipped");
  }

  @Test
  void export_malformedProtobuf_invalidArgument() {
    MethodDescriptor<byte[], byte[]> raw =
        TraceServiceGrpc.getExportMethod().toBuilder(OtlpTestData.RAW, OtlpTestData.RAW).build();

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> ClientCalls.blockingUnaryCall(
                channel, raw, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                new byte[] {0x0a, (byte) 0xff, 0x01, 0x02}));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).startsWith("malformed OTLP protobuf");
    assertThat(sink.admitted(Signal.TRACES)).isEmpty();
  }

  @Test
  void export_oversized_resourceExhausted() {
    Span big = validSpan("big", 3).toBuilder().addAttributes(kv("blob", "x".repeat(MAX + 1))).build();

    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> traceStub().export(traces(big)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(sink.admitted(Signal.TRACES)).isEmpty();
  }

  @Test
  void export_gzipBomb_resourceExhausted() {
    // 32 MiB of one repeated character: a small message on the wire, far over the limit inflated.
    Span bomb =
        validSpan("bomb", 3).toBuilder().addAttributes(kv("blob", "a".repeat(32 * 1024 * 1024))).build();

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> traceStub().withCompression("gzip").export(traces(bomb)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(sink.admitted(Signal.TRACES)).isEmpty();
  }

  @Test
  void export_sinkFull_unavailableWithRetryInfo() throws Exception {
    sink.refuse(Duration.ofMillis(1500));

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> traceStub().export(traces(validSpan("a", 1))));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription()).isEqualTo("queue full (test)");
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    assertThat(details).isNotNull();
    Any detail = details.getDetails(0);
    RetryInfo retry = detail.unpack(RetryInfo.class);
    assertThat(retry.getRetryDelay().getSeconds()).isEqualTo(1);
    assertThat(retry.getRetryDelay().getNanos()).isEqualTo(500_000_000);
    assertThat(sink.refusedItems(Signal.TRACES)).isPositive();
  }

  @Test
  void export_sinkThrows_internal() {
    sink.fail();

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> traceStub().export(traces(validSpan("a", 1))));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
  }

  @Test
  void export_partialSuccess_countsRejectedSpans() {
    Span good = validSpan("good", 9);

    ExportTraceServiceResponse response =
        traceStub().export(traces(span("bad", id(16, 1), id(7, 1)), good));

    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(response.getPartialSuccess().getErrorMessage()).contains("span_id has 7 bytes");
    assertThat(sink.spans()).containsExactly(good);
  }

  private static Metadata bearer(String token) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return headers;
  }

  @Test
  void export_withoutOrWithWrongToken_unauthenticated() {
    long before = ReceiverCounts.unauthenticated(authReceiver);
    var noToken = TraceServiceGrpc.newBlockingStub(authChannel);
    var wrongToken =
        noToken.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer("s3cret-tokem")));

    StatusRuntimeException missing =
        catchThrowableOfType(StatusRuntimeException.class, () -> noToken.export(traces(validSpan("a", 1))));
    StatusRuntimeException wrong =
        catchThrowableOfType(StatusRuntimeException.class, () -> wrongToken.export(traces(validSpan("a", 1))));

    assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(wrong.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(sink.admitted(Signal.TRACES)).isEmpty();
    assertThat(ReceiverCounts.unauthenticated(authReceiver) - before).isEqualTo(2);
  }

  @Test
  void export_withToken_ok() {
    var stub =
        TraceServiceGrpc.newBlockingStub(authChannel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(TOKEN)));

    stub.export(traces(validSpan("authorized", 1)));

    assertThat(sink.spans()).extracting(Span::getName).containsExactly("authorized");
  }
}
