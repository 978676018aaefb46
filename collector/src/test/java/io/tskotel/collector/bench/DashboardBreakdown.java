package io.tskotel.collector.bench;

import io.tskotel.collector.query.QueryConfig;
import io.tskotel.collector.query.QueryFunctions;
import io.tskotel.collector.query.internal.MetricSql;
import io.tskotel.collector.query.internal.ServiceSql;
import io.tskotel.collector.query.internal.WholeMinutes;
import io.tskotel.collector.testing.MutableClock;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.EngineMemory;
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
 * {@code dashboardData} and {@code getMetrics} taken apart statement by statement on the bench's tables
 * ({@link QueryPhase#fill}): every statement a call runs is timed where it runs, the calls (from the
 * rollups and from raw rows) alternate round by round, and the medians per statement are printed. Run from
 * the collector module's test class path:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... io.tskotel.collector.bench.DashboardBreakdown [rows] [rounds] \
 *     [extraKeys]
 * </pre>
 *
 * With {@code extraKeys} the spans are also copied, with that many more map keys, into a database whose
 * {@code otel_traces} keeps {@code basic} maps and one with migration 8's buckets, both merged into one part,
 * and their dashboards join the alternation.
 */
public final class DashboardBreakdown {
  private static final int FOLDED_NAMES = 7;

  private DashboardBreakdown() {}

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    // >= 0: also the spans with that many more map keys, basic and in buckets (migration 8)
    int extraKeys = args.length > 2 ? Integer.parseInt(args[2]) : -1;
    List<ClickHouseStore> copies = new ArrayList<>();
    Map<String, TimedStore> timers = new LinkedHashMap<>();
    Path data = Files.createTempDirectory("tskotel-dashboard-breakdown-");
    EngineMemory unbounded = new EngineMemory(0, EngineMemory.DEFAULT_MARK_CACHE_SIZE,
        EngineMemory.DEFAULT_INDEX_CACHE_SIZE, 0, 0);
    try (ClickHouseStore store = ClickHouseStore.embedded(StoreConfig.builder().dataPath(data)
        .database("bench").engineMemory(unbounded).build())) {
      long t0 = System.nanoTime();
      QueryPhase.fill(store, rows);
      System.out.printf(Locale.ROOT, "filled %,d spans and gauge points in %.1f s (%s)%n", rows,
          (System.nanoTime() - t0) / 1e9, data);
      // Every round's windows end at one instant inside the filled hour (a different second of the minute
      // each round), however long the copies below take.
      Instant anchor = Instant.now();
      MutableClock clock = new MutableClock(Instant.now());
      TimedStore timed = new TimedStore(store, 90, UnaryOperator.identity());
      QueryConfig config = QueryConfig.builder().database("bench").build();
      Map<String, QueryFunctions> variants = new LinkedHashMap<>();
      variants.put("rollup", QueryFunctions.builder(timed).config(config).clock(clock).concurrentDashboard(true).build());
      variants.put("rollup sequential",
          QueryFunctions.builder(timed).config(config).clock(clock).concurrentDashboard(false).build());
      if (extraKeys >= 0) {
        // The spans again with realistic maps (13 more keys) in two databases, merged into one part each:
        // the maps basic (before migration 8) and in buckets (after it), the dashboards alternated.
        for (String db : List.of("bench_basic", "bench_buckets")) {
          ClickHouseStore copy = ClickHouseStore.embedded(StoreConfig.builder().dataPath(data).database(db)
              .engineMemory(unbounded).build());
          copies.add(copy);
          copy.engine().execute("ALTER TABLE {db:Identifier}.otel_traces MODIFY SETTING "
              + (db.equals("bench_basic") ? "map_serialization_version = 'basic'"
                  : MapBucketsBenchmark.variants().get("buckets")), Map.of("db", db));
          long c0 = System.nanoTime();
          MapBucketsBenchmark.copy(copy, extraKeys);
          copy.engine().execute("OPTIMIZE TABLE {db:Identifier}.otel_traces FINAL", Map.of("db", db));
          System.out.printf(Locale.ROOT, "copied into %s and merged in %.1f s%n", db, (System.nanoTime() - c0) / 1e9);
          TimedStore t = new TimedStore(copy, 90, UnaryOperator.identity());
          QueryConfig c = QueryConfig.builder().database(db).build();
          String maps = db.equals("bench_basic") ? "basic maps" : "map buckets";
          variants.put(maps, QueryFunctions.builder(t).config(c).clock(clock).concurrentDashboard(false).build());
          timers.put(maps, t);
        }
      }
      variants.put("raw sequential",
          QueryFunctions.builder(timed).config(config).clock(clock).rollups(false).concurrentDashboard(false).build());
      Map<String, List<Double>> totals = new LinkedHashMap<>();
      Map<String, List<Double>> statements = new LinkedHashMap<>();
      for (int round = -2; round < rounds; round++) {
        clock.set(anchor.minusSeconds(75).plusMillis(Math.floorMod(round * 7_300L, 60_000L)));
        for (Map.Entry<String, String> piece : pieces().entrySet()) {
          Instant now = clock.instant();
          Map<String, Object> p = new LinkedHashMap<>();
          p.put("db", "bench");
          p.put("from_ns", BenchStats.nanos(now.minusSeconds(300)));
          p.put("to_ns", BenchStats.nanos(now));
          p.put("rate_from_ns", BenchStats.nanos(now.minusSeconds(60)));
          p.put("threshold", 500L);
          p.put("name", QueryPhase.GAUGE);
          for (int i = 0; i < FOLDED_NAMES; i++) {
            p.put("n" + i, i == 0 ? QueryPhase.GAUGE : "absent_metric_" + i);
          }
          long toNs = BenchStats.nanos(now);
          long fromNs = toNs - 300_000_000_000L;
          // what a per-second rollup would leave raw: the partial seconds at both ends
          p.put("sec_from_ns", Math.floorDiv(fromNs + 999_999_999L, 1_000_000_000L) * 1_000_000_000L);
          p.put("sec_to_ns", Math.floorDiv(toNs, 1_000_000_000L) * 1_000_000_000L);
          WholeMinutes.put(p, now.minusSeconds(300), now);
          long start = System.nanoTime();
          store.query(piece.getValue(), p);
          if (round >= 0) {
            statements.computeIfAbsent("piece " + piece.getKey(), k -> new ArrayList<>())
                .add((System.nanoTime() - start) / 1e6);
          }
        }
        for (Map.Entry<String, QueryFunctions> v : variants.entrySet()) {
          TimedStore timer = timers.entrySet().stream().filter(e -> v.getKey().startsWith(e.getKey()))
              .map(Map.Entry::getValue).findFirst().orElse(timed);
          // The copies hold spans only: their gauge table is empty.
          List<String> calls = timer == timed
              ? List.of("dashboardData", "getMetrics avg", "getMetrics avg after a kind lookup")
              : List.of("dashboardData");
          for (String call : calls) {
            String key = v.getKey() + " " + call;
            timer.calls.clear();
            long start = System.nanoTime();
            if (call.equals("dashboardData")) {
              v.getValue().dashboardData();
            } else {
              if (call.endsWith("kind lookup")) {
                // The statements getMetrics ran before it asked the gauge rollup first: the kind, then the rollup.
                timed.query(MetricSql.KIND, Map.of("db", "bench", "name", QueryPhase.GAUGE));
              }
              v.getValue().getMetrics(QueryPhase.GAUGE, "1h", "avg", Map.of());
            }
            double ms = (System.nanoTime() - start) / 1e6;
            if (round < 0) {
              continue;
            }
            totals.computeIfAbsent(key, k -> new ArrayList<>()).add(ms);
            for (int i = 0; i < timer.calls.size(); i++) {
              TimedStore.Call c = timer.calls.get(i);
              statements.computeIfAbsent(key + " #" + (i + 1) + " " + c.label(), k -> new ArrayList<>()).add(c.ms());
            }
          }
        }
      }
      System.out.println("call | median ms | min | max");
      totals.forEach((k, v) -> System.out.printf(Locale.ROOT, "%s | %.1f | %.1f | %.1f%n", k, BenchStats.median(v),
          Collections.min(v), Collections.max(v)));
      System.out.println("statement | median ms | runs");
      statements.forEach((k, v) -> System.out.printf(Locale.ROOT, "%s | %.1f | %d%n", k, BenchStats.median(v), v.size()));
    } finally {
      for (ClickHouseStore copy : copies) {
        copy.close();
      }
    }
  }

  /** Parts of the dashboard's rate and error statement, over its 5-minute window ending now. */
  private static Map<String, String> pieces() {
    String server = " FROM {db:Identifier}.otel_traces WHERE SpanKind IN ('Server', 'SPAN_KIND_SERVER') AND ";
    String edges = "((Timestamp >= fromUnixTimestamp64Nano({from_ns:Int64})"
        + " AND Timestamp < fromUnixTimestamp64Nano({whole_from_ns:Int64}))"
        + " OR (Timestamp >= fromUnixTimestamp64Nano({whole_to_ns:Int64})"
        + " AND Timestamp <= fromUnixTimestamp64Nano({to_ns:Int64})))";
    Map<String, String> out = new LinkedHashMap<>();
    out.put("whole minutes from the rollup", "SELECT sum(Spans), sumIf(Spans, StatusCode IN ('Error',"
        + " 'STATUS_CODE_ERROR') OR HttpStatus >= {threshold:Int64}) FROM {db:Identifier}.tskotel_server_minutes"
        + " WHERE Minute >= fromUnixTimestamp64Nano({whole_from_ns:Int64})"
        + " AND Minute < fromUnixTimestamp64Nano({whole_to_ns:Int64})");
    out.put("partial minutes raw, errors (maps)", "SELECT count(), " + DashboardVariants.ERROR_COUNT_FROM_MAPS + server + edges);
    out.put("partial minutes raw, count only", "SELECT count()" + server + edges);
    out.put("partial minutes raw, StatusCode only",
        "SELECT countIf(StatusCode IN ('Error', 'STATUS_CODE_ERROR'))" + server + edges);
    out.put("rate minute raw count", "SELECT count()" + server
        + "Timestamp >= fromUnixTimestamp64Nano({rate_from_ns:Int64})"
        + " AND Timestamp >= fromUnixTimestamp64Nano({whole_from_ns:Int64})"
        + " AND Timestamp < fromUnixTimestamp64Nano({whole_to_ns:Int64})");
    out.put("whole statement", ServiceSql.RATE_AND_ERROR_ROLLUP);
    // The dashboard's 7 kind lookups as one statement (not in the product): against one lookup alone.
    out.put("kind lookup, one name", MetricSql.KIND);
    StringBuilder folded = new StringBuilder("SELECT * FROM (");
    for (int i = 0; i < FOLDED_NAMES; i++) {
      folded.append(i == 0 ? "" : " UNION ALL ").append("SELECT ").append(i).append(" AS n, * FROM (")
          .append(MetricSql.KIND.replace("{name:String}", "{n" + i + ":String}")).append(")");
    }
    out.put("kind lookups of 7 names folded", folded.append(")").toString());
    String seconds = edges.replace("whole_from_ns", "sec_from_ns").replace("whole_to_ns", "sec_to_ns");
    out.put("partial seconds raw, errors (maps)", "SELECT count(), " + DashboardVariants.ERROR_COUNT_FROM_MAPS + server + seconds);
    String gauge = " FROM {db:Identifier}.otel_metrics_gauge WHERE MetricName = {name:String} AND ";
    out.put("gauge: partial minutes raw", "SELECT sum(Value), count(), min(Value), max(Value)" + gauge
        + edges.replace("Timestamp ", "TimeUnix "));
    out.put("gauge: partial seconds raw", "SELECT sum(Value), count(), min(Value), max(Value)" + gauge
        + seconds.replace("Timestamp ", "TimeUnix "));
    return out;
  }
}
