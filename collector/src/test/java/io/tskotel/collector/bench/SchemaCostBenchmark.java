package io.tskotel.collector.bench;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.EngineMemory;
import io.tskotel.exporter.StoreConfig;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * A/B of the engine's cost per span for variants of otel_traces, in one process on one data path: each
 * variant is its own database (the real migrations, then the variant's ALTERs), and the variants take turns
 * writing the load generator's realistic spans through {@link ClickHouseStore#writeTraces} from two threads.
 * Reports spans/s and process CPU (engine merges included) per span, per variant, summed over the rounds, so
 * the machine's noise falls on every variant alike. Run from the collector module's test class path:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... io.tskotel.collector.bench.SchemaCostBenchmark [secondsPerRound] [rounds] [batch] [variants] [traces|metrics]
 * </pre>
 *
 * <p>With {@code metrics} the variants write the load generator's gauge points through {@link
 * ClickHouseStore#writeMetrics} instead (variants {@code upstream} and {@code no_rollup}).
 */
public final class SchemaCostBenchmark {
  private SchemaCostBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int batchItems = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    String only = args.length > 3 ? args[3] : "";
    boolean metrics = args.length > 4 && args[4].equals("metrics");
    Path data = Files.createTempDirectory("tskotel-schema-cost-");
    Map<String, List<String>> variants = new LinkedHashMap<>();
    variants.put("upstream", List.of());
    variants.put("no_map_blooms", List.of(
        "ALTER TABLE %s.otel_traces DROP INDEX idx_res_attr_key",
        "ALTER TABLE %s.otel_traces DROP INDEX idx_res_attr_value",
        "ALTER TABLE %s.otel_traces DROP INDEX idx_span_attr_key",
        "ALTER TABLE %s.otel_traces DROP INDEX idx_span_attr_value"));
    variants.put("lz4", lz4());
    variants.put("no_mv", List.of("DROP VIEW %s.otel_traces_trace_id_ts_mv"));
    // Same schema, batches of 5x the items: fewer, larger parts for the merges to combine.
    variants.put("batch_x5", List.of());
    variants.put("compact_parts", List.of(
        "ALTER TABLE %s.otel_traces MODIFY SETTING min_bytes_for_wide_part = 104857600"));
    List<String> both = new ArrayList<>(variants.get("no_map_blooms"));
    both.addAll(variants.get("compact_parts"));
    variants.put("no_blooms_compact", both);
    // Migration 6's per-minute rollup of server spans: the view feeding tskotel_server_minutes.
    variants.put("no_rollup", List.of("DROP VIEW %s.tskotel_server_minutes_mv"));
    if (metrics) {
      variants.clear();
      variants.put("upstream", List.of());
      // Migration 6's per-minute rollup of gauges: the aggregate projection.
      variants.put("no_rollup", List.of("ALTER TABLE %s.otel_metrics_gauge DROP PROJECTION minute_values"));
    }
    if (!only.isEmpty()) {
      variants.keySet().retainAll(List.of(only.split(",")));
      variants.putIfAbsent("upstream", List.of());
    }

    LoadConfig load = new LoadConfig(metrics ? LoadConfig.Signal.METRICS : LoadConfig.Signal.TRACES, LoadConfig.Protocol.GRPC,
        URI.create("http://127.0.0.1:4317"), null, 1, 8, 0, Duration.ofSeconds(1), 0, 500, 3, 10, 0.05, 10, null,
        null, Duration.ofSeconds(60));
    Payloads payloads = new Payloads(load, 42, System.currentTimeMillis() * 1_000_000L);
    List<ResourceSpans> batch = new ArrayList<>();
    List<ResourceMetrics> metricBatch = new ArrayList<>();
    for (int i = 0; i < batchItems / 500; i++) {
      if (metrics) {
        metricBatch.addAll(
            ((ExportMetricsServiceRequest) payloads.request(i % Payloads.POOL)).getResourceMetricsList());
      } else {
        batch.addAll(((ExportTraceServiceRequest) payloads.request(i % Payloads.POOL)).getResourceSpansList());
      }
    }
    List<ResourceSpans> batchX5 = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batchX5.addAll(batch);
    }
    Map<String, ClickHouseStore> stores = new LinkedHashMap<>();
    // The engine's cost, not the collector's memory budget (as bench's raw phase): no server or statement limit.
    EngineMemory unbounded = new EngineMemory(0, EngineMemory.DEFAULT_MARK_CACHE_SIZE,
        EngineMemory.DEFAULT_INDEX_CACHE_SIZE, 0, 0);
    for (Map.Entry<String, List<String>> v : variants.entrySet()) {
      ClickHouseStore store = ClickHouseStore.embedded(StoreConfig.builder().dataPath(data).database(v.getKey())
          .engineMemory(unbounded).build());
      for (String ddl : v.getValue()) {
        store.engine().execute(String.format(Locale.ROOT, ddl, v.getKey()), Map.of());
      }
      if (metrics) {
        store.writeMetrics(metricBatch); // warm-up
      } else {
        store.writeTraces(batch); // warm-up
      }
      stores.put(v.getKey(), store);
    }
    Map<String, long[]> totals = new LinkedHashMap<>(); // spans, nanos, cpu nanos
    stores.keySet().forEach(k -> totals.put(k, new long[3]));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    for (int r = 0; r < rounds; r++) {
      for (Map.Entry<String, ClickHouseStore> e : stores.entrySet()) {
        ClickHouseStore store = e.getValue();
        List<ResourceSpans> rows = e.getKey().equals("batch_x5") ? batchX5 : batch;
        int rowCount = rows == batch ? batchItems : 5 * batchItems;
        LongAdder spans = new LongAdder();
        long cpu0 = processCpuNanos();
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          fs.add(pool.submit(() -> {
            while (System.nanoTime() < deadline) {
              if (metrics) {
                store.writeMetrics(metricBatch);
              } else {
                store.writeTraces(rows);
              }
              spans.add(rowCount);
            }
            return null;
          }));
        }
        for (Future<?> f : fs) {
          f.get();
        }
        long[] t = totals.get(e.getKey());
        t[0] += spans.sum();
        t[1] += System.nanoTime() - start;
        t[2] += processCpuNanos() - cpu0;
        System.out.printf(Locale.ROOT, "round %d %-14s %,9.0f spans/s %6.2f cpu-us/span%n", r, e.getKey(),
            spans.sum() / ((System.nanoTime() - start) / 1e9), (processCpuNanos() - cpu0) / 1e3 / spans.sum());
      }
    }
    pool.shutdown();
    long[] base = totals.get("upstream");
    double baseRate = base[0] / (base[1] / 1e9);
    double baseCpu = base[2] / 1e3 / base[0];
    if (metrics) {
      stores.values().forEach(ClickHouseStore::close);
      System.out.println("| variant | points/s | ÷ upstream | CPU µs per point | ÷ upstream |");
      System.out.println("|---|---|---|---|---|");
      totals.forEach((k, t) -> System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f | %.2f | %.2f |%n", k,
          t[0] / (t[1] / 1e9), (t[0] / (t[1] / 1e9)) / (base[0] / (base[1] / 1e9)), t[2] / 1e3 / t[0],
          (t[2] / 1e3 / t[0]) / (base[2] / 1e3 / base[0])));
      System.exit(0);
    }
    System.out.println("| variant | spans/s | ÷ upstream | CPU µs per span | ÷ upstream |");
    System.out.println("|---|---|---|---|---|");
    totals.forEach((k, t) -> {
      double rate = t[0] / (t[1] / 1e9);
      double cpu = t[2] / 1e3 / t[0];
      System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f | %.1f | %.2f |%n", k, rate, rate / baseRate, cpu,
          cpu / baseCpu);
    });
    // The query price: median of 5 runs per query, per million rows of the variant's table.
    String[][] queries = {
      {"url.path = one value (selective)", "SELECT count() FROM %s.otel_traces WHERE SpanAttributes['url.path'] = '/api/route3/12345'"},
      {"key absent (selective)", "SELECT count() FROM %s.otel_traces WHERE mapContains(SpanAttributes, 'no.such.key')"},
      {"service + route (common)", "SELECT count() FROM %s.otel_traces WHERE ServiceName = 'loadgen-service-1' AND SpanAttributes['http.route'] = '/api/route3/{id}'"},
    };
    System.out.println();
    System.out.println("| variant | rows | " + String.join(" | ", java.util.Arrays.stream(queries).map(q -> q[0] + " ms/1M rows").toList()) + " |");
    for (Map.Entry<String, ClickHouseStore> e : stores.entrySet()) {
      ClickHouseStore store = e.getValue();
      long rows = ((Number) store.engine().query("SELECT count() FROM " + e.getKey() + ".otel_traces", Map.of())
          .rows().get(0).get(0)).longValue();
      StringBuilder line = new StringBuilder("| " + e.getKey() + " | " + rows + " |");
      for (String[] q : queries) {
        String sql = String.format(Locale.ROOT, q[1], e.getKey());
        long[] ms = new long[5];
        store.engine().query(sql, Map.of());
        for (int i = 0; i < ms.length; i++) {
          long t0 = System.nanoTime();
          store.engine().query(sql, Map.of());
          ms[i] = System.nanoTime() - t0;
        }
        java.util.Arrays.sort(ms);
        line.append(String.format(Locale.ROOT, " %.2f |", ms[2] / 1e6 / (rows / 1e6)));
      }
      System.out.println(line);
    }
    stores.values().forEach(ClickHouseStore::close);
    System.exit(0);
  }

  /** Every otel_traces column's ZSTD(1) as LZ4 (Delta and T64 kept before it). */
  private static List<String> lz4() {
    List<String> s = new ArrayList<>();
    for (String c : List.of("TraceId", "SpanId", "ParentSpanId", "TraceState", "SpanName", "SpanKind",
        "ServiceName", "ResourceAttributes", "ScopeName", "ScopeVersion", "SpanAttributes", "StatusCode",
        "StatusMessage", "Events.Timestamp", "Events.Name", "Events.Attributes", "Links.TraceId", "Links.SpanId",
        "Links.TraceState", "Links.Attributes")) {
      s.add("ALTER TABLE %s.otel_traces MODIFY COLUMN `" + c + "` CODEC(LZ4)");
    }
    s.add("ALTER TABLE %s.otel_traces MODIFY COLUMN Timestamp CODEC(Delta, LZ4)");
    s.add("ALTER TABLE %s.otel_traces MODIFY COLUMN Duration CODEC(T64, LZ4)");
    return s;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
