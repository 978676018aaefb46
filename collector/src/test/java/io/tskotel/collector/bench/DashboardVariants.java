package io.tskotel.collector.bench;

import io.tskotel.collector.query.QueryConfig;
import io.tskotel.collector.query.QueryFunctions;
import io.tskotel.collector.query.internal.MetricSql;
import io.tskotel.collector.query.internal.ServiceSql;
import io.tskotel.collector.query.internal.Values;
import io.tskotel.collector.query.internal.WholeMinutes;
import io.tskotel.collector.testing.MutableClock;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.EngineMemory;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Ways of answering {@code dashboardData} alternated round by round over the bench's tables ({@link
 * QueryPhase#fill}: N realistic spans, merged), each call's statements timed where they run. The data
 * directory is kept: a second run with the same directory skips the fill (the windows end inside the
 * filled hour, found from the spans' latest timestamp). Run from the collector module's test class path:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... io.tskotel.collector.bench.DashboardVariants DIR [rows] [rounds]
 *     [variant,...]
 * </pre>
 */
public final class DashboardVariants {
  private static final int FOLDED = 7;

  private DashboardVariants() {}

  /** Today's error count before migration 9: both status attributes looked up in the map. */
  static final String ERROR_COUNT_FROM_MAPS =
      """
      countIf(StatusCode IN ('Error', 'STATUS_CODE_ERROR')
          OR toInt64OrZero(SpanAttributes['http.response.status_code']) >= {threshold:Int64}
          OR toInt64OrZero(SpanAttributes['http.status_code']) >= {threshold:Int64})""";

  /**
   * The variants, by name: how each builds its {@link QueryFunctions} from the common builder. Names with
   * "maps" run the statements as they were before migration 9 (the error count from the map).
   */
  static Map<String, UnaryOperator<QueryFunctions.Builder>> variants() {
    Map<String, UnaryOperator<QueryFunctions.Builder>> v = new LinkedHashMap<>();
    v.put("maps sequential", b -> b.concurrentDashboard(false));
    v.put("maps concurrent", b -> b.concurrentDashboard(true));
    v.put("column sequential", b -> b.concurrentDashboard(false));
    v.put("column concurrent", b -> b.concurrentDashboard(true));
    v.put("sequential", b -> b.concurrentDashboard(false));
    v.put("concurrent", b -> b.concurrentDashboard(true));
    return v;
  }

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    long rows = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    List<String> names = args.length > 3 ? List.of(args[3].split(",")) : List.copyOf(variants().keySet());
    EngineMemory unbounded = new EngineMemory(0, EngineMemory.DEFAULT_MARK_CACHE_SIZE,
        EngineMemory.DEFAULT_INDEX_CACHE_SIZE, 0, 0);
    Path filled = data.resolve("filled");
    Files.createDirectories(data);
    try (ClickHouseStore store = ClickHouseStore.embedded(StoreConfig.builder().dataPath(data.resolve("db"))
        .database("bench").engineMemory(unbounded).build())) {
      if (!Files.exists(filled)) {
        long t0 = System.nanoTime();
        QueryPhase.fill(store, rows);
        Files.writeString(filled, Long.toString(rows));
        System.out.printf(Locale.ROOT, "filled %,d spans and gauge points in %.1f s%n", rows,
            (System.nanoTime() - t0) / 1e9);
      }
      if (!Files.exists(data.resolve("http-status-column"))) {
        // migration 9's column on the filled table, written into its part (as merges would)
        long c0 = System.nanoTime();
        Map<String, String> db = Map.of("db", "bench");
        store.engine().execute("ALTER TABLE {db:Identifier}.otel_traces ADD COLUMN IF NOT EXISTS HttpStatus Int64"
            + " MATERIALIZED greatest(toInt64OrZero(SpanAttributes['http.response.status_code']),"
            + " toInt64OrZero(SpanAttributes['http.status_code']))", db);
        store.engine().execute("ALTER TABLE {db:Identifier}.otel_traces MATERIALIZE COLUMN HttpStatus"
            + " SETTINGS mutations_sync = 1", db);
        Files.writeString(data.resolve("http-status-column"), "1");
        System.out.printf(Locale.ROOT, "HttpStatus column materialized in %.1f s%n", (System.nanoTime() - c0) / 1e9);
      }
      Instant anchor = Values.toInstant(store.query(
          "SELECT max(Timestamp) FROM {db:Identifier}.otel_traces", Map.of("db", "bench")).rows().get(0).get(0));
      System.out.println("latest span " + anchor);
      MutableClock clock = new MutableClock(Instant.now());
      TimedStore timed = new TimedStore(store, 70, UnaryOperator.identity());
      QueryConfig config = QueryConfig.builder().database("bench").build();
      Map<String, QueryFunctions> functions = new LinkedHashMap<>();
      List<ClickHouseStore> copies = new ArrayList<>();
      Map<String, TimedStore> timers = new LinkedHashMap<>();
      for (String n : names) {
        if (n.startsWith("copy:")) {
          // copy:NAME runs the sequential dashboard over a copy of the spans and gauge points whose
          // otel_traces carries MapBucketsBenchmark's variant NAME, merged into one part.
          String copy = n.substring(5);
          String db = "bench_" + copy;
          ClickHouseStore c = ClickHouseStore.embedded(StoreConfig.builder().dataPath(data.resolve("db"))
              .database(db).engineMemory(unbounded).build());
          copies.add(c);
          Path marker = data.resolve("copied-" + copy);
          if (!Files.exists(marker)) {
            long c0 = System.nanoTime();
            Map<String, String> p = Map.of("db", db);
            c.engine().execute("ALTER TABLE {db:Identifier}.otel_traces MODIFY SETTING "
                + MapBucketsBenchmark.variants().get(copy), p);
            c.engine().execute("INSERT INTO {db:Identifier}.otel_traces SELECT * FROM bench.otel_traces", p);
            c.engine().execute("INSERT INTO {db:Identifier}.otel_metrics_gauge SELECT * FROM bench.otel_metrics_gauge",
                p);
            c.engine().execute("OPTIMIZE TABLE {db:Identifier}.otel_traces FINAL", p);
            Files.writeString(marker, copy);
            System.out.printf(Locale.ROOT, "copied into %s and merged in %.1f s%n", db, (System.nanoTime() - c0) / 1e9);
          }
          QueryResult parts = c.engine().query("SELECT count(), sum(rows),"
              + " (SELECT groupUniqArray(length(substreams)) FROM system.parts_columns WHERE database = {db:String}"
              + " AND table = 'otel_traces' AND active AND column = 'SpanAttributes')"
              + " FROM system.parts WHERE database = {db:String} AND table = 'otel_traces' AND active",
              Map.of("db", db));
          System.out.println(db + ": parts, rows, SpanAttributes substreams = " + parts.rows().get(0));
          TimedStore t = new TimedStore(c, 70, UnaryOperator.identity());
          timers.put(n, t);
          functions.put(n, QueryFunctions.builder(t).config(QueryConfig.builder().database(db).build())
              .clock(clock).concurrentDashboard(false).build());
          continue;
        }
        UnaryOperator<QueryFunctions.Builder> v = variants().get(n);
        if (v == null) {
          throw new IllegalArgumentException("variant: " + n + " (expected: one of " + variants().keySet() + ")");
        }
        UnaryOperator<String> errorCount = n.startsWith("maps")
            ? sql -> sql.replace(ServiceSql.ERROR_COUNT, ERROR_COUNT_FROM_MAPS) : UnaryOperator.identity();
        TimedStore t = new TimedStore(store, 70, errorCount);
        timers.put(n, t);
        functions.put(n, v.apply(QueryFunctions.builder(t).config(config).clock(clock)).build());
      }
      Map<String, List<Double>> totals = new LinkedHashMap<>();
      Map<String, List<Double>> statements = new LinkedHashMap<>();
      Map<String, Object> reference = new LinkedHashMap<>();
      List<String> order = new ArrayList<>(functions.keySet());
      for (int round = -2; round < rounds; round++) {
        // a different second of the minute each round, 75 s before the latest span
        clock.set(anchor.minusSeconds(75).plusMillis(Math.floorMod(round * 7_300L, 60_000L)));
        Collections.reverse(order);
        for (Map.Entry<String, String> piece : pieces().entrySet()) {
          Map<String, String> p = new LinkedHashMap<>();
          Instant now = clock.instant();
          p.put("db", "bench");
          long seconds = piece.getKey().startsWith("5m") ? 300 : 3600;
          p.put("from_ns", Long.toString(BenchStats.nanos(now.minusSeconds(seconds))));
          p.put("rate_from_ns", Long.toString(BenchStats.nanos(now.minusSeconds(60))));
          p.put("threshold", "500");
          p.put("to_ns", Long.toString(BenchStats.nanos(now)));
          p.put("base_ns", Long.toString(BenchStats.nanos(now.minusSeconds(7200))));
          p.put("limit", "10");
          p.put("name", "absent.metric");
          Map<String, Object> w = new LinkedHashMap<>();
          WholeMinutes.put(w, now.minusSeconds(seconds), now);
          w.forEach((k, v) -> p.put(k, String.valueOf(v)));
          for (int i = 0; i < FOLDED; i++) {
            p.put("n" + i, "absent.metric." + i);
          }
          if (round == -2 && piece.getKey().startsWith("5m partial minutes, errors")) {
            System.out.println(piece.getKey() + ": " + store.engine().query(piece.getValue(), p).rows());
          }
          long start = System.nanoTime();
          if (piece.getKey().startsWith("kind lookups of 7 names one by one")) {
            for (int i = 0; i < FOLDED; i++) {
              p.put("name", "absent.metric." + i);
              store.engine().query(piece.getValue(), p);
            }
          } else {
            store.engine().query(piece.getValue(), p);
          }
          if (round >= 0) {
            statements.computeIfAbsent("piece " + piece.getKey(), k -> new ArrayList<>())
                .add((System.nanoTime() - start) / 1e6);
          }
        }
        for (String n : order) {
          TimedStore timer = timers.getOrDefault(n, timed);
          timer.calls.clear();
          long start = System.nanoTime();
          Object answer = functions.get(n).dashboardData();
          double ms = (System.nanoTime() - start) / 1e6;
          Object ref = reference.computeIfAbsent("round " + round, k -> answer);
          if (!ref.equals(answer)) {
            System.out.println("MISMATCH in round " + round + ": " + n + "\n  " + answer + "\n  " + ref);
          }
          if (round < 0) {
            continue;
          }
          totals.computeIfAbsent(n, k -> new ArrayList<>()).add(ms);
          List<TimedStore.Call> calls;
          synchronized (timer.calls) {
            calls = new ArrayList<>(timer.calls);
          }
          for (int i = 0; i < calls.size(); i++) {
            statements.computeIfAbsent(n + " #" + (i + 1) + " " + calls.get(i).label(), k -> new ArrayList<>())
                .add(calls.get(i).ms());
          }
        }
      }
      double base = BenchStats.median(totals.get(names.get(0)));
      System.out.println("variant | median ms | min | max | ÷ " + names.get(0));
      totals.forEach((k, v) -> System.out.printf(Locale.ROOT, "%s | %.1f | %.1f | %.1f | %.3f%n", k,
          BenchStats.median(v), Collections.min(v), Collections.max(v), BenchStats.median(v) / base));
      List<Double> floor = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        long start = System.nanoTime();
        store.query("SELECT 1", Map.of());
        floor.add((System.nanoTime() - start) / 1e6);
      }
      System.out.printf(Locale.ROOT, "SELECT 1 | %.2f ms median of 30%n", BenchStats.median(floor));
      System.out.println("statement | median ms | runs");
      statements.forEach((k, v) -> System.out.printf(Locale.ROOT, "%s | %.1f | %d%n", k, BenchStats.median(v),
          v.size()));
      for (ClickHouseStore c : copies) {
        c.close();
      }
    }
  }

  /**
   * Single statements, with {@code -Dbench.maxThreads1=true} also with {@code max_threads = 1} (a setting per
   * statement); the ones named "5m"
   * over the error rate's window, the others over the hour.
   */
  private static Map<String, String> pieces() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("SELECT 1", "SELECT 1");
    out.put("kind lookup, absent name", MetricSql.KIND);
    out.put("recent alerts", ServiceSql.RECENT_ALERTS);
    out.put("counter increase, absent name", MetricSql.sumIncrease(0));
    out.put("duration rollup 1h", ServiceSql.DURATION_ROLLUP);
    out.put("kind lookups of 7 names one by one", MetricSql.KIND);
    StringBuilder folded = new StringBuilder();
    for (int i = 0; i < FOLDED; i++) {
      folded.append(i == 0 ? "" : " UNION ALL ").append("SELECT ").append(i)
          .append(" AS i, prio, kind, monotonic FROM (")
          .append(MetricSql.KIND.replace("{name:String}", "{n" + i + ":String}")).append(")");
    }
    out.put("kind lookups of 7 names folded (92c6da8)", folded.toString());
    Map<String, String> all = new LinkedHashMap<>(out);
    if (Boolean.getBoolean("bench.maxThreads1")) {
      out.forEach((k, v) -> all.put(k + ", max_threads = 1", v + "\nSETTINGS max_threads = 1"));
    }
    String server = " FROM {db:Identifier}.otel_traces WHERE SpanKind IN ('Server', 'SPAN_KIND_SERVER') AND ";
    String edges = "((Timestamp >= fromUnixTimestamp64Nano({from_ns:Int64})"
        + " AND Timestamp < fromUnixTimestamp64Nano({whole_from_ns:Int64}))"
        + " OR (Timestamp >= fromUnixTimestamp64Nano({whole_to_ns:Int64})"
        + " AND Timestamp <= fromUnixTimestamp64Nano({to_ns:Int64})))";
    all.put("5m rates statement (HttpStatus column)", ServiceSql.RATE_AND_ERROR_ROLLUP);
    all.put("5m rates statement (maps, before migration 9)",
        ServiceSql.RATE_AND_ERROR_ROLLUP.replace(ServiceSql.ERROR_COUNT, ERROR_COUNT_FROM_MAPS));
    all.put("5m partial minutes, errors (both keys)", "SELECT count(), " + ERROR_COUNT_FROM_MAPS + server + edges);
    all.put("5m partial minutes, errors (new key only)", "SELECT count(), countIf(StatusCode IN ('Error',"
        + " 'STATUS_CODE_ERROR') OR toInt64OrZero(SpanAttributes['http.response.status_code']) >= 500)"
        + server + edges);
    all.put("5m partial minutes, errors (HttpStatus column)", "SELECT count(), countIf(StatusCode IN ('Error',"
        + " 'STATUS_CODE_ERROR') OR HttpStatus >= {threshold:Int64})" + server + edges);
    all.put("5m partial minutes, count only", "SELECT count()" + server + edges);
    all.put("5m partial minutes, StatusCode only",
        "SELECT countIf(StatusCode IN ('Error', 'STATUS_CODE_ERROR'))" + server + edges);
    all.put("5m rate minute, count", "SELECT count()" + server
        + "Timestamp >= fromUnixTimestamp64Nano({rate_from_ns:Int64})"
        + " AND Timestamp >= fromUnixTimestamp64Nano({whole_from_ns:Int64})"
        + " AND Timestamp < fromUnixTimestamp64Nano({whole_to_ns:Int64})");
    all.put("5m rollup whole minutes", "SELECT sum(Spans) FROM {db:Identifier}.tskotel_server_minutes"
        + " WHERE Minute >= fromUnixTimestamp64Nano({whole_from_ns:Int64})"
        + " AND Minute < fromUnixTimestamp64Nano({whole_to_ns:Int64})");
    return all;
  }
}
