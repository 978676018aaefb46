package io.tskotel.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.tskotel.collector.testing.ChildJvm;
import io.tskotel.collector.testing.OtlpRequests;
import io.tskotel.collector.testing.StoreDumpMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tskotel run} as a real process (the CLI's main class on the test classpath, i.e. the classes of
 * {@code tskotel.jar}) receiving from real OTLP clients: SIGTERM drains and exits 0; SIGKILL in the middle
 * of ingest loses nothing that was acknowledged.
 */
class RunProcessTest {
  private static final int SPANS = 5;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;

  private final List<ChildJvm> children = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void killLeftovers() {
    children.forEach(ChildJvm::destroyForcibly);
  }

  private Path config() throws Exception {
    Path file = dir.resolve("collector.tsk");
    Files.writeString(file, """
        [collector]
        grpc_host: "127.0.0.1"
        grpc_port: 0
        http_host: "127.0.0.1"
        http_port: 0
        queue_dir: "%s"
        self_telemetry_interval: "1s"
        [admin]
        port: 0
        grpc_port: -1
        [storage]
        data_path: "%s"
        batch_max_items: 500
        batch_max_delay: "50ms"
        """.formatted(dir.resolve("queue"), dir.resolve("chdb")));
    return file;
  }

  private ChildJvm run(String name) throws Exception {
    ChildJvm child = ChildJvm.start(dir, name, Main.class.getName(), "run", "--config", config().toString());
    children.add(child);
    return child;
  }

  /** Request number → stored spans of it, read by a third process once the collector is gone. */
  private Map<Long, Integer> storedSpansPerRequest() throws Exception {
    ChildJvm dump = ChildJvm.start(dir, "dump", StoreDumpMain.class.getName(),
        dir.resolve("chdb").toString(), "otel", "SELECT SpanId FROM otel.otel_traces");
    children.add(dump);
    assertThat(dump.awaitExit(Duration.ofSeconds(60))).as("dump exit code; stderr:%n%s", dump.stderr()).isZero();
    List<String> lines = dump.stdout().lines().toList();
    assertThat(lines).last().isEqualTo(StoreDumpMain.END);
    Map<Long, Integer> spans = new TreeMap<>();
    for (String line : lines.subList(0, lines.size() - 1)) {
      spans.merge((Long.parseUnsignedLong(line.trim(), 16) - 1) / 1000, 1, Integer::sum);
    }
    return spans;
  }

  private static ManagedChannel channel(int port) {
    return Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create()).build();
  }

  private boolean sendHttp(int port, long request) throws Exception {
    HttpResponse<Void> response = http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/traces"))
            .header("Content-Type", "application/x-protobuf")
            .timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofByteArray(
                OtlpRequests.traces(request, SPANS, "http-client").toByteArray()))
            .build(),
        HttpResponse.BodyHandlers.discarding());
    return response.statusCode() == 200;
  }

  @Test
  void run_sigterm_drainsTheQueuesAndExitsZero() throws Exception {
    ChildJvm collector = run("run");
    int[] ports = collector.awaitListening(START_TIMEOUT);
    ManagedChannel channel = channel(ports[0]);
    try {
      TraceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
          .export(OtlpRequests.traces(1, SPANS, "grpc-client"));
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertThat(sendHttp(ports[1], 2)).isTrue();

    collector.process().destroy(); // SIGTERM

    assertThat(collector.awaitExit(Duration.ofSeconds(60))).as("exit code; stderr:%n%s", collector.stderr())
        .isZero();
    String log = collector.stderr();
    assertThat(log.lines().filter(l -> l.contains("OTLP/gRPC receiver listening on 127.0.0.1:"))).hasSize(1);
    assertThat(log.lines().filter(l -> l.contains("OTLP/HTTP receiver listening on 127.0.0.1:"))).hasSize(1);
    assertThat(log).contains("SIGTERM received").contains("pipeline stopped (queues drained)")
        .contains("store closed").doesNotContain("SIGSEGV");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("hs_err"));
    }
    assertThat(storedSpansPerRequest()).isEqualTo(Map.of(1L, SPANS, 2L, SPANS));
  }

  @Test
  void kill9DuringIngest_restart_everyAcknowledgedRequestStored() throws Exception {
    ChildJvm first = run("first");
    int[] ports = first.awaitListening(START_TIMEOUT);
    ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    ManagedChannel channel = channel(ports[0]);
    // Two real clients, gRPC (even request numbers) and HTTP (odd), each sending as fast as it is answered.
    Thread grpcClient = Thread.ofPlatform().start(() -> {
      var stub = TraceServiceGrpc.newBlockingStub(channel);
      for (long r = 0; !stop.get(); r += 2) {
        try {
          stub.withDeadlineAfter(20, TimeUnit.SECONDS).export(OtlpRequests.traces(r, SPANS, "grpc-client"));
          acknowledged.add(r);
        } catch (RuntimeException e) {
          LockSupport.parkNanos(10_000_000); // refused, or the process is gone: not acknowledged
        }
      }
    });
    Thread httpClient = Thread.ofPlatform().start(() -> {
      for (long r = 1; !stop.get(); r += 2) {
        try {
          if (sendHttp(ports[1], r)) {
            acknowledged.add(r);
          }
        } catch (Exception e) {
          LockSupport.parkNanos(10_000_000);
        }
      }
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (acknowledged.size() < 300) {
      assertThat(first.process().isAlive()).as("collector alive; stderr:%n%s", first.stderr()).isTrue();
      assertThat(System.nanoTime()).as("ingest progress").isLessThan(deadline);
      LockSupport.parkNanos(20_000_000);
    }

    first.process().destroyForcibly(); // SIGKILL: no shutdown hook, no drain, clients mid-request
    assertThat(first.awaitExit(Duration.ofSeconds(30))).isEqualTo(137);
    stop.set(true);
    grpcClient.join();
    httpClient.join();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    List<Long> acked = List.copyOf(acknowledged);

    ChildJvm second = run("second");
    second.awaitListening(START_TIMEOUT);
    assertThat(second.stderr()).containsPattern("replaying \\d+ uncommitted records|pipeline started");
    second.process().destroy();
    assertThat(second.awaitExit(Duration.ofSeconds(60))).as("exit code; stderr:%n%s", second.stderr()).isZero();
    assertThat(second.stderr()).contains("pipeline stopped (queues drained)");

    Map<Long, Integer> stored = storedSpansPerRequest();
    assertThat(acked).hasSizeGreaterThanOrEqualTo(300);
    for (long r : acked) {
      // At-least-once: a batch written before the kill but not yet committed is written again.
      assertThat(stored.getOrDefault(r, 0)).as("spans of acknowledged request %d", r)
          .isGreaterThanOrEqualTo(SPANS)
          .matches(n -> n % SPANS == 0, "whole requests only");
    }
  }
}
