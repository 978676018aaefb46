package io.tskotel.collector.bench;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.EngineMemory;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.chdb.ChdbConnection;
import io.tskotel.exporter.internal.chdb.ChdbRuntime;
import io.tskotel.exporter.internal.encode.EncodeStats;
import io.tskotel.exporter.internal.encode.LogEncoder;
import io.tskotel.exporter.internal.encode.RowSink;
import io.tskotel.exporter.internal.encode.SpanEncoder;
import io.tskotel.exporter.internal.rowbinary.NativeBlock;
import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;
import io.tskotel.exporter.internal.store.TableInsert;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the embedded engine spends per inserted row, and what changes it: the input format (RowBinary from
 * today's encoder, or Native of the very same rows) and insert-time or table settings, one at a time against
 * the default. One process, one engine: every variant is its own database (the real migrations, then the
 * variant's table settings) with its own connection (the variant's insert settings), and the variants take
 * turns inserting the same prepared bytes, a fixed number of rows per round, order reversed every other
 * round. After a variant's inserts the round waits until the engine runs no merge, so the merges those
 * inserts caused are counted with them. The sending thread only copies prepared bytes into the engine, so
 * process CPU per row is the engine's (insert pipeline and merges); the merge threads' share is shown apart.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -Xmx2g -cp ... io.tskotel.collector.bench.InsertCostBenchmark \
 *     [traces|logs] [format|settings|merge|VARIANT,...] [rounds] [batchesPerRound] [rowsPerBatch]
 * </pre>
 *
 * Engine-wide settings (thread pools) are fixed when the engine starts, so they are compared across
 * processes: {@code -Dbench.server=background_pool_size=4,...} boots the engine with them, and
 * {@code -Dbench.purgeThreshold=BYTES} purges its allocator past that much freed (default: the collector's;
 * 0 never).
 */
public final class InsertCostBenchmark {
  private static final int DISTINCT_BATCHES = 4;

  private InsertCostBenchmark() {}

  /** One way to insert: the data's format, the insert's settings, the table's ALTERs ({@code %s} = database). */
  record Variant(String name, Format format, Map<String, String> insertSettings, List<String> tableDdl) {
    static Variant of(String name, Format format) {
      return new Variant(name, format, Map.of(), List.of());
    }

    static Variant setting(String name, String key, String value) {
      return new Variant(name, Format.ROW_BINARY, Map.of(key, value), List.of());
    }

    static Variant table(String name, String setting) {
      return new Variant(name, Format.ROW_BINARY, Map.of(), List.of("ALTER TABLE %s.%t MODIFY SETTING " + setting));
    }
  }

  enum Format {
    ROW_BINARY("RowBinary"),
    /** Native as the engine writes it: LowCardinality columns with their dictionaries. */
    NATIVE("Native"),
    /** Native with every LowCardinality as plain String: what a simple encoder would write. */
    NATIVE_PLAIN("Native"),
    /** The production transcoder's Native ({@code NativeBlock}) of the encoder's RowBinary. */
    NATIVE_OURS("Native");

    final String engineName;

    Format(String engineName) {
      this.engineName = engineName;
    }
  }

  static Map<String, List<Variant>> sets() {
    Map<String, List<Variant>> sets = new LinkedHashMap<>();
    sets.put("format", List.of(
        Variant.of("rowbinary", Format.ROW_BINARY),
        Variant.of("native", Format.NATIVE),
        Variant.of("native_plain", Format.NATIVE_PLAIN),
        Variant.of("native_ours", Format.NATIVE_OURS)));
    sets.put("transcoder", List.of(
        Variant.of("rowbinary", Format.ROW_BINARY),
        Variant.of("native_ours", Format.NATIVE_OURS)));
    sets.put("settings", List.of(
        Variant.of("default", Format.ROW_BINARY),
        Variant.setting("skip_idx_at_merge", "materialize_skip_indexes_on_insert", "0"),
        Variant.setting("optimize_on_insert_0", "optimize_on_insert", "0"),
        Variant.setting("max_insert_threads_2", "max_insert_threads", "2"),
        Variant.setting("max_threads_1", "max_threads", "1"),
        Variant.setting("parallel_parsing_0", "input_format_parallel_parsing", "0"),
        Variant.setting("squash_8k_rows", "min_insert_block_size_rows", "8192"),
        Variant.setting("async_insert_0", "async_insert", "0"),
        Variant.setting("parallel_view_1", "parallel_view_processing", "1")));
    sets.put("merge", List.of(
        Variant.of("default", Format.ROW_BINARY),
        Variant.table("selector_base_10", "merge_selector_base = 10"),
        // Migration 7 made base 10 the tables' own: this is the engine's default before it.
        Variant.table("selector_base_5", "merge_selector_base = 5"),
        new Variant("base_10_min_parts_10", Format.ROW_BINARY, Map.of(), List.of(
            "ALTER TABLE %s.%t MODIFY SETTING merge_selector_base = 10, min_parts_to_merge_at_once = 10")),
        Variant.table("min_parts_merge_10", "min_parts_to_merge_at_once = 10"),
        Variant.table("no_vertical_merge", "enable_vertical_merge_algorithm = 0"),
        Variant.table("merge_block_64k", "merge_max_block_size = 65536"),
        Variant.table("max_merge_64mb", "max_bytes_to_merge_at_max_space_in_pool = 67108864"),
        Variant.table("stochastic_selector", "merge_selector_algorithm = 'StochasticSimple'")));
    // Map columns split into buckets of keys (one key read = one bucket read): migration 8 on otel_traces,
    // only in merged parts (map_serialization_version_for_zero_level_parts = basic); maps under 32 keys on
    // average keep one bucket unless map_buckets_min_avg_size says otherwise.
    String buckets = "map_serialization_version = 'with_buckets', map_buckets_min_avg_size = 0";
    sets.put("mapbuckets", List.of(
        Variant.table("basic", "map_serialization_version = 'basic'"),
        Variant.table("buckets_merged", buckets),
        Variant.table("buckets_all", buckets + ", map_serialization_version_for_zero_level_parts = 'with_buckets'"),
        Variant.table("buckets_linear", buckets + ", map_buckets_strategy = 'linear'")));
    // The engine writes every column (and map key, value and offset stream) of a part through buffers of
    // max_compress_block_size: with ~60 streams per otel_traces part, 1 MiB each is most of an insert's or a
    // merge's memory. Smaller blocks, Native as the collector sends it.
    sets.put("compressblock", List.of(
        Variant.of("block_1m", Format.NATIVE_OURS),
        new Variant("block_256k", Format.NATIVE_OURS, Map.of(), List.of(
            "ALTER TABLE %s.%t MODIFY SETTING max_compress_block_size = 262144")),
        new Variant("block_128k", Format.NATIVE_OURS, Map.of(), List.of(
            "ALTER TABLE %s.%t MODIFY SETTING max_compress_block_size = 131072"))));
    // Sparse serialization: a part's column with at least this share of default values (an empty TraceState,
    // ParentSpanId of a root span, StatusMessage) is written as its non-default values and their offsets; the
    // engine counts every column's defaults to decide. 1 turns it off.
    sets.put("sparse", List.of(
        Variant.of("sparse_default", Format.NATIVE_OURS),
        new Variant("sparse_off", Format.NATIVE_OURS, Map.of(), List.of(
            "ALTER TABLE %s.%t MODIFY SETTING ratio_of_defaults_for_sparse_serialization = 1"))));
    // Migration 9's materialized HttpStatus column (the engine reads two map keys per span at insert and
    // writes one more column) against the table without it.
    sets.put("httpstatus", List.of(
        Variant.of("http_status_column", Format.ROW_BINARY),
        new Variant("no_http_status_column", Format.ROW_BINARY, Map.of(), List.of(
            "ALTER TABLE %s.%t DROP COLUMN HttpStatus"))));
    return sets;
  }

  public static void main(String[] args) throws Exception {
    String signal = args.length > 0 ? args[0] : "traces";
    String which = args.length > 1 ? args[1] : "format";
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int batchesPerRound = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    int rowsPerBatch = args.length > 4 ? Integer.parseInt(args[4]) : 20_000;
    boolean traces = signal.equals("traces");
    String table = traces ? SpanEncoder.TABLE : LogEncoder.TABLE;
    List<String> columns = traces ? SpanEncoder.COLUMNS : LogEncoder.COLUMNS;

    List<Variant> variants = new ArrayList<>();
    Map<String, List<Variant>> sets = sets();
    if (sets.containsKey(which)) {
      variants.addAll(sets.get(which));
    } else {
      Map<String, Variant> all = new LinkedHashMap<>();
      sets.values().forEach(l -> l.forEach(v -> all.putIfAbsent(v.name(), v)));
      for (String name : which.split(",")) {
        variants.add(requireVariant(all, name));
      }
    }

    Path data = Files.createTempDirectory("tskotel-insert-cost-");
    // The allocator purged as the collector's engine is; -Dbench.purgeThreshold=BYTES (0: never) to compare.
    EngineMemory memory = new EngineMemory(2L << 30, EngineMemory.DEFAULT_MARK_CACHE_SIZE,
        EngineMemory.DEFAULT_INDEX_CACHE_SIZE, 0, 1L << 30,
        Long.getLong("bench.purgeThreshold", EngineMemory.DEFAULT_PURGE_THRESHOLD));
    Map<String, String> server = new LinkedHashMap<>(memory.serverSettings());
    server.putAll(parseSettings(System.getProperty("bench.server", "")));
    ChdbRuntime.boot(data, server, memory.sessionSettings(), memory.purgeThreshold());
    System.out.println("engine: " + server + ", allocator purged past " + memory.purgeThreshold() + " bytes freed");

    // The rows: the load generator's realistic items, through today's encoder.
    List<byte[]> rowBinary = encode(traces, rowsPerBatch);
    ClickHouseStore stage = ClickHouseStore.embedded(StoreConfig.builder().dataPath(data).database("stage")
        .engineMemory(memory).build());
    Map<Format, List<byte[]>> bytes = new LinkedHashMap<>();
    bytes.put(Format.ROW_BINARY, rowBinary);
    bytes.put(Format.NATIVE, new ArrayList<>());
    bytes.put(Format.NATIVE_PLAIN, new ArrayList<>());
    String cols = String.join(", ", columns.stream().map(c -> "`" + c + "`").toList());
    try (ChdbConnection c = ChdbRuntime.connect(data, Map.of())) {
      for (int i = 0; i < rowBinary.size(); i++) {
        // A Memory table keeps the rows in the order inserted, so Native holds them in RowBinary's order.
        String staged = "stage.b" + i;
        stage.engine().execute("CREATE TABLE " + staged + " ENGINE = Memory AS SELECT " + cols + " FROM stage."
            + table + " LIMIT 0", Map.of());
        c.insert(TableInsert.prefix("stage", "b" + i, columns), "RowBinary", rowBinary.get(i), 0,
            rowBinary.get(i).length);
        String select = "SELECT " + cols + " FROM " + staged;
        byte[] back = stage.engine().queryFormatted(select, Map.of(), "RowBinary", Map.of());
        if (!Arrays.equals(back, rowBinary.get(i))) {
          throw new IllegalStateException("batch " + i + ": the staged rows read back differ from the encoder's");
        }
        bytes.get(Format.NATIVE).add(stage.engine().queryFormatted(select, Map.of(), "Native",
            Map.of("max_block_size", "1000000")));
        // The engine's Native output keeps LowCardinality whatever low_cardinality_allow_in_native_format
        // says, so the plain variant casts every LowCardinality(String) to String in the SELECT itself.
        bytes.get(Format.NATIVE_PLAIN).add(stage.engine().queryFormatted(plainSelect(stage, staged, columns),
            Map.of(), "Native", Map.of("max_block_size", "1000000")));
      }
    }
    bytes.put(Format.NATIVE_OURS, transcode(stage, table, columns, rowBinary, rowsPerBatch, bytes.get(Format.NATIVE_PLAIN)));
    for (Map.Entry<Format, List<byte[]>> e : bytes.entrySet()) {
      System.out.printf(Locale.ROOT, "%-12s %,d bytes per batch of %,d rows (%.0f per row)%n", e.getKey(),
          e.getValue().get(0).length, rowsPerBatch, e.getValue().get(0).length / (double) rowsPerBatch);
    }

    Map<String, ClickHouseStore> stores = new LinkedHashMap<>();
    Map<String, ChdbConnection> connections = new LinkedHashMap<>();
    for (Variant v : variants) {
      String db = "v_" + v.name();
      ClickHouseStore store = ClickHouseStore.embedded(StoreConfig.builder().dataPath(data).database(db)
          .engineMemory(memory).build());
      for (String ddl : v.tableDdl()) {
        store.engine().execute(ddl.replace("%s", db).replace("%t", table), Map.of());
      }
      stores.put(v.name(), store);
      connections.put(v.name(), ChdbRuntime.connect(data, v.insertSettings()));
      insert(connections.get(v.name()), v, db, table, columns, bytes.get(v.format()).get(0), rowsPerBatch); // warm-up
    }
    EngineCounters.awaitNoMerges(stage, Duration.ofMillis(1500), Duration.ofSeconds(60));

    Map<String, long[]> totals = new LinkedHashMap<>(); // rows, insert wall nanos, cpu nanos, merge-thread cpu nanos
    variants.forEach(v -> totals.put(v.name(), new long[4]));
    long asyncBefore = EngineCounters.event(stage, "AsyncInsertQuery");
    for (int r = 0; r < rounds; r++) {
      List<Variant> order = new ArrayList<>(variants);
      if (r % 2 == 1) {
        java.util.Collections.reverse(order);
      }
      for (Variant v : order) {
        String db = "v_" + v.name();
        List<byte[]> input = bytes.get(v.format());
        ChdbConnection c = connections.get(v.name());
        long cpu0 = processCpuNanos();
        long merge0 = BenchStats.mergeThreadsCpuNanos();
        long start = System.nanoTime();
        for (int b = 0; b < batchesPerRound; b++) {
          insert(c, v, db, table, columns, input.get(b % input.size()), rowsPerBatch);
        }
        long wall = System.nanoTime() - start;
        EngineCounters.awaitNoMerges(stage, Duration.ofMillis(1500), Duration.ofSeconds(60));
        long cpu = processCpuNanos() - cpu0;
        long merge = BenchStats.mergeThreadsCpuNanos() - merge0;
        long rows = (long) batchesPerRound * rowsPerBatch;
        long[] t = totals.get(v.name());
        t[0] += rows;
        t[1] += wall;
        t[2] += cpu;
        t[3] += merge;
        System.out.printf(Locale.ROOT, "round %d %-20s %,9.0f rows/s while inserting, %6.2f CPU-µs per row"
            + " (merge threads %5.2f)%n", r, v.name(), rows / (wall / 1e9), cpu / 1e3 / rows, merge / 1e3 / rows);
      }
    }
    System.out.println("async inserts taken by the engine: "
        + (EngineCounters.event(stage, "AsyncInsertQuery") - asyncBefore));

    long[] base = totals.get(variants.get(0).name());
    double baseRate = base[0] / (base[1] / 1e9);
    double baseCpu = base[2] / (double) base[0];
    System.out.printf(Locale.ROOT, "%n%s, %d rounds x %,d rows per variant:%n", table, rounds,
        (long) batchesPerRound * rowsPerBatch);
    System.out.println("| variant | rows/s while inserting | ÷ first | CPU µs per row (merge threads) | ÷ first |"
        + " active parts | compressed bytes per row |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Variant v : variants) {
      long[] t = totals.get(v.name());
      double rate = t[0] / (t[1] / 1e9);
      double cpu = t[2] / (double) t[0];
      List<Object> parts = stage.engine().query("SELECT count(), sum(data_compressed_bytes) / sum(rows)"
          + " FROM system.parts WHERE active AND database = {db:String} AND table = {t:String}",
          Map.of("db", "v_" + v.name(), "t", table)).rows().get(0);
      System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f | %.2f (%.2f) | %.2f | %s | %.1f |%n", v.name(), rate,
          rate / baseRate, cpu / 1e3, t[3] / 1e3 / t[0], cpu / baseCpu, parts.get(0),
          ((Number) parts.get(1)).doubleValue());
    }
    printQueryLatency(stage, variants, traces);
    // Every variant inserted the same rows the same number of times: its table must hold exactly them.
    String hash = "SELECT count(), sum(cityHash64(" + cols + ")) FROM %s." + table;
    List<Object> expectedHash = null;
    for (Variant v : variants) {
      List<Object> h = stage.engine().query(String.format(Locale.ROOT, hash, "v_" + v.name()), Map.of()).rows()
          .get(0);
      if (expectedHash == null) {
        expectedHash = h;
      } else if (!expectedHash.equals(h)) {
        System.out.println("CONTENT MISMATCH " + v.name() + ": " + h + " (first variant " + expectedHash + ")");
      }
    }
    System.out.println("rows and content hash of every variant's table: " + expectedHash);
    System.out.println("allocator purges: " + ChdbRuntime.allocatorPurges());
    for (Variant v : variants) {
      long n = ((Number) stage.engine().query("SELECT count() FROM v_" + v.name() + "." + table, Map.of())
          .rows().get(0).get(0)).longValue();
      long expected = (long) (rounds * batchesPerRound + 1) * rowsPerBatch;
      if (n != expected) {
        System.out.println("ROW COUNT MISMATCH " + v.name() + ": " + n + " (expected " + expected + ")");
      }
    }
    connections.values().forEach(ChdbConnection::close);
    stores.values().forEach(ClickHouseStore::close);
    stage.close();
    System.exit(0);
  }

  /**
   * The query price of a variant's parts: median of 5 runs of lookups that the explorer and Grafana make
   * (a trace by id through the skip index, an attribute value, a service's spans), per variant's table.
   */
  private static void printQueryLatency(ClickHouseStore stage, List<Variant> variants, boolean traces)
      throws StoreException {
    String[][] queries = traces
        ? new String[][] {
          {"trace id (bloom filter)", "SELECT count() FROM %s.otel_traces WHERE TraceId = 'ffffffffffffffffffffffffffffffff'"},
          {"url.path value", "SELECT count() FROM %s.otel_traces WHERE SpanAttributes['url.path'] = '/api/route3/12345'"},
          {"service + route", "SELECT count() FROM %s.otel_traces WHERE ServiceName = 'loadgen-service-1' AND SpanAttributes['http.route'] = '/api/route3/{id}'"}}
        : new String[][] {
          {"trace id (bloom filter)", "SELECT count() FROM %s.otel_logs WHERE TraceId = 'ffffffffffffffffffffffffffffffff'"},
          {"body token", "SELECT count() FROM %s.otel_logs WHERE hasToken(lower(Body), 'nosuchtoken')"},
          {"service", "SELECT count() FROM %s.otel_logs WHERE ServiceName = 'loadgen-service-1'"}};
    StringBuilder head = new StringBuilder("| variant |");
    for (String[] q : queries) {
      head.append(' ').append(q[0]).append(" ms |");
    }
    // Variants interleaved within every repetition, so the machine's noise falls on all of them alike.
    int reps = 11;
    long[][][] ns = new long[variants.size()][queries.length][reps];
    for (int rep = -1; rep < reps; rep++) {
      for (int qi = 0; qi < queries.length; qi++) {
        for (int vi = 0; vi < variants.size(); vi++) {
          String sql = String.format(Locale.ROOT, queries[qi][1], "v_" + variants.get(vi).name());
          long t0 = System.nanoTime();
          stage.engine().query(sql, Map.of());
          if (rep >= 0) {
            ns[vi][qi][rep] = System.nanoTime() - t0;
          }
        }
      }
    }
    System.out.println();
    System.out.println(head + " (median of " + reps + ")");
    for (int vi = 0; vi < variants.size(); vi++) {
      StringBuilder line = new StringBuilder("| " + variants.get(vi).name() + " |");
      for (int qi = 0; qi < queries.length; qi++) {
        Arrays.sort(ns[vi][qi]);
        line.append(String.format(Locale.ROOT, " %.1f |", ns[vi][qi][reps / 2] / 1e6));
      }
      System.out.println(line);
    }
  }

  /** {@code SELECT} of {@code columns} with every LowCardinality(String) cast to String, names kept. */
  private static String plainSelect(ClickHouseStore stage, String staged, List<String> columns)
      throws StoreException {
    Map<String, String> types = new LinkedHashMap<>();
    for (List<Object> row : stage.engine().query("SELECT name, type FROM system.columns WHERE database = 'stage'"
        + " AND table = {t:String}", Map.of("t", staged.substring("stage.".length()))).rows()) {
      types.put((String) row.get(0), (String) row.get(1));
    }
    List<String> exprs = new ArrayList<>();
    for (String c : columns) {
      String type = types.get(c);
      String plain = type.replace("LowCardinality(String)", "String");
      exprs.add(plain.equals(type) ? "`" + c + "`" : "CAST(`" + c + "` AS " + plain + ") AS `" + c + "`");
    }
    return "SELECT " + String.join(", ", exprs) + " FROM " + staged;
  }

  private static Variant requireVariant(Map<String, Variant> all, String name) {
    Variant v = all.get(name);
    if (v == null) {
      throw new IllegalArgumentException("variant: " + name + " (expected one of " + all.keySet() + ")");
    }
    return v;
  }

  private static void insert(ChdbConnection c, Variant v, String db, String table, List<String> columns,
      byte[] data, int rows) throws StoreException {
    long written = c.insert(TableInsert.prefix(db, table, columns), v.format().engineName, data, 0, data.length);
    if (written < rows) {
      throw new IllegalStateException(v.name() + ": wrote " + written + " of " + rows + " rows");
    }
  }

  /** {@link #DISTINCT_BATCHES} batches of distinct realistic rows, each one RowBinary insert of today's encoder. */
  private static List<byte[]> encode(boolean traces, int rowsPerBatch) throws StoreException {
    LoadConfig load = new LoadConfig(traces ? LoadConfig.Signal.TRACES : LoadConfig.Signal.LOGS,
        LoadConfig.Protocol.GRPC, URI.create("http://127.0.0.1:4317"), null, 1, 8, 0, Duration.ofSeconds(1), 0,
        500, 3, 10, 0.05, 10, null, null, Duration.ofSeconds(60));
    Payloads payloads = new Payloads(load, 42, System.currentTimeMillis() * 1_000_000L);
    List<byte[]> out = new ArrayList<>();
    int request = 0;
    for (int b = 0; b < DISTINCT_BATCHES; b++) {
      RowBinaryWriter w = new RowBinaryWriter(1 << 24);
      RowSink sink = new WriterSink(w);
      int rows = 0;
      if (traces) {
        List<ResourceSpans> batch = new ArrayList<>();
        for (int i = 0; i < rowsPerBatch / 500; i++) {
          batch.addAll(((ExportTraceServiceRequest) payloads.request(request++)).getResourceSpansList());
        }
        rows = new SpanEncoder(new EncodeStats()).encode(batch, sink);
      } else {
        List<ResourceLogs> batch = new ArrayList<>();
        for (int i = 0; i < rowsPerBatch / 500; i++) {
          batch.addAll(((ExportLogsServiceRequest) payloads.request(request++)).getResourceLogsList());
        }
        rows = new LogEncoder(new EncodeStats()).encode(batch, sink);
      }
      if (rows != rowsPerBatch) {
        throw new IllegalStateException("encoded " + rows + " rows (expected " + rowsPerBatch + ")");
      }
      out.add(w.toByteArray());
    }
    return out;
  }

  /**
   * The production transcoder's Native of every batch, and its cost: Java CPU per row, the best of 5 passes
   * over all batches (this thread's CPU time: the transcoder runs on the writing thread).
   */
  private static List<byte[]> transcode(ClickHouseStore stage, String table, List<String> columns,
      List<byte[]> rowBinary, int rowsPerBatch, List<byte[]> enginePlain) throws StoreException {
    Map<String, String> types = new LinkedHashMap<>();
    for (List<Object> row : stage.engine().query("SELECT name, type FROM system.columns WHERE database = 'stage'"
        + " AND table = {t:String}", Map.of("t", table)).rows()) {
      types.put((String) row.get(0), (String) row.get(1));
    }
    NativeBlock.Schema schema = NativeBlock.Schema.of(columns, columns.stream().map(types::get).toList());
    NativeBlock block = new NativeBlock();
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < rowBinary.size(); i++) {
      RowBinaryWriter w = block.transcode(schema, rowBinary.get(i), rowBinary.get(i).length, rowsPerBatch);
      out.add(w.toByteArray());
      System.out.println("batch " + i + ": transcoder's Native " + (Arrays.equals(out.get(i), enginePlain.get(i))
          ? "byte-identical to" : "differs from") + " the engine's plain Native");
    }
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long best = Long.MAX_VALUE;
    for (int pass = 0; pass < 5; pass++) {
      long t0 = threads.getCurrentThreadCpuTime();
      for (byte[] b : rowBinary) {
        block.transcode(schema, b, b.length, rowsPerBatch);
      }
      best = Math.min(best, threads.getCurrentThreadCpuTime() - t0);
    }
    System.out.printf(Locale.ROOT, "transcoder (Java, this thread): %.3f CPU-µs per row%n",
        best / 1e3 / ((long) rowBinary.size() * rowsPerBatch));
    return out;
  }

  private static Map<String, String> parseSettings(String spec) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String kv : spec.split(",")) {
      if (!kv.isBlank()) {
        int eq = kv.indexOf('=');
        m.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
      }
    }
    return m;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
