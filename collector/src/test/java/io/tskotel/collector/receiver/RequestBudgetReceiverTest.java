package io.tskotel.collector.receiver;

import static io.tskotel.collector.receiver.OtlpTestData.kv;
import static io.tskotel.collector.receiver.OtlpTestData.traces;
import static io.tskotel.collector.receiver.OtlpTestData.validSpan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.tskotel.collector.memory.MemoryConfig;
import io.tskotel.collector.memory.MemoryGuard;
import io.tskotel.collector.memory.TestReadings;
import io.tskotel.collector.pipeline.Admission;
import io.tskotel.collector.pipeline.IngestSink;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.collector.telemetry.CollectorMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The receivers' byte budget and the memory guard, on real listeners with real clients: requests beyond the
 * budget are refused at once with OTLP's retryable throttling answers, every acknowledged item is in the sink,
 * and the receivers go on serving.
 */
class RequestBudgetReceiverTest {
  private static final int MAX = 256 * 1024;
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  /** Admits everything, but holds each request until the gate opens. */
  static final class GatedSink implements IngestSink {
    final CountDownLatch gate = new CountDownLatch(1);
    final AtomicInteger waiting = new AtomicInteger();
    final AtomicLong items = new AtomicLong();

    @Override
    public Admission admit(Signal signal, byte[] otlpProtobuf, int itemCount) {
      waiting.incrementAndGet();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Admission.retryLater(Duration.ofSeconds(1), "interrupted");
      } finally {
        waiting.decrementAndGet();
      }
      items.addAndGet(itemCount);
      return Admission.accepted();
    }
  }

  private final GatedSink sink = new GatedSink();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ExecutorService clients = Executors.newFixedThreadPool(24);
  private final List<ManagedChannel> channels = new ArrayList<>();
  private OtlpReceiver receiver;

  @AfterEach
  void stop() throws InterruptedException {
    sink.gate.countDown();
    clients.shutdownNow();
    clients.awaitTermination(10, TimeUnit.SECONDS);
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (receiver != null) {
      receiver.shutdown();
    }
    http.close();
  }

  private OtlpReceiver start(long bytesInFlight, Throttle throttle) {
    return start(bytesInFlight, throttle, MAX);
  }

  private OtlpReceiver start(long bytesInFlight, Throttle throttle, int maxMessage) {
    return start(OtlpReceiverConfig.builder().host("127.0.0.1").grpcPort(0).httpPort(0)
        .maxMessageBytes(maxMessage).maxBytesInFlight(bytesInFlight).build(), throttle);
  }

  private OtlpReceiver start(OtlpReceiverConfig config, Throttle throttle) {
    receiver = OtlpReceiver.create(config, sink, new CollectorMetrics(), throttle);
    receiver.start();
    try {
      // Javalin initialises its servlet config lazily and not thread-safely: concurrent first requests can
      // meet a NullPointerException (500). One request first, alone (an empty request reaches no sink).
      if (throttle.refusal() == null) {
        assertThat(post(new byte[0]).statusCode()).isEqualTo(200);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return receiver;
  }

  private TraceServiceGrpc.TraceServiceBlockingStub stub() {
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress("127.0.0.1", receiver.grpcPort(), InsecureChannelCredentials.create())
            .build();
    channels.add(channel);
    return TraceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The stub with a deadline of its own from now (a stub's deadline is fixed when it is made). */
  private static TraceServiceGrpc.TraceServiceBlockingStub fresh(TraceServiceGrpc.TraceServiceBlockingStub stub) {
    return stub.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
  }

  private HttpResponse<byte[]> post(byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + receiver.httpPort() + "/v1/traces"))
        .timeout(DEADLINE).header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> postGzip(byte[] body) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
      gz.write(body);
    }
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + receiver.httpPort() + "/v1/traces"))
        .timeout(DEADLINE).header("Content-Type", "application/x-protobuf").header("Content-Encoding", "gzip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static ExportTraceServiceRequest request(int seed, int spans) {
    var spanList = new io.opentelemetry.proto.trace.v1.Span[spans];
    for (int i = 0; i < spans; i++) {
      spanList[i] = validSpan("s" + seed + "-" + i, seed * 1000 + i).toBuilder()
          .addAttributes(kv("pad", "p".repeat(1000))).build();
    }
    return traces(spanList);
  }

  private long refusedRequests(String reason) {
    return (long) receiver.metrics().value(CollectorMetrics.REFUSED_REQUESTS,
        java.util.Map.of("signal", "traces", "reason", reason));
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(5); // polling against the deadline above
    }
  }

  private static void assertRetryableResourceExhausted(StatusRuntimeException e) {
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    assertThat(status).as("RetryInfo makes RESOURCE_EXHAUSTED retryable in OTLP").isNotNull();
    assertThat(status.getDetailsList()).anySatisfy(d -> assertThat(d.is(RetryInfo.class)).isTrue());
  }

  @Test
  void budgetSpent_grpcAndHttpRefusedRetryably_beforeReading_thenServedAgain() throws Exception {
    start(2L * MAX, Throttle.NONE);
    byte[] big = request(1, 200).toByteArray();
    assertThat(big.length).isBetween(MAX / 2 + 1, MAX);
    // Two HTTP bodies announcing their length hold most of the budget while the sink holds them.
    List<Future<HttpResponse<byte[]>>> held = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      held.add(clients.submit(() -> post(big)));
    }
    await(() -> sink.waiting.get() == 2, "two requests are held in the sink");
    assertThat(receiver.budget().inUse()).isEqualTo(2L * big.length);

    // A gRPC call must be able to hold the largest message before it is read: refused at once.
    ExportTraceServiceRequest small = request(2, 3);
    assertRetryableResourceExhausted(catchThrowableOfType(StatusRuntimeException.class, () -> stub().export(small)));
    // An HTTP body announcing more than what is left is not read: 503 with Retry-After.
    HttpResponse<byte[]> response = post(big);
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(com.google.rpc.Status.parseFrom(response.body()).getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED_VALUE);
    assertThat(refusedRequests(CollectorMetrics.REFUSED_BYTES_IN_FLIGHT)).isEqualTo(2);
    assertThat(sink.items.get()).isZero();

    sink.gate.countDown();
    for (Future<HttpResponse<byte[]>> f : held) {
      assertThat(f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    await(() -> receiver.budget().inUse() == 0, "every permit is given back");
    assertThat(post(big).statusCode()).isEqualTo(200);
    stub().export(small);
    assertThat(sink.items.get()).isEqualTo(200 + 200 + 200 + 3);
  }

  @Test
  void parseBeyondWhatIsLeft_jsonAndUnsureProtobufRefusedRetryably_thenServed() throws Exception {
    start(2L * MAX, Throttle.NONE);
    byte[] big = request(1, 200).toByteArray();
    Future<HttpResponse<byte[]>> held = clients.submit(() -> post(big));
    await(() -> sink.waiting.get() == 1, "a request is held in the sink");
    long left = receiver.budget().limit() - receiver.budget().inUse();

    // OTLP JSON is parsed into objects, ~16x its bytes: its bytes fit in what is left, its parse does not, so
    // it is refused before its body is read.
    byte[] json = jsonSpans(24).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat((long) json.length).isLessThan(left);
    assertThat((long) json.length * 16).isGreaterThan(left).isLessThan(receiver.budget().limit());
    HttpResponse<byte[]> refusedJson = post("/v1/traces", "application/json", json);
    assertThat(refusedJson.statusCode()).isEqualTo(503);
    assertThat(refusedJson.headers().firstValue("Retry-After")).hasValue("1");
    // Protobuf the receiver cannot take on the wire (here a span id of 3 bytes) is parsed too, ~8x its bytes.
    io.opentelemetry.proto.trace.v1.Span[] spans = request(3, 40).getResourceSpans(0).getScopeSpans(0)
        .getSpansList().toArray(new io.opentelemetry.proto.trace.v1.Span[0]);
    spans[0] = spans[0].toBuilder().setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[3])).build();
    ExportTraceServiceRequest unsure = traces(spans);
    assertThat((long) unsure.getSerializedSize() * 8).isGreaterThan(left);
    assertThat(post(unsure.toByteArray()).statusCode()).isEqualTo(503);
    assertThat(refusedRequests(CollectorMetrics.REFUSED_BYTES_IN_FLIGHT)).isEqualTo(2);
    assertThat(receiver.budget().inUse()).as("the refused requests gave their permits back")
        .isEqualTo(receiver.budget().limit() - left);

    sink.gate.countDown();
    assertThat(held.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    await(() -> receiver.budget().inUse() == 0, "every permit is given back");
    assertThat(post("/v1/traces", "application/json", json).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> partial = post(unsure.toByteArray());
    assertThat(partial.statusCode()).isEqualTo(200);
    assertThat(io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse.parseFrom(partial.body())
        .getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(sink.items.get()).isEqualTo(200 + 24 + 39);
    await(() -> receiver.budget().inUse() == 0, "every permit is given back");
  }

  /** OTLP JSON of {@code n} spans with a 1,000-character attribute each. */
  private static String jsonSpans(int n) {
    StringBuilder spans = new StringBuilder();
    for (int i = 0; i < n; i++) {
      spans.append(i == 0 ? "" : ",").append("""
          {"traceId":"5b8efff798038103d269b633813fc6%02x","spanId":"eee19b7ec3c1b1%02x","name":"json-%d","kind":2,
           "startTimeUnixNano":"1544712660000000001","endTimeUnixNano":"1544712661000000002",
           "attributes":[{"key":"pad","value":{"stringValue":"%s"}}]}""".formatted(i, i, i, "p".repeat(1000)));
    }
    return "{\"resourceSpans\":[{\"resource\":{},\"scopeSpans\":[{\"spans\":[" + spans + "]}]}]}";
  }

  private HttpResponse<byte[]> post(String path, String contentType, byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + receiver.httpPort() + path))
        .timeout(DEADLINE).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void manyClientsOverBudget_retryingClients_acknowledgedEqualsStored() throws Exception {
    start(3L * MAX, Throttle.NONE);
    int clientCount = 16;
    int requestsEach = 3;
    AtomicLong acknowledged = new AtomicLong();
    AtomicInteger retries = new AtomicInteger();
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < clientCount; c++) {
      int client = c;
      var stub = stub();
      running.add(clients.submit(() -> {
        for (int r = 0; r < requestsEach; r++) {
          // 165 to 210 KB each: a few fill the budget while the sink holds them.
          ExportTraceServiceRequest req = request(client * 10 + r, 150 + (client + r) % 5 * 10);
          int spans = req.getResourceSpans(0).getScopeSpans(0).getSpansCount();
          while (true) {
            try {
              if (client % 2 == 0) {
                stub.export(req);
              } else {
                HttpResponse<byte[]> resp = post(req.toByteArray());
                if (resp.statusCode() != 200) {
                  assertThat(resp.statusCode()).isEqualTo(503);
                  retries.incrementAndGet();
                  Thread.sleep(2); // a client's backoff, shortened
                  continue;
                }
              }
              acknowledged.addAndGet(spans);
              break;
            } catch (StatusRuntimeException e) {
              assertRetryableResourceExhausted(e);
              retries.incrementAndGet();
              Thread.sleep(2); // a client's backoff, shortened
            }
          }
        }
        return null;
      }));
    }
    // The gate opens only once the budget has turned clients away, so the bound was really reached.
    await(() -> retries.get() >= 10, "clients were refused");
    sink.gate.countDown();
    for (Future<?> f : running) {
      f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }
    assertThat(sink.items.get()).isEqualTo(acknowledged.get()).isPositive();
    assertThat(refusedRequests(CollectorMetrics.REFUSED_BYTES_IN_FLIGHT)).isEqualTo(retries.get());
    await(() -> receiver.budget().inUse() == 0, "every permit is given back");
  }

  @Test
  void bigMessagesOverBudget_grpcClientGetsRetryableStatus_andItsConnectionKeepsServing() throws Exception {
    // Messages of several flow-control windows (1 MiB, fixed), as in a storm of 15 MB exports. A refused call's
    // client is still sending when the refusal comes: it must see the refusal, not its deadline, and its stream
    // must end (grpc-java's client keeps it open, with the unsent rest of its message, until the server resets
    // it). Four streams a connection: streams left open would soon leave none for the calls after them.
    int maxMessage = 8 << 20;
    start(OtlpReceiverConfig.builder().host("127.0.0.1").grpcPort(0).httpPort(0).maxMessageBytes(maxMessage)
        .maxBytesInFlight(2L * maxMessage).grpcMaxConcurrentStreams(4).build(), Throttle.NONE);
    var stub = stub();
    ExportTraceServiceRequest huge = request(7, 6000);
    int spans = 6000;
    assertThat(huge.getSerializedSize()).isGreaterThan(4 * OtlpReceiverConfig.DEFAULT_GRPC_FLOW_CONTROL_WINDOW);
    List<Future<?>> held = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      held.add(clients.submit(() -> fresh(stub).export(huge)));
    }
    // Held in the sink at their real size: what is left cannot hold a message of the largest size.
    await(() -> sink.waiting.get() == 2, "two requests are held in the sink");
    assertThat(receiver.budget().limit() - receiver.budget().inUse()).isLessThan(maxMessage);

    // One after another on the same connection, then several at once; each with a deadline far beyond the wait
    // for an answer, so only the refusal can end them.
    for (int i = 0; i < 3; i++) {
      assertRetryableResourceExhausted(catchThrowableOfType(StatusRuntimeException.class, () -> fresh(stub).export(huge)));
    }
    List<Future<StatusRuntimeException>> refused = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      refused.add(clients.submit(() -> catchThrowableOfType(StatusRuntimeException.class, () -> fresh(stub).export(huge))));
    }
    for (Future<StatusRuntimeException> f : refused) {
      assertRetryableResourceExhausted(f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
    }
    assertThat(refusedRequests(CollectorMetrics.REFUSED_BYTES_IN_FLIGHT)).isEqualTo(9);

    sink.gate.countDown();
    for (Future<?> f : held) {
      f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }
    // The connection that carried the refusals still serves messages of several windows.
    fresh(stub).export(huge);
    fresh(stub).export(huge);
    assertThat(sink.items.get()).isEqualTo(4L * spans);
    await(() -> receiver.budget().inUse() == 0, "every permit is given back");
  }

  @Test
  void memoryGuardOverSoftLimit_bothReceiversRefuse_untilMemoryFalls() throws Exception {
    sink.gate.countDown();
    TestReadings readings = new TestReadings(900);
    MemoryGuard guard = MemoryGuard.create(MemoryConfig.defaults(), readings, () -> {}, () -> 0);
    guard.check();
    start(OtlpReceiverConfig.DEFAULT_MAX_BYTES_IN_FLIGHT, guard);
    ExportTraceServiceRequest small = request(1, 2);

    assertRetryableResourceExhausted(catchThrowableOfType(StatusRuntimeException.class, () -> stub().export(small)));
    HttpResponse<byte[]> response = post(small.toByteArray());
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).isPresent();
    assertThat(new String(response.body(), java.nio.charset.StandardCharsets.ISO_8859_1)).contains("memory limit reached");
    assertThat(refusedRequests(CollectorMetrics.REFUSED_MEMORY_LIMIT)).isEqualTo(2);

    readings.heap = 100;
    guard.check();
    stub().export(small);
    assertThat(post(small.toByteArray()).statusCode()).isEqualTo(200);
    assertThat(sink.items.get()).isEqualTo(4);
  }
}
