package io.tskotel.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tskotel.collector.api.AdminApiComponent;
import io.tskotel.collector.pipeline.BatcherConfig;
import io.tskotel.collector.telemetry.CollectorMetrics;
import io.tskotel.collector.testing.FaultInjectingEngine;
import io.tskotel.collector.testing.OtlpRequests;
import io.tskotel.collector.testing.TestCollectors;
import io.tskotel.collector.testing.Tmpfs;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.internal.engine.ClickHouseErrors;
import io.tskotel.exporter.testing.ChdbTestEngine;
import io.tskotel.tsk.Tsk;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running collector (real receivers, queue, batchers, chDB behind a fault switch, admin API with a token)
 * whose store fails in the ways that are the store's fault, or whose batcher hits a bug: nothing is
 * dead-lettered or lost, the batcher thread lives on, the probes say why without the engine's text (the
 * admin sees it), and once the fault is gone every accepted record is stored exactly once.
 */
class PipelineFaultTest {
  private static final String TOKEN = "admin-secret-token";
  private static final int REQUESTS = 8;
  private static final int RECORDS = 25;
  private static final String AUTH_ERROR =
      "Code: 516. DB::Exception: tskotel: Authentication failed: password is incorrect. (AUTHENTICATION_FAILED)";

  @TempDir Path dir;
  private String database;
  private FaultInjectingEngine engine;
  private Collector collector;
  private AdminApiComponent api;
  private final HttpClient http = HttpClient.newHttpClient();

  private Tmpfs tmpfs;

  @BeforeEach
  void openStore() {
    database = ChdbTestEngine.newDatabase(PipelineFaultTest.class);
    engine = new FaultInjectingEngine(ChdbTestEngine.shared());
  }

  /** Starts the collector with its queues under {@code root}. */
  private void start(Path root, long segmentBytes) throws Exception {
    ClickHouseStore store = ClickHouseStore.create(StoreConfig.builder().database(database).build(), engine);
    Tsk tsk = Tsk.parse("""
        [admin]
        host: "127.0.0.1"
        port: 0
        grpc_port: 0
        token: "%s"
        """.formatted(TOKEN));
    collector = Collector.builder(TestCollectors.settings(root, p -> p.segmentBytes(segmentBytes)
            .batch(BatcherConfig.builder()
            .maxItems(1000).maxDelay(Duration.ofMillis(20))
            .initialBackoff(Duration.ofMillis(20)).maxBackoff(Duration.ofMillis(200)).build())))
        .store(store)
        .component(c -> {
          api = (AdminApiComponent) AdminApiComponent.factory(tsk).create(c);
          return api;
        })
        .start();
  }

  @AfterEach
  void stop() throws Exception {
    engine.failInsertsWith(null);
    engine.failInserts(false);
    if (collector != null) {
      collector.shutdown();
    }
    if (tmpfs != null) {
      tmpfs.close();
    }
    ChdbTestEngine.dropDatabase(database);
  }

  @Test
  void storeAuthenticationFails_dataStaysQueuedProbesSaySoAndAllArrivesAfterTheFix() throws Exception {
    start(dir, 1 << 20);
    engine.failInsertsWith(() -> ClickHouseErrors.classify(AUTH_ERROR));
    sendLogs();

    HttpResponse<String> ready = awaitAdmin("/ready", null, r -> r.statusCode() == 503
        && r.body().contains("logs: store: authentication failed"));
    assertThat(ready.body()).doesNotContain("password is incorrect", "DB::Exception", "516");
    HttpResponse<String> health = awaitAdmin("/health", null, r -> r.statusCode() == 503);
    assertThat(health.body()).contains("logs: store: authentication failed").doesNotContain("DB::Exception");
    // The admin sees the engine's text, and /status says the same per signal.
    assertThat(admin("/ready", TOKEN).body()).contains("password is incorrect");
    assertThat(admin("/status", TOKEN).body()).contains("\"drain_reason\":\"store: authentication failed\"");
    assertThat(logsStatus("store_errors_permanent")).as("the failed writes, counted in /status").isPositive();
    assertThat(logsStatus("store_errors_retryable")).isZero();
    assertThat(deadLetters()).as("the store's fault never dead-letters data").isZero();

    engine.failInsertsWith(null);
    awaitAdmin("/ready", null, r -> r.statusCode() == 200);
    awaitRows(REQUESTS * RECORDS);
    assertThat(deadLetters()).isZero();
  }

  @Test
  void batcherHitsABug_itStartsAgainKeepsItsBatchAndReportsUntilFixed() throws Exception {
    start(dir, 1 << 20);
    engine.failInsertsWith(() -> new AssertionError("injected bug in the write path"));
    sendLogs();

    HttpResponse<String> ready = awaitAdmin("/ready", null, r -> r.statusCode() == 503
        && r.body().contains("logs: batcher failed"));
    assertThat(ready.body()).doesNotContain("injected bug");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (collector.metrics().total(CollectorMetrics.BATCHER_FAILURES, Map.of("signal", "logs")) < 2) {
      assertThat(System.nanoTime()).as("the batcher starts again and fails again").isLessThan(deadline);
      Thread.onSpinWait();
    }
    assertThat(Thread.getAllStackTraces().keySet())
        .anyMatch(t -> t.getName().equals("tskotel-batcher-logs") && t.isAlive());

    engine.failInsertsWith(null);
    awaitRows(REQUESTS * RECORDS);
    awaitAdmin("/ready", null, r -> r.statusCode() == 200);
    assertThat(deadLetters()).isZero();
  }

  /**
   * Must-show: the queue directory on a real 40 MB tmpfs, the store held off, and four clients sending OTLP
   * logs as fast as the collector answers until the disk is full. Then: requests are refused retryably
   * (503), the probes say the queue cannot take data, and once the store is back the queue drains, commits
   * and frees segments on the full disk, ingest resumes by itself, and every acknowledged record is stored.
   */
  @Test
  void queueDiskFull_probesSaySoIngestResumesByItselfAndNothingAcknowledgedIsLost() throws Exception {
    tmpfs = Tmpfs.mount(dir.resolve("tmpfs"), 40L << 20);
    engine.failInserts(true); // the store is away: the burst can only go to disk
    start(tmpfs.path(), 4 << 20);
    String padding = "x".repeat(400);
    AtomicLong acked = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong nextRequest = new AtomicLong();
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      clients.add(Thread.ofPlatform().start(() -> {
        int refusedInARow = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (refusedInARow < 20 && System.nanoTime() < deadline) {
          int status = postLogs(nextRequest.getAndIncrement(), 100, padding);
          if (status == 200) {
            acked.addAndGet(100);
            refusedInARow = 0;
          } else {
            assertThat(status).as("a full disk answers retryably").isEqualTo(503);
            refused.incrementAndGet();
            refusedInARow++;
          }
        }
      }));
    }
    for (Thread t : clients) {
      t.join();
    }
    HttpResponse<String> ready = awaitAdmin("/ready", null, r -> r.statusCode() == 503
        && r.body().contains("logs: queue disk full"));
    assertThat(ready.body()).doesNotContain("No space left");
    long ackedInBurst = acked.get();
    assertThat(ackedInBurst).as("the burst filled the disk").isPositive();
    assertThat(refused.get()).isPositive();
    assertThat(logsStatus("refused_items")).as("the refusals, counted in /status").isPositive();

    engine.failInserts(false); // the store is back: nobody restarts anything
    long resumeStart = System.nanoTime();
    long deadline = resumeStart + TimeUnit.SECONDS.toNanos(30);
    while (postLogs(nextRequest.getAndIncrement(), 100, padding) != 200) {
      assertThat(System.nanoTime()).as("ingest resumes by itself").isLessThan(deadline);
      Thread.sleep(20);
    }
    acked.addAndGet(100);
    long resumeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - resumeStart);
    awaitAdmin("/ready", null, r -> r.statusCode() == 200);
    long stored = awaitRows(acked.get());
    System.out.printf("disk-full burst: %d log records acknowledged (%d in the burst), %d requests refused, "
        + "%d stored; ingest resumed %d ms after the store came back%n",
        acked.get(), ackedInBurst, refused.get(), stored, resumeMillis);
  }

  private void sendLogs() throws Exception {
    for (int i = 0; i < REQUESTS; i++) {
      assertThat(postLogs(i, RECORDS, "")).as("request %d accepted into the queue", i).isEqualTo(200);
    }
  }

  /** A counter of the logs pipeline in {@code /status}. */
  private long logsStatus(String field) throws Exception {
    JsonNode logs = new ObjectMapper().readTree(admin("/status", TOKEN).body())
        .path("pipeline").path("signals").path("logs");
    assertThat(logs.has(field)).as("/status has pipeline.signals.logs.%s: %s", field, logs).isTrue();
    return logs.get(field).asLong();
  }

  /** Posts one OTLP/HTTP logs request; returns the status. */
  private int postLogs(long request, int records, String padding) {
    ExportLogsServiceRequest.Builder body = OtlpRequests.logs(request, records).toBuilder();
    if (!padding.isEmpty()) {
      body.getResourceLogsBuilder(0).getScopeLogsBuilder(0).getLogRecordsBuilderList()
          .forEach(r -> r.getBodyBuilder().setStringValue(r.getBody().getStringValue() + padding));
    }
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpPort() + "/v1/logs"))
              .header("Content-Type", "application/x-protobuf")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body.build().toByteArray()))
              .build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      throw new AssertionError("request " + request + " failed", e);
    }
  }

  private HttpResponse<String> admin(String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.api().admin().port() + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> awaitAdmin(String path, String token, Predicate<HttpResponse<String>> until)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      HttpResponse<String> response = admin(path, token);
      if (until.test(response)) {
        return response;
      }
      assertThat(System.nanoTime()).as("%s never got there; last: %s %s", path, response.statusCode(),
          response.body()).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private long awaitRows(long expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      long rows = ((Number) collector.store()
          .query("SELECT count() FROM " + database + ".otel_logs", Map.of()).rows().get(0).get(0)).longValue();
      if (rows == expected) {
        return rows;
      }
      assertThat(rows).as("stored exactly once").isLessThan(expected);
      assertThat(System.nanoTime()).as("rows: %d of %d", rows, expected).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private long deadLetters() throws Exception {
    Path index = collector.settings().pipeline().deadLetterDirectory().resolve("logs.dlq.txt");
    return Files.exists(index) ? Files.readAllLines(index).size() : 0;
  }
}
