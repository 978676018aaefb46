package io.tskotel.collector.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.collector.Collector;
import io.tskotel.collector.api.AdminApi;
import io.tskotel.collector.api.AdminApiComponent;
import io.tskotel.collector.pipeline.Admission;
import io.tskotel.collector.pipeline.IngestSink;
import io.tskotel.collector.receiver.OtlpReceiver;
import io.tskotel.collector.receiver.OtlpReceiverConfig;
import io.tskotel.collector.testing.TestCollectors;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.testing.TestStores;
import io.tskotel.tsk.Tsk;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The load generator against real receivers and a running collector: counted right, retried, followed. */
class LoadGeneratorTest {
  @TempDir Path dir;
  private @Nullable Collector collector;
  private @Nullable ClickHouseStore store;
  private final StringWriter progress = new StringWriter();

  @AfterEach
  void stop() {
    if (collector != null) {
      collector.shutdown();
    }
    if (store != null) {
      store.close();
    }
  }

  private static LoadConfig config(LoadConfig.Signal signal, LoadConfig.Protocol protocol, URI endpoint,
      long requests, int items, @Nullable URI status) {
    return new LoadConfig(signal, protocol, endpoint, null, 2, 4, 0, Duration.ofSeconds(30), requests, items, 3,
        10, 0.05, 5, status, null, Duration.ofSeconds(30));
  }

  @ParameterizedTest
  @EnumSource(LoadConfig.Protocol.class)
  void run_everySignalThroughTheCollector_allAcknowledgedItemsCommitted(LoadConfig.Protocol protocol)
      throws Exception {
    store = TestStores.newStore(LoadGeneratorTest.class);
    AdminApi[] api = new AdminApi[1];
    collector = Collector.builder(TestCollectors.settings(dir, p -> {}))
        .store(store)
        .component(c -> {
          AdminApiComponent component = (AdminApiComponent) AdminApiComponent.factory(
              Tsk.parse("[admin]\nhost: \"127.0.0.1\"\nport: 0\ngrpc_port: 0\n")).create(c);
          api[0] = component.api();
          return component;
        })
        .start();
    URI status = URI.create("http://127.0.0.1:" + api[0].admin().port() + "/status");
    int port = protocol == LoadConfig.Protocol.GRPC ? collector.grpcPort() : collector.httpPort();
    for (LoadConfig.Signal signal : LoadConfig.Signal.values()) {
      LoadReport r = LoadGenerator.run(config(signal, protocol, URI.create("http://127.0.0.1:" + port), 12, 25, status),
          new PrintWriter(progress, true));

      assertThat(r.requests()).as(signal + " over " + protocol).isEqualTo(12);
      assertThat(r.ackedItems()).isEqualTo(12 * 25);
      assertThat(r.refusedRequests()).isZero();
      assertThat(r.rejectedItems()).isZero();
      assertThat(r.committedItems()).isEqualTo(12 * 25);
      assertThat(r.drained()).isTrue();
    }
    String table = "SELECT (SELECT count() FROM `" + store.config().database() + "`.otel_traces),"
        + " (SELECT count() FROM `" + store.config().database() + "`.otel_metrics_gauge),"
        + " (SELECT count() FROM `" + store.config().database() + "`.otel_logs)";
    assertThat(store.engine().query(table, Map.of()).rows().get(0)).containsExactly(300L, 300L, 300L);
    assertThat(progress.toString()).contains("store committed 300 items").contains("queue drained");
  }

  @Test
  void run_retryableRefusals_retriedUntilAcknowledged() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    AtomicLong items = new AtomicLong();
    IngestSink sink = (signal, bytes, count) -> {
      if (calls.incrementAndGet() <= 3) {
        return Admission.retryLater(Duration.ofMillis(10), "queue full");
      }
      items.addAndGet(count);
      return Admission.accepted();
    };
    for (LoadConfig.Protocol protocol : LoadConfig.Protocol.values()) {
      calls.set(0);
      items.set(0);
      try (OtlpReceiver receiver = OtlpReceiver.create(
          OtlpReceiverConfig.builder().host("127.0.0.1").grpcPort(0).httpPort(0).build(), sink)) {
        receiver.start();
        int port = protocol == LoadConfig.Protocol.GRPC ? receiver.grpcPort() : receiver.httpPort();
        LoadReport r = LoadGenerator.run(config(LoadConfig.Signal.LOGS, protocol,
            URI.create("http://127.0.0.1:" + port), 10, 7, null), new PrintWriter(progress, true));

        assertThat(r.retries()).as(protocol.name()).isEqualTo(3);
        assertThat(r.ackedRequests()).isEqualTo(10);
        assertThat(r.refusedRequests()).isZero();
        assertThat(items.get()).isEqualTo(70);
        assertThat(r.committedItems()).isNull();
      }
    }
  }

  @Test
  void run_permanentRefusal_countedByStatus() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.create(OtlpReceiverConfig.builder().host("127.0.0.1")
        .grpcPort(0).httpPort(0).authToken("secret").build(), (signal, bytes, count) -> Admission.accepted())) {
      receiver.start();
      LoadReport r = LoadGenerator.run(config(LoadConfig.Signal.TRACES, LoadConfig.Protocol.HTTP_PROTOBUF,
          URI.create("http://127.0.0.1:" + receiver.httpPort()), 5, 3, null), new PrintWriter(progress, true));

      assertThat(r.refusedRequests()).isEqualTo(5);
      assertThat(r.refusals()).containsExactly(Map.entry("HTTP 401", 5L));
      assertThat(r.retries()).isZero();
    }
  }

  /**
   * A bare grpc-java server that refuses every call before reading its message (RESOURCE_EXHAUSTED with
   * RetryInfo) and, like grpc-java itself, sends no RST_STREAM after the status; two streams a connection.
   */
  private static io.grpc.Server refusingServer() throws java.io.IOException {
    var method = io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
        .setFullMethodName("opentelemetry.proto.collector.logs.v1.LogsService/Export")
        .setRequestMarshaller(new BytesMarshaller()).setResponseMarshaller(new BytesMarshaller()).build();
    io.grpc.ServerCallHandler<byte[], byte[]> refuse = (call, headers) -> {
      com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
          .setCode(com.google.rpc.Code.RESOURCE_EXHAUSTED_VALUE).setMessage("busy")
          .addDetails(com.google.protobuf.Any.pack(com.google.rpc.RetryInfo.newBuilder()
              .setRetryDelay(com.google.protobuf.Duration.newBuilder().setNanos(20_000_000)).build()))
          .build();
      io.grpc.StatusRuntimeException e = io.grpc.protobuf.StatusProto.toStatusRuntimeException(status);
      call.close(e.getStatus(), e.getTrailers());
      return new io.grpc.ServerCall.Listener<>() {};
    };
    return io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder
        .forAddress(new java.net.InetSocketAddress("127.0.0.1", 0))
        .maxConcurrentCallsPerConnection(2)
        .addService(io.grpc.ServerServiceDefinition.builder("opentelemetry.proto.collector.logs.v1.LogsService")
            .addMethod(method, refuse).build())
        .build().start();
  }

  private static final class BytesMarshaller implements io.grpc.MethodDescriptor.Marshaller<byte[]> {
    @Override
    public java.io.InputStream stream(byte[] value) {
      return new java.io.ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(java.io.InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  @Test
  void grpcSend_bigRequestsRefusedUnread_eachAnsweredWithTheRefusal_streamsFreed() throws Exception {
    io.grpc.Server server = refusingServer();
    try (GrpcTransport transport = new GrpcTransport(config(LoadConfig.Signal.LOGS, LoadConfig.Protocol.GRPC,
        URI.create("http://127.0.0.1:" + server.getPort()), 1, 1, null))) {
      // Several flow-control windows each: the server answers while the client still sends.
      byte[] body = new byte[4 << 20];
      // One after another on one connection of two streams: a stream left open by an answered call would leave
      // none after the second, and the third would wait for one until its deadline.
      for (int i = 0; i < 2 * 3; i++) {
        Transport.Answer answer = transport.send(body).get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(answer.outcome()).as("attempt " + i).isEqualTo(Transport.Outcome.RETRYABLE);
        assertThat(answer.detail()).as("attempt " + i).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(answer.retryAfterMillis()).isEqualTo(20);
      }
    } finally {
      server.shutdownNow().awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void validate_reportsEveryBadValue() {
    LoadConfig bad = new LoadConfig(LoadConfig.Signal.TRACES, LoadConfig.Protocol.GRPC, URI.create("ftp://x"), null,
        0, 0, -1, Duration.ZERO, -1, 0, 0, 0, 2, -1, null, null, Duration.ofSeconds(1));
    assertThat(bad.validate()).containsExactly(
        "connections: 0 (expected: > 0)",
        "inFlight: 0 (expected: > 0)",
        "rate: -1.0 (expected: >= 0, 0 for as fast as possible)",
        "duration: PT0S (expected: > 0)",
        "requests: -1 (expected: >= 0, 0 for no limit)",
        "itemsPerRequest: 0 (expected: > 0)",
        "services: 0 (expected: > 0)",
        "routes: 0 (expected: > 0)",
        "errorRatio: 2.0 (expected: 0 to 1)",
        "maxRetries: -1 (expected: >= 0)",
        "endpoint: ftp://x (expected: http://host:port or https://host:port)");
  }
}
