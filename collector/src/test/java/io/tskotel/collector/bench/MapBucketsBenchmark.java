package io.tskotel.collector.bench;

import io.tskotel.collector.query.QueryConfig;
import io.tskotel.collector.query.QueryFunctions;
import io.tskotel.collector.query.TraceQueries;
import io.tskotel.collector.query.TraceSearch;
import io.tskotel.collector.query.internal.ServiceSql;
import io.tskotel.collector.query.internal.WholeMinutes;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.EngineMemory;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The read side of {@code otel_traces.SpanAttributes} under each map serialization: the bench's spans
 * ({@link QueryPhase#fill}) copied into one database per variant (the real migrations, then the variant's
 * table settings), with a {@code tenant} key and, optionally, realistic semantic-convention keys added to
 * every map, then the dashboard, its error count over the partial minutes, the explorer's searches and a
 * Grafana-style group-by on a map key, variants alternated round by round. Measured twice: after the
 * background merges settled, and after {@code OPTIMIZE ... FINAL} (one part per partition). Every query's
 * answer is compared across variants.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xmx2g -cp ... io.tskotel.collector.bench.MapBucketsBenchmark \
 *     [rows] [rounds] [extraKeys] [variant,...]
 * </pre>
 */
public final class MapBucketsBenchmark {
  private static final String BUCKETS = "map_serialization_version = 'with_buckets', map_buckets_min_avg_size = 0";

  private MapBucketsBenchmark() {}

  static Map<String, String> variants() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("basic", "map_serialization_version = 'basic'");
    v.put("buckets", BUCKETS);
    v.put("buckets_linear", BUCKETS + ", map_buckets_strategy = 'linear'");
    v.put("buckets_const8", BUCKETS + ", map_buckets_strategy = 'constant', max_buckets_in_map = 8");
    v.put("buckets_const32", BUCKETS + ", map_buckets_strategy = 'constant', max_buckets_in_map = 32");
    return v;
  }

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    int extraKeys = args.length > 2 ? Integer.parseInt(args[2]) : 13;
    List<String> names = args.length > 3 ? List.of(args[3].split(",")) : List.of("basic", "buckets");
    Path data = Files.createTempDirectory("tskotel-map-buckets-");
    EngineMemory unbounded = new EngineMemory(0, EngineMemory.DEFAULT_MARK_CACHE_SIZE,
        EngineMemory.DEFAULT_INDEX_CACHE_SIZE, 0, 0);
    Map<String, ClickHouseStore> stores = new LinkedHashMap<>();
    try (ClickHouseStore source = ClickHouseStore.embedded(StoreConfig.builder().dataPath(data)
        .database("bench").engineMemory(unbounded).build())) {
      long t0 = System.nanoTime();
      QueryPhase.fill(source, rows);
      Instant anchor = Instant.now();
      System.out.printf(Locale.ROOT, "filled %,d spans in %.1f s%n", rows, (System.nanoTime() - t0) / 1e9);
      for (String name : names) {
        String settings = Objects.requireNonNull(variants().get(name), name);
        ClickHouseStore store = ClickHouseStore.embedded(StoreConfig.builder().dataPath(data)
            .database("v_" + name).engineMemory(unbounded).build());
        stores.put(name, store);
        store.engine().execute("ALTER TABLE {db:Identifier}.otel_traces MODIFY SETTING " + settings,
            Map.of("db", "v_" + name));
        long c0 = System.nanoTime();
        copy(store, extraKeys);
        System.out.printf(Locale.ROOT, "copied into v_%s in %.1f s%n", name, (System.nanoTime() - c0) / 1e9);
      }
      EngineCounters.awaitNoMerges(source, Duration.ofSeconds(2), Duration.ofSeconds(300));
      measure("after background merges", stores, anchor, rounds);
      for (ClickHouseStore store : stores.values()) {
        store.engine().execute("OPTIMIZE TABLE {db:Identifier}.otel_traces FINAL",
            Map.of("db", store.config().database()));
      }
      EngineCounters.awaitNoMerges(source, Duration.ofSeconds(2), Duration.ofSeconds(300));
      measure("after OPTIMIZE FINAL", stores, anchor, rounds);
    } finally {
      for (ClickHouseStore s : stores.values()) {
        s.close();
      }
    }
  }

  /** The source's spans with the extra keys, in one statement. */
  static void copy(ClickHouseStore store, int extraKeys) throws StoreException {
    StringBuilder extra = new StringBuilder("'tenant', concat('t', toString(cityHash64(SpanId) % 100))");
    String[] keys = {"http.request.method", "url.path", "url.scheme", "server.address", "server.port",
        "network.protocol.version", "user_agent.original", "client.address", "http.request.body.size",
        "http.response.body.size", "user.id", "session.id", "thread.name", "code.function", "code.namespace",
        "net.host.name"};
    for (int i = 0; i < Math.min(extraKeys, keys.length); i++) {
      extra.append(", '").append(keys[i]).append("', concat('v").append(i).append("-', toString(cityHash64(SpanId, ")
          .append(i).append(") % ").append(i % 2 == 0 ? 10 : 10_000).append("))");
    }
    // One pass over the source; the engine writes a part per inserted block (~1M rows).
    store.engine().execute("INSERT INTO {db:Identifier}.otel_traces SELECT * REPLACE (mapUpdate(SpanAttributes,"
        + " map(" + extra + ")) AS SpanAttributes) FROM bench.otel_traces", Map.of("db", store.config().database()));
  }

  private static void measure(String stage, Map<String, ClickHouseStore> stores, Instant anchor, int rounds)
      throws Exception {
    for (ClickHouseStore store : stores.values()) {
      QueryResult parts = store.engine().query("SELECT count(), sum(rows), sumIf(rows, level = 0),"
          + " (SELECT groupUniqArray(length(substreams)) FROM system.parts_columns WHERE database = {db:String}"
          + " AND table = 'otel_traces' AND active AND column = 'SpanAttributes')"
          + " FROM system.parts WHERE database = {db:String} AND table = 'otel_traces' AND active",
          Map.of("db", store.config().database()));
      System.out.println(stage + " " + store.config().database() + ": parts, rows, rows in level-0 parts,"
          + " SpanAttributes substreams per part = " + parts.rows().get(0));
    }
    Map<String, List<Double>> ms = new LinkedHashMap<>();
    List<String> order = new ArrayList<>(stores.keySet());
    for (int round = -2; round < rounds; round++) {
      // One instant per round for every variant, a different second of the minute each round.
      Instant now = anchor.minusSeconds(75).plusMillis(Math.floorMod(round * 7_300L, 60_000L));
      if (round % 2 != 0) {
        Collections.reverse(order);
      }
      Map<String, String> answers = new LinkedHashMap<>();
      for (String name : order) {
        ClickHouseStore store = stores.get(name);
        String db = store.config().database();
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        QueryConfig config = QueryConfig.builder().database(db).build();
        QueryFunctions functions = QueryFunctions.builder(store).config(config).clock(clock).build();
        TraceQueries traces = TraceQueries.create(store, clock, config);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("db", db);
        p.put("from_ns", BenchStats.nanos(now.minusSeconds(300)));
        p.put("to_ns", BenchStats.nanos(now));
        p.put("hour_ns", BenchStats.nanos(now.minusSeconds(3600)));
        p.put("threshold", 500L);
        WholeMinutes.put(p, now.minusSeconds(300), now);
        Map<String, Timed> calls = new LinkedHashMap<>();
        calls.put("dashboardData (sequential, rollups)", () -> functions.dashboardData().application());
        calls.put("error count, partial minutes raw (reads SpanAttributes)", () -> store.query("SELECT count(), "
            + ServiceSql.ERROR_COUNT + " FROM {db:Identifier}.otel_traces WHERE SpanKind IN ('Server',"
            + " 'SPAN_KIND_SERVER') AND ((Timestamp >= fromUnixTimestamp64Nano({from_ns:Int64})"
            + " AND Timestamp < fromUnixTimestamp64Nano({whole_from_ns:Int64}))"
            + " OR (Timestamp >= fromUnixTimestamp64Nano({whole_to_ns:Int64})"
            + " AND Timestamp <= fromUnixTimestamp64Nano({to_ns:Int64})))", p).rows());
        calls.put("rates statement (RATE_AND_ERROR_ROLLUP)",
            () -> store.query(ServiceSql.RATE_AND_ERROR_ROLLUP, rateParams(p, now)).rows());
        calls.put("explorer: attr tenant=t42, slowest, 1h", () -> traces.search(TraceSearch.builder()
            .attr("tenant", "t42").sort(TraceSearch.Sort.SLOWEST).build()).items().stream()
            .map(t -> t.traceId()).toList());
        calls.put("explorer: service + error + min duration, 1h", () -> traces.search(TraceSearch.builder()
            .service("bench-0").error(true).minDurationMs(400.0).build()).items().stream()
            .map(t -> t.traceId()).toList());
        calls.put("Grafana: count, avg(Duration) by SpanAttributes['http.route'], 1h", () -> store.query(
            "SELECT SpanAttributes['http.route'] AS route, count(), avg(Duration) FROM {db:Identifier}.otel_traces"
                + " WHERE Timestamp >= fromUnixTimestamp64Nano({hour_ns:Int64})"
                + " AND Timestamp <= fromUnixTimestamp64Nano({to_ns:Int64}) GROUP BY route ORDER BY route", p)
            .rows());
        calls.put("Grafana: spans where SpanAttributes['user.id'] = one value, 1h", () -> store.query(
            "SELECT count() FROM {db:Identifier}.otel_traces WHERE SpanAttributes['user.id'] = 'v10-42'"
                + " AND Timestamp >= fromUnixTimestamp64Nano({hour_ns:Int64})", p).rows());
        for (Map.Entry<String, Timed> c : calls.entrySet()) {
          long start = System.nanoTime();
          Object answer = c.getValue().run();
          double took = (System.nanoTime() - start) / 1e6;
          String previous = answers.putIfAbsent(c.getKey(), String.valueOf(answer));
          if (previous != null && !previous.equals(String.valueOf(answer))) {
            System.out.println("ANSWER MISMATCH " + name + " " + c.getKey() + ": " + answer + " vs " + previous);
          }
          if (round >= 0) {
            ms.computeIfAbsent(c.getKey() + " | " + name, k -> new ArrayList<>()).add(took);
          }
        }
      }
    }
    System.out.println("\n" + stage + ": query | variant | median ms | ÷ first variant | min | max");
    String first = stores.keySet().iterator().next();
    ms.forEach((k, v) -> {
      double base = BenchStats.median(ms.get(k.substring(0, k.lastIndexOf(" | ")) + " | " + first));
      System.out.printf(Locale.ROOT, "%s | %.1f | %.2f | %.1f | %.1f%n", k, BenchStats.median(v), BenchStats.median(v) / base,
          Collections.min(v), Collections.max(v));
    });
  }

  private static Map<String, Object> rateParams(Map<String, Object> p, Instant now) {
    Map<String, Object> r = new LinkedHashMap<>(p);
    r.put("rate_from_ns", BenchStats.nanos(now.minusSeconds(60)));
    return r;
  }

  private interface Timed {
    Object run() throws Exception;
  }

}
