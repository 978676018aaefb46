package io.tskotel.collector.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tskotel.collector.query.LogSearch;
import io.tskotel.collector.query.QueryConfig;
import io.tskotel.collector.query.QueryFunctions;
import io.tskotel.collector.query.TraceSearch;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.EngineMemory;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.StoreException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The engine's merge cost and its query price at a steady state: one variant of the tables' merge settings
 * per process, fed for minutes at a fixed rate with the load generator's spans, log records and gauge points
 * (fresh ids and timestamps for every request, through the production wire path, batched like the batcher:
 * 20,000 items or 1 s), so a day's partition grows to millions of rows. Two processes with different variants
 * run side by side on the same machine, each with its own engine and data path; process CPU then belongs to
 * one variant. Every {@code sample} seconds, while the writer goes on, the process (holding a lock file, so
 * the two processes never query at once) records active parts per partition and the median latency of the
 * queries users run: the explorer's trace searches, trace by id, log searches, {@code dashboardData}, {@code
 * getMetrics} and Grafana-style {@code ServiceName + http.route} reads; CPU per row is taken between those
 * phases. At the end merges are stopped and the queries timed again over the parts as they are, the two
 * processes taking turns. Run from the collector module's test class path:
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xmx1g -cp ... io.tskotel.collector.bench.MergeSteadyStateBenchmark \
 *     NAME "SETTINGS|-" minutes spansPerSec logsPerSec pointsPerSec sampleSeconds lockFile
 * </pre>
 *
 * {@code SETTINGS} is what {@code ALTER TABLE … MODIFY SETTING} gets on every table the load writes to
 * (e.g. {@code merge_selector_base = 10}), or with {@code SETTINGS@table,table} on those only; {@code -}
 * keeps the migrations' tables as they are (since migration 7: base 10 on spans, logs and gauge points; the
 * engine's default before it is {@code merge_selector_base = 5@otel_traces,otel_logs,otel_metrics_gauge}).
 */
public final class MergeSteadyStateBenchmark {
  private static final int BATCH_ITEMS = 20_000;
  private static final long BATCH_DELAY_NANOS = 1_000_000_000L;
  private static final int ITEMS_PER_REQUEST = 500;
  static final List<String> TABLES = List.of("otel_traces", "otel_traces_trace_id_ts",
      "tskotel_server_minutes", "otel_logs", "otel_metrics_gauge");
  private static final int RUNS = 3;
  private static final int FROZEN_TURNS = 5;

  private MergeSteadyStateBenchmark() {}

  public static void main(String[] args) throws Exception {
    String name = args[0];
    String settings = args[1];
    double minutes = Double.parseDouble(args[2]);
    int[] rates = {Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5])};
    int sampleSeconds = Integer.parseInt(args[6]);
    Path lockFile = Path.of(args[7]);
    String db = "bench";
    Path data = Files.createTempDirectory("tskotel-merge-steady-" + name + "-");
    EngineMemory memory = new EngineMemory(2L << 30, EngineMemory.DEFAULT_MARK_CACHE_SIZE,
        EngineMemory.DEFAULT_INDEX_CACHE_SIZE, 0, 1L << 30);
    ClickHouseStore store = ClickHouseStore.embedded(StoreConfig.builder().dataPath(data).database(db)
        .engineMemory(memory).build());
    if (!settings.equals("-")) {
      // "SETTING@table,table" limits the setting to those tables.
      int at = settings.indexOf('@');
      String setting = at < 0 ? settings : settings.substring(0, at);
      List<String> tables = at < 0 ? TABLES : List.of(settings.substring(at + 1).split(","));
      for (String t : tables) {
        store.engine().execute("ALTER TABLE {db:Identifier}.{t:Identifier} MODIFY SETTING " + setting,
            Map.of("db", db, "t", t));
      }
    }
    for (List<Object> row : store.engine().query("SELECT name, value FROM system.merge_tree_settings WHERE name IN"
        + " ('parts_to_delay_insert', 'parts_to_throw_insert', 'merge_selector_base', 'min_parts_to_merge_at_once',"
        + " 'max_parts_to_merge_at_once', 'background_pool_size')", Map.of()).rows()) {
      System.out.println("engine default " + row.get(0) + " = " + row.get(1));
    }
    System.out.println(name + ": " + settings + " on " + TABLES + ", data " + data);

    Writer writer = new Writer(List.of(store), rates);
    Thread writing = new Thread(writer, "bench-writer");
    writing.setDaemon(true);
    MergeCpu mergeCpu = new MergeCpu(store);
    Thread sampling = new Thread(mergeCpu, "bench-merge-sampler");
    sampling.setDaemon(true);
    QueryFunctions functions = QueryFunctions.builder(store).config(QueryConfig.builder().database(db).build())
        .build();

    long start = System.nanoTime();
    long end = start + (long) (minutes * 60e9);
    long ingestCpu = 0;
    long ingestRows = 0;
    long windowCpu = processCpuNanos();
    long windowRows = 0;
    writing.start();
    sampling.start();
    List<Map<String, Double>> samples = new ArrayList<>();
    long nextSample = start + sampleSeconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      Thread.sleep(Math.max(1, Math.min(end, nextSample) - System.nanoTime()) / 1_000_000);
      if (System.nanoTime() < nextSample) {
        continue;
      }
      nextSample += sampleSeconds * 1_000_000_000L;
      try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        // CPU per row is taken between query phases only: the writer never stops (users query while the
        // collector ingests), so a phase's CPU is its queries' and the rows it wrote are left out with it.
        ingestCpu += processCpuNanos() - windowCpu;
        ingestRows += writer.rows() - windowRows;
        Map<String, Double> s = sample(store, db, functions, writer, start);
        s.put("cpu_us_per_row", ingestCpu / 1e3 / ingestRows);
        s.put("merge_us_per_row", mergeCpu.total() / 1e3 / writer.rows());
        samples.add(s);
        System.out.println("sample " + format(s));
        System.out.println("  merge CPU per table, s: " + mergeCpu.perTable());
        windowCpu = processCpuNanos();
        windowRows = writer.rows();
      }
    }
    ingestCpu += processCpuNanos() - windowCpu;
    ingestRows += writer.rows() - windowRows;
    writer.stop();
    writing.join();
    long rows = writer.rows();
    System.out.printf(Locale.ROOT, "%n%s (%s): %,d rows (%s) in %.1f min; ingest CPU %.2f µs per row (between"
        + " query phases, %,d rows), merge threads %.2f µs per row (%s s); writer late %d times%n", name, settings,
        rows, writer.rowsPerSignal(), (System.nanoTime() - start) / 60e9, ingestCpu / 1e3 / ingestRows,
        ingestRows, mergeCpu.total() / 1e3 / rows, mergeCpu.perTable(), writer.late);
    // The steady state: the second half of the samples.
    Map<String, List<Double>> half = new TreeMap<>();
    for (Map<String, Double> s : samples.subList(samples.size() / 2, samples.size())) {
      s.forEach((k, v) -> half.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    }
    System.out.println("second half of the run (" + (samples.size() - samples.size() / 2) + " samples), median"
        + " / max:");
    half.forEach((k, v) -> {
      double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      System.out.printf(Locale.ROOT, "  %-40s %10.1f %10.1f%n", k, a[a.length / 2], a[a.length - 1]);
    });
    // The parts as the run left them, frozen (no more merges), every query timed once per turn of the lock,
    // so the two processes' queries take turns: the same machine for both.
    mergeCpu.stop();
    Thread.sleep(2000);
    store.engine().execute("SYSTEM STOP MERGES", Map.of());
    List<Map<String, Double>> frozen = new ArrayList<>();
    for (int round = 0; round < FROZEN_TURNS; round++) {
      try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        frozen.add(sample(store, db, functions, writer, start));
      }
      Thread.sleep(300);
    }
    Map<String, List<Double>> byKey = new TreeMap<>();
    frozen.forEach(s -> s.forEach((k, v) -> byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(v)));
    StringBuilder fin = new StringBuilder();
    byKey.forEach((k, v) -> {
      double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      fin.append(k).append('=').append(String.format(Locale.ROOT, "%.1f", a[a.length / 2])).append(' ');
    });
    System.out.println("FROZEN " + name + " (median of " + FROZEN_TURNS + " turns) " + fin.toString().trim());
    store.close();
    System.exit(0);
  }

  private static Map<String, Double> sample(ClickHouseStore store, String db, QueryFunctions functions, Writer writer,
      long start) throws StoreException {
    Map<String, Double> s = new LinkedHashMap<>();
    s.put("t_s", (System.nanoTime() - start) / 1e9);
    s.put("rows_k", writer.rows() / 1e3);
    s.putAll(parts(store, db));
    for (Map.Entry<String, QueryPhase.Query> q : queries(store, db, functions, writer.traceIds()).entrySet()) {
      time(s, q.getKey(), q.getValue());
    }
    return s;
  }

  /** Active parts of the largest partition, and its rows, per table. */
  static Map<String, Double> parts(ClickHouseStore store, String db) throws StoreException {
    Map<String, Double> s = new LinkedHashMap<>();
    for (List<Object> row : store.query("SELECT table, max(c), sum(c), max(r) FROM (SELECT table,"
        + " partition, count() AS c, sum(rows) AS r FROM system.parts WHERE active AND database = {db:String}"
        + " AND table IN {tables:Array(String)} GROUP BY table, partition) GROUP BY table",
        Map.of("db", db, "tables", TABLES)).rows()) {
      String t = short_((String) row.get(0));
      s.put("parts_max_partition." + t, ((Number) row.get(1)).doubleValue());
      s.put("partition_rows_k." + t, ((Number) row.get(3)).doubleValue() / 1e3);
    }
    return s;
  }

  /** The queries users run on these tables, by name. */
  static Map<String, QueryPhase.Query> queries(ClickHouseStore store, String db, QueryFunctions functions,
      List<String> ids) {
    Map<String, QueryPhase.Query> q = new LinkedHashMap<>();
    Map<String, String> p = Map.of("db", db);
    Random random = new Random(ids.size());
    q.put("q.trace_by_id", () -> {
      String id = ids.get(random.nextInt(ids.size()));
      if (functions.traces().trace(id).map(t -> t.spans().size()).orElse(0) == 0) {
        throw StoreException.permanent("bench: trace " + id + " not found");
      }
      return id;
    });
    TraceSearch filtered = TraceSearch.builder().service("loadgen-service-1").error(true).minDurationMs(100.0)
        .build();
    q.put("q.search_service_error_min", () -> functions.traces().search(filtered));
    TraceSearch byAttribute = TraceSearch.builder().attr("http.route", "/api/route3/{id}").build();
    q.put("q.search_attr_route", () -> functions.traces().search(byAttribute));
    TraceSearch none = TraceSearch.builder().build();
    q.put("q.search_no_filter", () -> functions.traces().search(none));
    LogSearch word = LogSearch.builder().service("loadgen-service-1").q("timeout").build();
    q.put("q.logs_service_word", () -> functions.logs().search(word));
    LogSearch newest = LogSearch.builder().build();
    q.put("q.logs_newest", () -> functions.logs().search(newest));
    q.put("q.dashboard_data", functions::dashboardData);
    q.put("q.get_metrics_avg_1h", () -> functions.getMetrics("loadgen.gauge.3", "1h", "avg", Map.of()));
    q.put("q.grafana_route_15m", () -> store.engine().query("SELECT Timestamp, TraceId, SpanName, Duration"
        + " FROM {db:Identifier}.otel_traces WHERE ServiceName = 'loadgen-service-1'"
        + " AND SpanAttributes['http.route'] = '/api/route3/{id}' AND Timestamp >= now() - INTERVAL 15 MINUTE"
        + " ORDER BY Timestamp DESC LIMIT 100", p));
    q.put("q.grafana_route_count_all", () -> store.engine().query("SELECT count() FROM {db:Identifier}.otel_traces"
        + " WHERE ServiceName = 'loadgen-service-1' AND SpanAttributes['http.route'] = '/api/route3/{id}'", p));
    return q;
  }

  private static String short_(String table) {
    return table.replace("tskotel_", "").replace("otel_", "");
  }

  static void time(Map<String, Double> s, String name, QueryPhase.Query q) throws StoreException {
    q.run();
    double[] ms = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long t0 = System.nanoTime();
      q.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    s.put(name, ms[RUNS / 2]);
  }

  static String format(Map<String, Double> s) {
    StringBuilder b = new StringBuilder();
    s.forEach((k, v) -> b.append(k).append('=').append(String.format(Locale.ROOT, "%.1f", v)).append(' '));
    return b.toString().trim();
  }

  /** Writes each signal at its rate, batched like the batcher (20,000 items or 1 s), fresh rows every request. */
  static final class Writer implements Runnable {
    private final List<ClickHouseStore> stores;
    private final int[] rates;
    private final long[] rows = new long[3];
    private final List<String> traceIds = new ArrayList<>();
    private volatile boolean stopped;
    private long seed;
    int late;

    /** Every batch goes to every store, in turns first. */
    Writer(List<ClickHouseStore> stores, int[] rates) {
      this.stores = stores;
      this.rates = rates;
    }

    void stop() {
      stopped = true;
    }

    synchronized long rows() {
      return rows[0] + rows[1] + rows[2];
    }

    synchronized String rowsPerSignal() {
      return String.format(Locale.ROOT, "spans %,d, logs %,d, points %,d", rows[0], rows[1], rows[2]);
    }

    synchronized List<String> traceIds() {
      return List.copyOf(traceIds);
    }

    @Override
    public void run() {
      LoadConfig.Signal[] signals = {LoadConfig.Signal.TRACES, LoadConfig.Signal.LOGS, LoadConfig.Signal.METRICS};
      Map<LoadConfig.Signal, LoadConfig> configs = new HashMap<>();
      for (LoadConfig.Signal sig : signals) {
        configs.put(sig, new LoadConfig(sig, LoadConfig.Protocol.GRPC, URI.create("http://127.0.0.1:4317"), null, 1,
            8, 0, Duration.ofSeconds(1), 0, ITEMS_PER_REQUEST, 3, 10, 0.05, 10, null, null, Duration.ofSeconds(60)));
      }
      long next = System.nanoTime();
      try {
        while (!stopped) {
          // One batch per signal per second: the rate's items, cut into batches of at most 20,000.
          for (int si = 0; si < signals.length; si++) {
            int due = rates[si];
            while (due > 0) {
              int items = Math.min(due, BATCH_ITEMS);
              List<byte[]> requests = new ArrayList<>();
              Payloads payloads = new Payloads(configs.get(signals[si]), seed++, System.currentTimeMillis() * 1_000_000L);
              for (int i = 0; i < items / ITEMS_PER_REQUEST; i++) {
                com.google.protobuf.Message m = payloads.request(i);
                if (i == 0 && m instanceof ExportTraceServiceRequest t) {
                  ByteString id = t.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId();
                  synchronized (this) {
                    traceIds.add(HexFormat.of().formatHex(id.toByteArray()));
                  }
                }
                requests.add(m.toByteArray());
              }
              for (int k = 0; k < stores.size(); k++) {
                ClickHouseStore store = stores.get((int) ((seed + k) % stores.size()));
                switch (signals[si]) {
                  case TRACES -> store.writeTraceRequests(requests);
                  case LOGS -> store.writeLogRequests(requests);
                  case METRICS -> store.writeMetricRequests(requests);
                }
              }
              synchronized (this) {
                rows[si] += (long) requests.size() * ITEMS_PER_REQUEST;
              }
              due -= items;
            }
          }
          next += BATCH_DELAY_NANOS;
          long wait = next - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000);
          } else {
            late++;
            next = System.nanoTime();
          }
        }
      } catch (Exception e) {
        e.printStackTrace();
        System.exit(2);
      }
    }
  }

  /**
   * The merge threads' CPU, per table: {@code system.merges} names the thread each running merge is on, read
   * four times a second; a merge thread's CPU since the last reading goes to the table it merges (now, or at
   * the last reading), the rest to "other".
   */
  static final class MergeCpu implements Runnable {
    private final ClickHouseStore store;
    private final Map<String, Long> perTable = new TreeMap<>();
    private final Map<Long, Long> lastTicks = new HashMap<>();
    private Map<Long, String> lastTables = Map.of();
    private volatile boolean stopped;
    private long total;

    MergeCpu(ClickHouseStore store) {
      this.store = store;
      threadTicks().forEach(lastTicks::put);
    }

    void stop() {
      stopped = true;
    }

    synchronized long total() {
      return total;
    }

    /** Merge CPU attributed to one database's tables. */
    synchronized long total(String db) {
      return perTable.entrySet().stream().filter(e -> e.getKey().startsWith(db + "."))
          .mapToLong(Map.Entry::getValue).sum();
    }

    synchronized String perTable() {
      StringBuilder b = new StringBuilder();
      perTable.forEach((k, v) -> b.append(k.replace("tskotel_", "").replace("otel_", "")).append(' ').append(String.format(Locale.ROOT, "%.1f", v / 1e9))
          .append(", "));
      return b.toString();
    }

    @Override
    public void run() {
      while (!stopped) {
        try {
          Map<Long, String> now = new HashMap<>();
          for (List<Object> row : store.engine().query("SELECT thread_id, database, table FROM"
              + " system.merges", Map.of()).rows()) {
            now.put(((Number) row.get(0)).longValue(), row.get(1) + "." + row.get(2));
          }
          Map<Long, Long> ticks = threadTicks();
          synchronized (this) {
            for (Map.Entry<Long, Long> e : ticks.entrySet()) {
              long delta = (e.getValue() - lastTicks.getOrDefault(e.getKey(), 0L)) * 10_000_000L;
              if (delta <= 0) {
                continue;
              }
              String table = now.getOrDefault(e.getKey(), lastTables.getOrDefault(e.getKey(), "other"));
              perTable.merge(table, delta, Long::sum);
              total += delta;
            }
          }
          lastTicks.putAll(ticks);
          lastTables = now;
          Thread.sleep(250);
        } catch (Exception e) {
          e.printStackTrace();
          return;
        }
      }
    }
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long mergeThreadsCpuNanos() {
    return threadTicks().values().stream().mapToLong(Long::longValue).sum() * 10_000_000L;
  }

  /** utime + stime (ticks of USER_HZ 100) of every {@code MergeMutate} thread, by thread id. */
  private static Map<Long, Long> threadTicks() {
    Map<Long, Long> out = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread ended
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (!stat.substring(open + 1, close).startsWith("MergeMutate")) {
          continue;
        }
        String[] f = stat.substring(close + 2).split(" ");
        out.put(Long.parseLong(task.getFileName().toString()), Long.parseLong(f[11]) + Long.parseLong(f[12]));
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }
}
