package io.tskotel.exporter.bench;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.chdb.ChdbEngine;
import io.tskotel.exporter.internal.engine.SqlEngine;
import io.tskotel.exporter.testing.ForwardingEngine;
import io.tskotel.exporter.testing.OtlpFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Rows per second for each signal through {@link ClickHouseStore} (OTLP objects encoded to RowBinary, then
 * inserted) against the raw chDB stream insert of the very same bytes, in the same process and run.
 * The ratio is the store's own cost. Not a test: run it by hand.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp exporter/target/test-classes:exporter/target/classes:$(deps) \
 *     io.tskotel.exporter.bench.StoreBenchmark [rounds] [rows per batch]
 * </pre>
 */
public final class StoreBenchmark {
  private StoreBenchmark() {}

  /** Passes everything through, keeping a copy of each insert of the current write call. */
  static final class CapturingEngine extends ForwardingEngine {
    final List<Object[]> captured = new ArrayList<>();
    boolean capture;
    boolean discard;

    CapturingEngine(SqlEngine delegate) {
      super(delegate);
    }

    // Captures RowBinary to replay as the raw insert: the store under test inserts RowBinary too.
    @Override
    public boolean takesNative() {
      return false;
    }

    @Override
    public void insertRowBinary(String prefix, byte[] rows, int length, int rowCount) throws StoreException {
      if (capture) {
        captured.add(new Object[] {prefix, Arrays.copyOf(rows, length), rowCount});
      }
      if (!discard) {
        delegate.insertRowBinary(prefix, rows, length, rowCount);
      }
    }
  }

  interface Write {
    void run() throws StoreException;
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path dir = Files.createTempDirectory("tskotel-bench-");
    ChdbEngine chdb = ChdbEngine.builder().dataPath(dir).poolSize(2).build();
    CapturingEngine engine = new CapturingEngine(chdb);
    StoreConfig config = StoreConfig.builder().database("bench").dataPath(dir)
        .ttl("traces", Duration.ZERO).ttl("logs", Duration.ZERO).ttl("metrics", Duration.ZERO).build();
    ClickHouseStore store = ClickHouseStore.create(config, engine);

    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    List<ResourceSpans> traces = List.of(traces(batch));
    List<ResourceLogs> logs = List.of(logs(batch));
    List<ResourceMetrics> metrics = new ArrayList<>();
    for (int i = 0; i < batch / 5; i++) {
      metrics.add(OtlpFixtures.sampleMetrics("svc-" + (i % 20))); // 5 points each, one of every type
    }

    System.out.printf("chDB %s, %d rounds, median rows/s%n", chdb.query("SELECT version()", Map.of()).rows().get(0).get(0), rounds);
    System.out.printf("%-8s %8s %14s %14s %8s %14s%n", "signal", "rows", "store rows/s", "raw rows/s", "ratio",
        "encode rows/s");
    run("traces", batch, () -> store.writeTraces(traces), engine, chdb, rounds);
    run("logs", batch, () -> store.writeLogs(logs), engine, chdb, rounds);
    run("metrics", batch, () -> store.writeMetrics(metrics), engine, chdb, rounds);
    System.out.println(store.stats());
    store.close();
  }

  private static void run(String signal, int rows, Write write, CapturingEngine engine, ChdbEngine raw, int rounds)
      throws StoreException {
    engine.captured.clear();
    engine.capture = true;
    write.run(); // warm-up, and the bytes the raw path replays
    engine.capture = false;
    List<Object[]> bytes = List.copyOf(engine.captured);
    for (Object[] c : bytes) { // warm the raw path too
      raw.insertRowBinary((String) c[0], (byte[]) c[1], ((byte[]) c[1]).length, (Integer) c[2]);
    }
    double[] encode = new double[rounds];
    double[] store = new double[rounds];
    double[] direct = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      engine.discard = true;
      long e0 = System.nanoTime();
      write.run();
      encode[r] = rows / ((System.nanoTime() - e0) / 1e9);
      engine.discard = false;
      // Alternate which path goes first, so a burst of load on a shared machine hits both alike.
      long storeNanos;
      long rawNanos;
      if (r % 2 == 0) {
        storeNanos = time(write);
        rawNanos = time(() -> replay(raw, bytes));
      } else {
        rawNanos = time(() -> replay(raw, bytes));
        storeNanos = time(write);
      }
      store[r] = rows / (storeNanos / 1e9);
      direct[r] = rows / (rawNanos / 1e9);
    }
    double s = median(store);
    double d = median(direct);
    System.out.printf("%-8s %8d %14.0f %14.0f %8.2f %14.0f%n", signal, rows, s, d, s / d, median(encode));
  }

  private static long time(Write w) throws StoreException {
    long t = System.nanoTime();
    w.run();
    return System.nanoTime() - t;
  }

  private static void replay(ChdbEngine raw, List<Object[]> bytes) throws StoreException {
    for (Object[] c : bytes) {
      raw.insertRowBinary((String) c[0], (byte[]) c[1], ((byte[]) c[1]).length, (Integer) c[2]);
    }
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  private static ResourceSpans traces(int n) {
    Span[] spans = new Span[n];
    Instant t = Instant.now();
    for (int i = 0; i < n; i++) {
      spans[i] = OtlpFixtures.span(String.format("%032x", i / 8 + 1), String.format("%016x", i + 1),
          i % 8 == 0 ? "" : String.format("%016x", i), t.plusNanos(i * 1000L), 250_000 + i);
    }
    return OtlpFixtures.traces("checkout", spans);
  }

  private static ResourceLogs logs(int n) {
    LogRecord[] records = new LogRecord[n];
    Instant t = Instant.now();
    for (int i = 0; i < n; i++) {
      records[i] = OtlpFixtures.log(t.plusNanos(i * 1000L), "request " + i + " took " + (i % 300) + " ms");
    }
    return OtlpFixtures.logs("checkout", records);
  }
}
