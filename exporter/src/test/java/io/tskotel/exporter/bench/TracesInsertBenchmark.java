package io.tskotel.exporter.bench;

import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.chdb.ChdbConnection;
import io.tskotel.exporter.internal.chdb.ChdbEngine;
import io.tskotel.exporter.internal.chdb.ChdbRuntime;
import io.tskotel.exporter.testing.RowBinaryBytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rows/s of stream-inserting otel_traces-shaped RowBinary batches: {@code raw} calls chDB's stream insert
 * on one connection with nothing around it (the baseline), {@code engine} goes through
 * {@link ChdbEngine#insertRowBinary} (pool, checks). The store's own path is compared against the same
 * baseline by the store benchmark. Run:
 *
 * <pre>
 * mvn -o -pl exporter -am -Pbench -Dchdb.skipFetch test-compile [-Djmh.args="TracesInsert -f 1"]
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xss4m"})
@State(Scope.Benchmark)
public class TracesInsertBenchmark {
  /** Rows per insert: a collector's batch (the OTel batch processor's default is 8192). */
  static final int BATCH = 5000;

  /** The table as the OpenTelemetry Collector's clickhouseexporter creates it (codecs, indexes aside). */
  static final String DDL =
      """
      CREATE TABLE bench.otel_traces (
        Timestamp DateTime64(9) CODEC(Delta, ZSTD(1)),
        TraceId String CODEC(ZSTD(1)),
        SpanId String CODEC(ZSTD(1)),
        ParentSpanId String CODEC(ZSTD(1)),
        TraceState String CODEC(ZSTD(1)),
        SpanName LowCardinality(String) CODEC(ZSTD(1)),
        SpanKind LowCardinality(String) CODEC(ZSTD(1)),
        ServiceName LowCardinality(String) CODEC(ZSTD(1)),
        ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
        ScopeName String CODEC(ZSTD(1)),
        ScopeVersion String CODEC(ZSTD(1)),
        SpanAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
        Duration UInt64 CODEC(ZSTD(1)),
        StatusCode LowCardinality(String) CODEC(ZSTD(1)),
        StatusMessage String CODEC(ZSTD(1)),
        Events Nested (
          Timestamp DateTime64(9),
          Name LowCardinality(String),
          Attributes Map(LowCardinality(String), String)
        ) CODEC(ZSTD(1)),
        Links Nested (
          TraceId String,
          SpanId String,
          TraceState String,
          Attributes Map(LowCardinality(String), String)
        ) CODEC(ZSTD(1))
      ) ENGINE = MergeTree
      PARTITION BY toDate(Timestamp)
      ORDER BY (ServiceName, SpanName, toDateTime(Timestamp))
      """;

  static final String INSERT =
      "INSERT INTO bench.otel_traces (Timestamp, TraceId, SpanId, ParentSpanId, TraceState, SpanName,"
          + " SpanKind, ServiceName, ResourceAttributes, ScopeName, ScopeVersion, SpanAttributes, Duration,"
          + " StatusCode, StatusMessage, `Events.Timestamp`, `Events.Name`, `Events.Attributes`,"
          + " `Links.TraceId`, `Links.SpanId`, `Links.TraceState`, `Links.Attributes`)";

  private ChdbEngine engine;
  private ChdbConnection raw;
  private byte[] rows;

  @Setup(Level.Trial)
  public void setUp() throws IOException, StoreException {
    Path data = Files.createTempDirectory("tskotel-bench-");
    engine = ChdbEngine.builder().dataPath(data).poolSize(2).build();
    raw = ChdbRuntime.connect(data, Map.of());
    engine.execute("CREATE DATABASE bench", Map.of());
    engine.execute(DDL, Map.of());
    rows = encode(BATCH, new SplittableRandom(42));
  }

  @TearDown(Level.Iteration)
  public void truncate() throws StoreException {
    engine.execute("TRUNCATE TABLE bench.otel_traces", Map.of());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    raw.close();
    engine.close();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long raw() throws StoreException {
    return raw.insert(INSERT, "RowBinary", rows, 0, rows.length);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void engine() throws StoreException {
    engine.insertRowBinary(INSERT, rows, rows.length, BATCH);
  }

  /** {@code count} spans like a small web service's: ~10 attributes, one event, sometimes a link. */
  static byte[] encode(int count, SplittableRandom random) {
    RowBinaryBytes out = new RowBinaryBytes();
    Instant start = Instant.parse("2024-05-06T07:00:00Z");
    List<String> services = List.of("checkout", "cart", "payment", "frontend");
    List<String> routes = List.of("GET /api/cart", "POST /api/checkout", "GET /api/products/{id}", "db.query");
    for (int i = 0; i < count; i++) {
      Instant t = start.plusNanos(i * 1_000_123L);
      String service = services.get(random.nextInt(services.size()));
      out.dateTime64Nanos(t)
          .string(hex(random, 16))
          .string(hex(random, 8))
          .string(i % 5 == 0 ? "" : hex(random, 8))
          .string("")
          .string(routes.get(random.nextInt(routes.size())))
          .string("Server")
          .string(service)
          .stringMap(
              "host.name", "host-" + random.nextInt(8),
              "service.name", service,
              "service.version", "1.4.2",
              "telemetry.sdk.language", "java",
              "telemetry.sdk.name", "opentelemetry")
          .string("io.opentelemetry.http")
          .string("2.1.0")
          .stringMap(attributes(random))
          .int64(random.nextLong(1_000, 50_000_000))
          .string(random.nextInt(50) == 0 ? "Error" : "Unset")
          .string("");
      // Events: one event per span.
      out.varUInt(1).dateTime64Nanos(t.plusNanos(500));
      out.varUInt(1).string("exception");
      out.varUInt(1).stringMap("exception.type", "java.io.IOException", "exception.message", "broken pipe");
      // Links: one span in ten links another trace.
      int links = i % 10 == 0 ? 1 : 0;
      out.varUInt(links);
      for (int l = 0; l < links; l++) {
        out.string(hex(random, 16));
      }
      out.varUInt(links);
      for (int l = 0; l < links; l++) {
        out.string(hex(random, 8));
      }
      out.varUInt(links);
      for (int l = 0; l < links; l++) {
        out.string("");
      }
      out.varUInt(links);
      for (int l = 0; l < links; l++) {
        out.stringMap("link.kind", "follows");
      }
    }
    return out.toByteArray();
  }

  private static String[] attributes(SplittableRandom random) {
    List<String> kv = new ArrayList<>();
    kv.addAll(List.of("http.request.method", "GET"));
    kv.addAll(List.of("http.response.status_code", Integer.toString(200 + random.nextInt(3) * 100)));
    kv.addAll(List.of("http.route", "/api/products/{id}"));
    kv.addAll(List.of("network.peer.address", "10.0.0." + random.nextInt(255)));
    kv.addAll(List.of("server.address", "shop.example.com"));
    kv.addAll(List.of("server.port", "443"));
    kv.addAll(List.of("url.path", "/api/products/" + random.nextInt(100_000)));
    kv.addAll(List.of("url.scheme", "https"));
    kv.addAll(List.of("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0"));
    kv.addAll(List.of("thread.name", "http-nio-" + random.nextInt(16)));
    return kv.toArray(String[]::new);
  }

  private static String hex(SplittableRandom random, int bytes) {
    StringBuilder s = new StringBuilder(bytes * 2);
    for (int i = 0; i < bytes; i++) {
      s.append(Character.forDigit(random.nextInt(16), 16)).append(Character.forDigit(random.nextInt(16), 16));
    }
    return s.toString();
  }
}
