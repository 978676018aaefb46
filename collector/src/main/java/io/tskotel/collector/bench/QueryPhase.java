package io.tskotel.collector.bench;

import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreException;
import io.tskotel.collector.query.QueryConfig;
import io.tskotel.collector.query.QueryFunctions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Query latency over large tables, each next to a plain {@code count()} of the same table in the same run:
 * {@code getMetrics} over N gauge points of one metric, {@code dashboardData} over N server spans, each
 * answered from the per-minute rollups (migration 6) and, alternating with it, from the raw rows alone. The
 * tables are filled inside the engine ({@code INSERT ... SELECT FROM numbers()}), spread over the last hour,
 * in inserts of {@link #FILL_CHUNK} rows: each insert builds the gauge projection and feeds the span view,
 * as the collector's own inserts do. The spans carry the load generator's 15 HTTP-server attributes (the
 * dashboard's error rate read the status from the map until migration 9's HttpStatus column), and the span
 * table is then merged, as an hour of a live store mostly is: merged parts are where migration 8 keeps the
 * maps in buckets of keys.
 */
final class QueryPhase {
  static final String GAUGE = "bench_gauge";
  /** Rows per fill insert: the projection aggregates each inserted block in memory. */
  static final long FILL_CHUNK = 1_000_000;

  /** One query's median against its baseline's. */
  record Timing(String query, double p50Millis, String baseline, double baselineP50Millis) {
    double ratio() {
      return baselineP50Millis > 0 ? p50Millis / baselineP50Millis : 0;
    }
  }

  private QueryPhase() {}

  static void fill(ClickHouseStore store, long rows) throws StoreException {
    for (long offset = 0; offset < rows; offset += FILL_CHUNK) {
      fill(store, offset, Math.min(FILL_CHUNK, rows - offset));
    }
    store.engine().execute("OPTIMIZE TABLE {db:Identifier}.otel_traces FINAL",
        Map.of("db", store.config().database()));
  }

  private static void fill(ClickHouseStore store, long offset, long rows) throws StoreException {
    Map<String, String> p = Map.of("db", store.config().database(), "offset", Long.toString(offset),
        "n", Long.toString(rows), "metric", GAUGE);
    store.engine().execute("INSERT INTO {db:Identifier}.otel_metrics_gauge"
        + " (ServiceName, MetricName, Attributes, TimeUnix, Value)"
        + " SELECT concat('bench-', toString(number % 3)), {metric:String},"
        + " map('http.route', concat('/api/route', toString(number % 10))),"
        + " now64(9) - toIntervalMillisecond(number % 3600000), (number % 1000) / 10.0"
        + " FROM numbers({offset:UInt64}, {n:UInt64})", p);
    store.engine().execute("INSERT INTO {db:Identifier}.otel_traces"
        + " (Timestamp, TraceId, SpanId, ServiceName, SpanName, SpanKind, Duration, StatusCode, SpanAttributes)"
        + " SELECT now64(9) - toIntervalMillisecond(number % 3600000), lower(hex(cityHash64(number, 1))),"
        + " lower(hex(cityHash64(number, 2))), concat('bench-', toString(number % 3)),"
        + " concat('GET /api/route', toString(number % 10)), 'Server', 1000000 + (number % 500) * 1000000,"
        + " if(number % 20 = 0, 'Error', 'Unset'),"
        + " map('http.request.method', ['GET', 'POST', 'PUT', 'DELETE'][number % 4 + 1],"
        + " 'http.route', concat('/api/route', toString(number % 10), '/{id}'),"
        + " 'url.path', concat('/api/route', toString(number % 10), '/', toString(cityHash64(number, 3) % 100000)),"
        + " 'url.scheme', 'https', 'url.query', concat('page=', toString(number % 20)),"
        + " 'http.response.status_code', if(number % 20 = 0, '500', '200'),"
        + " 'server.address', 'api.example.internal', 'server.port', '443',"
        + " 'client.address', concat('10.1.', toString(cityHash64(number, 4) % 256), '.',"
        + " toString(cityHash64(number, 5) % 256)),"
        + " 'user_agent.original', 'Mozilla/5.0 (X11; Linux x86_64) loadgen/1.0',"
        + " 'network.protocol.version', '1.1', 'network.peer.port', toString(30000 + cityHash64(number, 6) % 30000),"
        + " 'http.request.body.size', toString(cityHash64(number, 7) % 4096),"
        + " 'http.response.body.size', toString(cityHash64(number, 8) % 65536),"
        + " 'thread.name', concat('http-worker-', toString(number % 64)))"
        + " FROM numbers({offset:UInt64}, {n:UInt64})", p);
  }

  static List<Timing> run(ClickHouseStore store, int runs) throws StoreException {
    QueryConfig config = QueryConfig.builder().database(store.config().database()).build();
    QueryFunctions functions = QueryFunctions.builder(store).config(config).build();
    QueryFunctions raw = QueryFunctions.builder(store).config(config).rollups(false).build();
    Map<String, String> db = Map.of("db", store.config().database(), "metric", GAUGE);
    String countGauge = "SELECT count() FROM {db:Identifier}.otel_metrics_gauge WHERE MetricName = {metric:String}";
    String countSpans = "SELECT count() FROM {db:Identifier}.otel_traces";
    List<Timing> out = new ArrayList<>();
    double gaugeBaseline = median(runs, () -> store.engine().query(countGauge, db));
    for (String agg : List.of("avg", "max", "p99")) {
      String name = "getMetrics(" + GAUGE + ", 1h, " + agg + ")";
      if (agg.equals("p99")) {
        // Exact percentiles cannot be folded from per-minute aggregates: raw rows either way.
        out.add(new Timing(name, median(runs, () -> functions.getMetrics(GAUGE, "1h", agg, Map.of())),
            "count() of the metric", gaugeBaseline));
        continue;
      }
      double[] m = medians(runs, () -> functions.getMetrics(GAUGE, "1h", agg, Map.of()),
          () -> raw.getMetrics(GAUGE, "1h", agg, Map.of()));
      out.add(new Timing(name, m[0], "count() of the metric", gaugeBaseline));
      out.add(new Timing(name + " raw rows", m[1], "count() of the metric", gaugeBaseline));
    }
    double spansBaseline = median(runs, () -> store.engine().query(countSpans, db));
    double[] m = medians(runs, functions::dashboardData, raw::dashboardData);
    out.add(new Timing("dashboardData()", m[0], "count() of otel_traces", spansBaseline));
    out.add(new Timing("dashboardData() raw rows", m[1], "count() of otel_traces", spansBaseline));
    return out;
  }

  /** Medians of two queries run in alternation (after two warm-ups each), so the machine's load falls on both. */
  static double[] medians(int runs, Query a, Query b) throws StoreException {
    for (int i = 0; i < 2; i++) {
      a.run();
      b.run();
    }
    List<Double> ma = new ArrayList<>();
    List<Double> mb = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      a.run();
      ma.add((System.nanoTime() - start) / 1e6);
      start = System.nanoTime();
      b.run();
      mb.add((System.nanoTime() - start) / 1e6);
    }
    Collections.sort(ma);
    Collections.sort(mb);
    return new double[] {ma.get(ma.size() / 2), mb.get(mb.size() / 2)};
  }

  @FunctionalInterface
  interface Query {
    Object run() throws StoreException;
  }

  static double median(int runs, Query query) throws StoreException {
    query.run();
    query.run();
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      query.run();
      millis.add((System.nanoTime() - start) / 1e6);
    }
    Collections.sort(millis);
    return millis.get(millis.size() / 2);
  }
}
