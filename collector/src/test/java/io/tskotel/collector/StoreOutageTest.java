package io.tskotel.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.tskotel.collector.pipeline.BatcherConfig;
import io.tskotel.collector.pipeline.QueueDepth;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.collector.telemetry.CollectorMetrics;
import io.tskotel.collector.testing.FaultInjectingEngine;
import io.tskotel.collector.testing.OtlpRequests;
import io.tskotel.collector.testing.TestCollectors;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.testing.ChdbTestEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must-show: the store fails for a while (the REAL chDB engine behind a switch that makes inserts fail
 * retryably). Real clients — a gRPC stub, the JDK's HTTP client, and the Java SDK's OTLP exporters with
 * their retry policy — keep sending through a running collector. The queue absorbs requests until it is
 * full, then clients get retryable answers (gRPC UNAVAILABLE, HTTP 503 with Retry-After), never an error
 * that makes them drop data. After recovery every acknowledged span is in the store, each exactly once.
 */
class StoreOutageTest {
  private static final int SPANS = 10;

  @TempDir Path dir;

  private String database;
  private FaultInjectingEngine engine;
  private Collector collector;
  private ManagedChannel channel;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    database = ChdbTestEngine.newDatabase(StoreOutageTest.class);
    engine = new FaultInjectingEngine(ChdbTestEngine.shared());
    ClickHouseStore store = ClickHouseStore.create(StoreConfig.builder().database(database).build(), engine);
    collector = Collector.builder(TestCollectors.settings(dir, p -> p
            .queueMaxBytes(32 * 1024)
            .segmentBytes(8 * 1024)
            .batch(BatcherConfig.builder().maxItems(200).maxDelay(Duration.ofMillis(20))
                .initialBackoff(Duration.ofMillis(50)).maxBackoff(Duration.ofMillis(400)).build())))
        .store(store)
        .start();
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", collector.grpcPort(), InsecureChannelCredentials.create())
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    engine.failInserts(false);
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    if (collector != null) {
      collector.shutdown();
    }
    ChdbTestEngine.dropDatabase(database);
  }

  /** What a client heard. */
  private enum Answer { ACCEPTED, RETRY }

  /** Request number and span count of a request the test sent. */
  private record Sent(long request, int spans) {}

  private Answer sendGrpc(Sent sent) {
    try {
      TraceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
          .export(OtlpRequests.traces(sent.request(), sent.spans(), "grpc-client"));
      return Answer.ACCEPTED;
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).as("gRPC refusal: %s", e.getStatus()).isEqualTo(Status.Code.UNAVAILABLE);
      return Answer.RETRY;
    }
  }

  private Answer sendHttp(Sent sent) throws Exception {
    HttpResponse<byte[]> response = http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpPort() + "/v1/traces"))
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(
                OtlpRequests.traces(sent.request(), sent.spans(), "http-client").toByteArray()))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() == 200) {
      return Answer.ACCEPTED;
    }
    assertThat(response.statusCode()).as("HTTP refusal").isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    return Answer.RETRY;
  }

  private Answer send(Sent sent) throws Exception {
    return sent.request() % 2 == 0 ? sendGrpc(sent) : sendHttp(sent);
  }

  @Test
  void storeDownForAWhile_queueAbsorbsThenClientsAreToldToRetry_everyAcknowledgedSpanStoredOnce()
      throws Exception {
    engine.failInserts(true);
    List<Sent> acknowledged = new ArrayList<>();
    List<Sent> refused = new ArrayList<>();
    long r = 0;
    for (; refused.size() < 6; r++) {
      Sent sent = new Sent(r, SPANS);
      (send(sent) == Answer.ACCEPTED ? acknowledged : refused).add(sent);
      assertThat(r).as("the queue bound is reached").isLessThan(10_000);
    }
    // The queue absorbed the first requests while the store was down; then the bound turned clients away.
    assertThat(acknowledged).hasSizeGreaterThan(20);
    assertThat(refused.getFirst().request()).isGreaterThan(acknowledged.getLast().request());
    // Top the queue up with one-span requests until even those are refused: now the SDK's will be too.
    for (int refusedSmall = 0; refusedSmall < 2; r++) {
      Sent sent = new Sent(r, 1);
      if (send(sent) == Answer.ACCEPTED) {
        acknowledged.add(sent);
      } else {
        refused.add(sent);
        refusedSmall++;
      }
    }
    assertThat(collector.queueDepths().get(Signal.TRACES).records()).isEqualTo(acknowledged.size());
    assertThat(count()).isZero();

    // The SDK's exporters, with retries on, export while the store is still down; they hear "retry".
    List<SpanData> sdkSpans = new CopyOnWriteArrayList<>();
    double refusedBefore = refusedItems();
    List<CompletableResultCode> sdkExports = List.of(
        exportWithSdk(OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + collector.grpcPort()).setRetryPolicy(retries()).build(),
            "sdk-grpc", sdkSpans),
        exportWithSdk(OtlpHttpSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + collector.httpPort() + "/v1/traces").setRetryPolicy(retries()).build(),
            "sdk-http", sdkSpans));
    awaitTrue(() -> refusedItems() >= refusedBefore + 2, "both SDK exporters refused at least once");
    assertThat(sdkExports).noneMatch(CompletableResultCode::isDone);

    // Recovery: the batcher's retries get through, the queue drains, refused clients retry until accepted.
    engine.failInserts(false);
    for (Sent sent : refused) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (send(sent) != Answer.ACCEPTED) {
        assertThat(System.nanoTime()).as("request %s accepted after recovery", sent).isLessThan(deadline);
        LockSupport.parkNanos(20_000_000);
      }
      acknowledged.add(sent);
    }
    for (CompletableResultCode export : sdkExports) {
      assertThat(export.join(30, TimeUnit.SECONDS).isSuccess()).as("SDK export succeeded after retrying").isTrue();
    }
    awaitTrue(() -> collector.queueDepths().values().stream().mapToLong(QueueDepth::records).sum() == 0,
        "queues written");

    Set<String> expected = new TreeSet<>();
    for (Sent sent : acknowledged) {
      for (int k = 0; k < sent.spans(); k++) {
        expected.add(OtlpRequests.spanIdHex(sent.request(), k));
      }
    }
    sdkSpans.forEach(s -> expected.add(s.getSpanId()));
    assertThat(sdkSpans).hasSize(2);
    List<String> stored = spanIds();
    assertThat(stored).hasSameSizeAs(expected); // nothing twice
    assertThat(new TreeSet<>(stored)).isEqualTo(expected);
    assertThat(engine.injectedFailures()).isPositive();
    assertThat(collector.metrics().value(CollectorMetrics.STORE_ERRORS,
        Map.of("signal", "traces", "kind", "retryable"))).isPositive();
    assertThat(collector.metrics().value(CollectorMetrics.DROPPED,
        Map.of("signal", "traces", "reason", "permanent_store_error"))).isZero();
  }

  private static RetryPolicy retries() {
    // The SDK allows at most 5 attempts: about 0.5 + 0.75 + 1.1 + 1.7 s of waiting, room for the recovery.
    return RetryPolicy.builder().setMaxAttempts(5).setInitialBackoff(Duration.ofMillis(500))
        .setMaxBackoff(Duration.ofSeconds(2)).build();
  }

  private double refusedItems() {
    return collector.metrics().value(CollectorMetrics.REFUSED, Map.of("signal", "traces", "reason", "queue_full"));
  }

  /** One span through a real SDK pipeline; returns the export's result, which completes after the retries. */
  private static CompletableResultCode exportWithSdk(SpanExporter otlp, String name, List<SpanData> sent) {
    List<CompletableResultCode> results = new CopyOnWriteArrayList<>();
    SpanExporter tee = new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        sent.addAll(spans);
        CompletableResultCode result = otlp.export(spans);
        results.add(result);
        return result;
      }

      @Override
      public CompletableResultCode flush() {
        return otlp.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return otlp.shutdown();
      }
    };
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), name)))
        .addSpanProcessor(SimpleSpanProcessor.create(tee))
        .build();
    provider.get("outage-test").spanBuilder(name).startSpan().end();
    assertThat(results).hasSize(1);
    CompletableResultCode result = results.getFirst();
    result.whenComplete(provider::close);
    return result;
  }

  private List<String> spanIds() throws Exception {
    List<String> ids = new ArrayList<>();
    for (List<Object> row : collector.store().query(
        "SELECT SpanId FROM {db:Identifier}.otel_traces", Map.of("db", database)).rows()) {
      ids.add((String) row.get(0));
    }
    return ids;
  }

  private long count() throws Exception {
    return ((Number) collector.store().query("SELECT count() FROM {db:Identifier}.otel_traces",
        Map.of("db", database)).rows().getFirst().getFirst()).longValue();
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      LockSupport.parkNanos(10_000_000);
    }
  }
}
