package io.tskotel.collector.bench;

import io.tskotel.collector.query.QueryConfig;
import io.tskotel.collector.query.QueryFunctions;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.EngineMemory;
import io.tskotel.exporter.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The query price of two merge settings on the very same rows: one engine, two databases ({@code a} and
 * {@code b}, each the real migrations, then its variant's {@code MODIFY SETTING} on every table the load
 * writes to), and {@link MergeSteadyStateBenchmark}'s writer sending every batch to both, in turns first. Every
 * {@code sample} seconds (the writer going on) the parts per partition of both, and every query timed on a and
 * b in alternation (a b, b a, a b after a warm-up of each), so the machine's noise falls on both alike; at the
 * end merges are stopped and the queries timed again over the parts as they are. The merge threads are shared
 * here, so their CPU per database is only the sampler's attribution ({@code system.merges}' thread ids); for
 * CPU per row run {@link MergeSteadyStateBenchmark} in two processes.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xmx2g -cp ... io.tskotel.collector.bench.MergePairBenchmark \
 *     minutes itemsPerSecondPerSignal sampleSeconds "SETTINGS_A|-" "SETTINGS_B|-"
 * </pre>
 *
 * A variant's {@code SETTINGS@table,table} sets them on those tables only; {@code -Dbench.queries=q.trace_by_id,...}
 * times only those queries, {@code -Dbench.frozenRounds=N} (default 3) the rounds over the frozen parts.
 */
public final class MergePairBenchmark {
  private MergePairBenchmark() {}

  public static void main(String[] args) throws Exception {
    double minutes = Double.parseDouble(args[0]);
    int rate = Integer.parseInt(args[1]);
    int sampleSeconds = Integer.parseInt(args[2]);
    String[] settings = {args[3], args[4]};
    String[] dbs = {"a", "b"};
    Path data = Files.createTempDirectory("tskotel-merge-pair-");
    EngineMemory memory = new EngineMemory(2L << 30, EngineMemory.DEFAULT_MARK_CACHE_SIZE,
        EngineMemory.DEFAULT_INDEX_CACHE_SIZE, 0, 1L << 30);
    List<ClickHouseStore> stores = new ArrayList<>();
    List<QueryFunctions> functions = new ArrayList<>();
    for (int v = 0; v < 2; v++) {
      ClickHouseStore store = ClickHouseStore.embedded(StoreConfig.builder().dataPath(data).database(dbs[v])
          .engineMemory(memory).build());
      if (!settings[v].equals("-")) {
        // "SETTING@table,table" limits the setting to those tables.
        int at = settings[v].indexOf('@');
        String setting = at < 0 ? settings[v] : settings[v].substring(0, at);
        List<String> tables = at < 0 ? MergeSteadyStateBenchmark.TABLES
            : List.of(settings[v].substring(at + 1).split(","));
        for (String t : tables) {
          store.engine().execute("ALTER TABLE {db:Identifier}.{t:Identifier} MODIFY SETTING " + setting,
              Map.of("db", dbs[v], "t", t));
        }
      }
      stores.add(store);
      functions.add(QueryFunctions.builder(store).config(QueryConfig.builder().database(dbs[v]).build()).build());
      System.out.println(dbs[v] + ": " + settings[v]);
    }
    MergeSteadyStateBenchmark.Writer writer = new MergeSteadyStateBenchmark.Writer(stores, new int[] {rate, rate, rate});
    Thread writing = new Thread(writer, "bench-writer");
    writing.setDaemon(true);
    MergeSteadyStateBenchmark.MergeCpu mergeCpu = new MergeSteadyStateBenchmark.MergeCpu(stores.get(0));
    Thread sampling = new Thread(mergeCpu, "bench-merge-sampler");
    sampling.setDaemon(true);
    long start = System.nanoTime();
    long end = start + (long) (minutes * 60e9);
    writing.start();
    sampling.start();
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    long nextSample = start + sampleSeconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      Thread.sleep(Math.max(1, Math.min(end, nextSample) - System.nanoTime()) / 1_000_000);
      if (System.nanoTime() < nextSample) {
        continue;
      }
      nextSample += sampleSeconds * 1_000_000_000L;
      Map<String, double[]> s = sample(stores, dbs, functions, writer);
      s.forEach((k, v) -> series.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
      System.out.printf(Locale.ROOT, "sample t=%.0fs rows/signal=%,d merge CPU a %.1f s, b %.1f s%n",
          (System.nanoTime() - start) / 1e9, writer.rows() / 3, mergeCpu.total("a") / 1e9,
          mergeCpu.total("b") / 1e9);
      print(s);
    }
    writer.stop();
    writing.join();
    mergeCpu.stop();
    System.out.printf(Locale.ROOT, "%nrows per signal %,d; merge CPU by the sampler: a %.1f s, b %.1f s (b/a %.2f);"
        + " %s; writer late %d times%n", writer.rows() / 3, mergeCpu.total("a") / 1e9, mergeCpu.total("b") / 1e9,
        mergeCpu.total("b") / (double) mergeCpu.total("a"), mergeCpu.perTable(), writer.late);
    System.out.println("second half of the run, median over samples (a, b, b/a of the medians):");
    Map<String, double[]> half = new LinkedHashMap<>();
    series.forEach((k, list) -> {
      List<double[]> h = list.subList(list.size() / 2, list.size());
      half.put(k, new double[] {median(h, 0), median(h, 1)});
    });
    print(half);
    Thread.sleep(2000);
    stores.get(0).engine().execute("SYSTEM STOP MERGES", Map.of());
    Map<String, List<double[]>> frozen = new LinkedHashMap<>();
    int frozenRounds = Integer.getInteger("bench.frozenRounds", 3);
    for (int round = 0; round < frozenRounds; round++) {
      sample(stores, dbs, functions, writer).forEach((k, v) -> frozen.computeIfAbsent(k, x -> new ArrayList<>())
          .add(v));
    }
    Map<String, double[]> fin = new LinkedHashMap<>();
    frozen.forEach((k, list) -> fin.put(k, new double[] {median(list, 0), median(list, 1)}));
    System.out.println("FROZEN (merges stopped, median of " + frozenRounds + " rounds):");
    print(fin);
    stores.forEach(ClickHouseStore::close);
    System.exit(0);
  }

  /** Parts of both databases, then every query on a and b in alternation: medians of 3 each. */
  private static Map<String, double[]> sample(List<ClickHouseStore> stores, String[] dbs,
      List<QueryFunctions> functions, MergeSteadyStateBenchmark.Writer writer) throws Exception {
    Map<String, double[]> s = new LinkedHashMap<>();
    for (int v = 0; v < 2; v++) {
      int vi = v;
      MergeSteadyStateBenchmark.parts(stores.get(v), dbs[v]).forEach((k, x) -> s.computeIfAbsent(k,
          y -> new double[2])[vi] = x);
    }
    List<String> ids = writer.traceIds();
    List<Map<String, QueryPhase.Query>> qs = List.of(
        MergeSteadyStateBenchmark.queries(stores.get(0), dbs[0], functions.get(0), ids),
        MergeSteadyStateBenchmark.queries(stores.get(1), dbs[1], functions.get(1), ids));
    // -Dbench.queries=q.trace_by_id,... times only those.
    List<String> only = List.of(System.getProperty("bench.queries", "").split(","));
    for (String name : qs.get(0).keySet()) {
      if (!only.get(0).isEmpty() && !only.contains(name)) {
        continue;
      }
      double[][] ms = new double[2][3];
      qs.get(0).get(name).run();
      qs.get(1).get(name).run();
      for (int rep = 0; rep < 3; rep++) {
        for (int k = 0; k < 2; k++) {
          int v = rep % 2 == 0 ? k : 1 - k;
          long t0 = System.nanoTime();
          qs.get(v).get(name).run();
          ms[v][rep] = (System.nanoTime() - t0) / 1e6;
        }
      }
      Arrays.sort(ms[0]);
      Arrays.sort(ms[1]);
      s.put(name, new double[] {ms[0][1], ms[1][1]});
    }
    return s;
  }

  private static double median(List<double[]> list, int i) {
    double[] a = list.stream().mapToDouble(x -> x[i]).sorted().toArray();
    return a[a.length / 2];
  }

  private static void print(Map<String, double[]> s) {
    s.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-36s %9.1f %9.1f %6.2f%n", k, v[0], v[1],
        v[0] == 0 ? Double.NaN : v[1] / v[0]));
  }
}
