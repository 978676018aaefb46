package io.tskotel.collector.receiver;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.Span;
import io.tskotel.collector.pipeline.Admission;
import io.tskotel.collector.pipeline.IngestSink;
import io.tskotel.collector.receiver.internal.OtlpIngest;
import io.tskotel.collector.telemetry.CollectorMetrics;
import io.tskotel.collector.receiver.internal.OtlpJson;
import io.tskotel.collector.receiver.internal.OtlpCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator (not a test): spans per second through each transport on loopback with a sink that
 * accepts at once, as ratios against parsing + validating in process (no transport). Bounded in
 * requests and time. Run with the test classpath:
 *
 * <pre>java -cp collector/target/test-classes:collector/target/classes:DEPS io.tskotel.collector.receiver.ReceiverLoadGenerator</pre>
 */
public final class ReceiverLoadGenerator {
  private static final int SPANS_PER_REQUEST = 100;
  private static final int THREADS = 4;
  private static final long MAX_SECONDS = 10;

  private ReceiverLoadGenerator() {}

  interface Call {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
    ExportTraceServiceRequest request = request();
    byte[] protobuf = request.toByteArray();
    byte[] json = jsonWithHexIds(request).getBytes(StandardCharsets.UTF_8);
    System.out.printf("request: %d spans, %d bytes protobuf, %d bytes JSON%n", SPANS_PER_REQUEST, protobuf.length, json.length);

    IngestSink sink = (signal, bytes, items) -> Admission.accepted();
    OtlpIngest ingest = new OtlpIngest(sink, new CollectorMetrics());
    try (OtlpReceiver receiver =
        OtlpReceiver.create(OtlpReceiverConfig.builder().host("127.0.0.1").grpcPort(0).httpPort(0).build(), sink)) {
      receiver.start();
      ManagedChannel channel =
          Grpc.newChannelBuilderForAddress("127.0.0.1", receiver.grpcPort(), InsecureChannelCredentials.create()).build();
      var stub = TraceServiceGrpc.newBlockingStub(channel);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI uri = URI.create("http://127.0.0.1:" + receiver.httpPort() + "/v1/traces");

      List<String> names = List.of("in-process wire walk", "gRPC", "HTTP protobuf", "HTTP JSON");
      List<Call> calls =
          List.of(
              () -> ingest.ingestProtobuf(OtlpCodec.TRACES, protobuf),
              () -> stub.export(request),
              () -> post(http, uri, "application/x-protobuf", protobuf),
              () -> post(http, uri, "application/json", json));
      double baseline = 0;
      for (int i = 0; i < calls.size(); i++) {
        run(calls.get(i), requests / 4); // warm-up
        double spansPerSecond = run(calls.get(i), requests) * SPANS_PER_REQUEST;
        if (i == 0) {
          baseline = spansPerSecond;
        }
        System.out.printf("%-28s %,12.0f spans/s   ratio %.3f%n", names.get(i), spansPerSecond, spansPerSecond / baseline);
      }
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static void post(HttpClient http, URI uri, String contentType, byte[] body) throws Exception {
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(uri).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + response.statusCode());
    }
  }

  /** Requests per second with {@link #THREADS} callers, stopping at {@code requests} or the time bound. */
  private static double run(Call call, int requests) throws Exception {
    AtomicLong done = new AtomicLong();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAX_SECONDS);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    long start = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      futures.add(pool.submit(() -> {
        while (done.incrementAndGet() <= requests && System.nanoTime() < deadline) {
          call.run();
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    long elapsed = System.nanoTime() - start;
    pool.shutdown();
    long completed = Math.min(requests, done.get() - THREADS);
    return completed / (elapsed / 1e9);
  }

  private static ExportTraceServiceRequest request() {
    Span[] spans = new Span[SPANS_PER_REQUEST];
    for (int i = 0; i < spans.length; i++) {
      Span.Builder span = OtlpTestData.validSpan("span-" + i, i + 1).toBuilder();
      for (int a = 0; a < 10; a++) {
        span.addAttributes(OtlpTestData.kv("attr." + a, "value-" + a + "-" + i));
      }
      spans[i] = span.build();
    }
    return OtlpTestData.traces(spans);
  }

  /** Canonical protobuf JSON with the id fields re-encoded from base64 to hex, as OTLP JSON wants. */
  private static String jsonWithHexIds(ExportTraceServiceRequest request) throws Exception {
    String json = OtlpJson.print(request);
    var matcher = java.util.regex.Pattern.compile("\"(traceId|spanId|parentSpanId)\":\"([^\"]*)\"").matcher(json);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String hex = HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(matcher.group(2)));
      matcher.appendReplacement(out, "\"" + matcher.group(1) + "\":\"" + hex + "\"");
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
