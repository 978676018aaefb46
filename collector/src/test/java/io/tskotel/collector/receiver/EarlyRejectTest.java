package io.tskotel.collector.receiver;

import static io.tskotel.collector.receiver.OtlpTestData.kv;
import static io.tskotel.collector.receiver.OtlpTestData.traces;
import static io.tskotel.collector.receiver.OtlpTestData.validSpan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.Code;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.tskotel.collector.pipeline.Signal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The requests the receivers refuse before reading them whole, each sent 200 times by a client that
 * is still sending when the answer is ready: the client must read the status every time, never a
 * reset. (Before the HTTP server discarded refused bodies, 10 to 11 of 600 to 800 HTTP requests
 * per run ended in "HTTP/1.1 header parser received no bytes".)
 */
class EarlyRejectTest {
  private static final int REPETITIONS = 200;
  private static final int MAX = 256 * 1024;
  private static final String TOKEN = "early-reject-token";
  private static final RecordingSink sink = new RecordingSink();
  private static final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static OtlpReceiver open;
  private static OtlpReceiver guarded;
  private static ManagedChannel openChannel;
  private static ManagedChannel guardedChannel;
  private static ExportTraceServiceRequest oversized;
  private static ExportTraceServiceRequest nearLimit;
  private static ExportTraceServiceRequest grpcBomb;
  private static byte[] httpBomb;

  @BeforeAll
  static void start() throws IOException {
    OtlpReceiverConfig config =
        OtlpReceiverConfig.builder().host("127.0.0.1").grpcPort(0).httpPort(0).maxMessageBytes(MAX).build();
    open = OtlpReceiver.create(config, sink);
    open.start();
    guarded = OtlpReceiver.create(config.toBuilder().authToken(TOKEN).build(), sink);
    guarded.start();
    openChannel = channel(open.grpcPort());
    guardedChannel = channel(guarded.grpcPort());
    oversized = traces(validSpan("big", 1).toBuilder().addAttributes(kv("blob", "x".repeat(MAX + 1))).build());
    // Under the limit, so the 401 is the only reason to refuse it, and big enough to be still in flight.
    nearLimit = traces(validSpan("near", 2).toBuilder().addAttributes(kv("blob", "y".repeat(MAX - 1024))).build());
    grpcBomb = traces(validSpan("bomb", 3).toBuilder().addAttributes(kv("blob", "a".repeat(2 * MAX))).build());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(new byte[64 * 1024 * 1024]);
    }
    httpBomb = out.toByteArray();
  }

  private static ManagedChannel channel(int port) {
    return Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create()).build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    openChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    guardedChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    open.shutdown();
    guarded.shutdown();
  }

  @AfterEach
  void nothingAdmitted() {
    assertThat(sink.admitted(Signal.TRACES)).isEmpty();
  }

  private static HttpResponse<byte[]> post(
      OtlpReceiver receiver, HttpRequest.BodyPublisher body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + receiver.httpPort() + "/v1/traces"))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/x-protobuf")
            .POST(body);
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void assertStatus(HttpResponse<byte[]> response, int status, Code code) throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(com.google.rpc.Status.parseFrom(response.body()).getCode()).isEqualTo(code.getNumber());
  }

  @RepeatedTest(REPETITIONS)
  void http_contentLengthOverLimit_413() throws Exception {
    HttpResponse<byte[]> response = post(open, HttpRequest.BodyPublishers.ofByteArray(oversized.toByteArray()));

    assertStatus(response, 413, Code.RESOURCE_EXHAUSTED);
  }

  @RepeatedTest(REPETITIONS)
  void http_chunkedBodyOverLimit_413() throws Exception {
    // No Content-Length: the server finds out only after reading the limit.
    byte[] body = oversized.toByteArray();
    HttpResponse<byte[]> response =
        post(open, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

    assertStatus(response, 413, Code.RESOURCE_EXHAUSTED);
  }

  @RepeatedTest(REPETITIONS)
  void http_gzipBomb_413() throws Exception {
    HttpResponse<byte[]> response =
        post(open, HttpRequest.BodyPublishers.ofByteArray(httpBomb), "Content-Encoding", "gzip");

    assertStatus(response, 413, Code.RESOURCE_EXHAUSTED);
  }

  @RepeatedTest(REPETITIONS)
  void http_missingToken_401() throws Exception {
    HttpResponse<byte[]> response = post(guarded, HttpRequest.BodyPublishers.ofByteArray(nearLimit.toByteArray()));

    assertStatus(response, 401, Code.UNAUTHENTICATED);
  }

  @RepeatedTest(REPETITIONS)
  void http_missingTokenExpectingContinue_401() throws Exception {
    // The client waits for "100 Continue" before sending its body; the answer must come without it.
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + guarded.httpPort() + "/v1/traces"))
            .timeout(Duration.ofSeconds(20))
            .expectContinue(true)
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(nearLimit.toByteArray()))
            .build();

    assertStatus(client.send(request, HttpResponse.BodyHandlers.ofByteArray()), 401, Code.UNAUTHENTICATED);
  }

  private static Status.Code grpcExport(ManagedChannel channel, ExportTraceServiceRequest request, boolean gzip) {
    TraceServiceGrpc.TraceServiceBlockingStub stub =
        TraceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> (gzip ? stub.withCompression("gzip") : stub).export(request));
    return e == null ? Status.Code.OK : e.getStatus().getCode();
  }

  @RepeatedTest(REPETITIONS)
  void grpc_messageOverLimit_resourceExhausted() {
    assertThat(grpcExport(openChannel, oversized, false)).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
  }

  @RepeatedTest(REPETITIONS)
  void grpc_gzipBomb_resourceExhausted() {
    assertThat(grpcExport(openChannel, grpcBomb, true)).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
  }

  @RepeatedTest(REPETITIONS)
  void grpc_missingToken_unauthenticated() {
    assertThat(grpcExport(guardedChannel, nearLimit, false)).isEqualTo(Status.Code.UNAUTHENTICATED);
  }
}
