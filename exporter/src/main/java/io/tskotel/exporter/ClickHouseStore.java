package io.tskotel.exporter;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.tskotel.exporter.internal.chdb.ChdbEngine;
import io.tskotel.exporter.internal.encode.AlertEncoder;
import io.tskotel.exporter.internal.encode.EncodeStats;
import io.tskotel.exporter.internal.encode.LogEncoder;
import io.tskotel.exporter.internal.encode.MetricEncoder;
import io.tskotel.exporter.internal.encode.MetricTable;
import io.tskotel.exporter.internal.encode.SpanEncoder;
import io.tskotel.exporter.internal.encode.WireLogEncoder;
import io.tskotel.exporter.internal.encode.WireMetricEncoder;
import io.tskotel.exporter.internal.encode.WireRequestEncoder;
import io.tskotel.exporter.internal.encode.WireSpanEncoder;
import io.tskotel.exporter.internal.engine.ReadOnlySql;
import io.tskotel.exporter.internal.engine.SqlEngine;
import io.tskotel.exporter.internal.params.QueryParams;
import io.tskotel.exporter.internal.remote.RemoteEngine;
import io.tskotel.exporter.internal.rowbinary.NativeBlock;
import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;
import io.tskotel.exporter.internal.store.ExpiredOnArrival;
import io.tskotel.exporter.internal.store.TableInsert;
import io.tskotel.exporter.internal.schema.Migrator;
import io.tskotel.exporter.internal.schema.SchemaSettings;
import io.tskotel.sdk.internal.Throttle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongUnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TelemetryStore} over a ClickHouse engine: OTLP objects become RowBinary rows of the OTel
 * schema and go to the engine as inserts; queries go out with bound parameters. The same DDL, encoders and
 * SQL serve the embedded chDB engine and a remote server.
 */
public final class ClickHouseStore implements TelemetryStore {
  private static final Logger log = LoggerFactory.getLogger(ClickHouseStore.class);
  private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(10);

  private final StoreConfig config;
  private final SqlEngine engine;
  private final SchemaSettings schema;
  private final EncodeStats encodeStats = new EncodeStats();
  private final SpanEncoder spanEncoder = new SpanEncoder(encodeStats);
  private final LogEncoder logEncoder = new LogEncoder(encodeStats);
  private final MetricEncoder metricEncoder = new MetricEncoder(encodeStats);
  // The wire encoders keep scratch state (readers, the attribute-key order memo): one per writing thread.
  private final ThreadLocal<WireSpanEncoder> wireSpanEncoders =
      ThreadLocal.withInitial(() -> new WireSpanEncoder(encodeStats));
  private final ThreadLocal<WireLogEncoder> wireLogEncoders =
      ThreadLocal.withInitial(() -> new WireLogEncoder(encodeStats));
  private final ThreadLocal<WireMetricEncoder> wireMetricEncoders =
      ThreadLocal.withInitial(() -> new WireMetricEncoder(encodeStats));
  private final String tracesPrefix;
  private final String logsPrefix;
  private final String alertsPrefix;
  private final Map<MetricTable, String> metricPrefixes = new EnumMap<>(MetricTable.class);
  private final Map<String, LongAdder> rowsWritten = new LinkedHashMap<>();
  private final LongAdder failedWrites = new LongAdder();
  private final Throttle failureLog = new Throttle(FAILURE_LOG_INTERVAL);
  private final Map<String, LongAdder> expiredOnArrival = new LinkedHashMap<>();
  private final Throttle expiredLog = new Throttle(FAILURE_LOG_INTERVAL);
  private final AtomicBoolean closed = new AtomicBoolean();
  // Writers are reused per thread: a batch's buffers grow once instead of on every call.
  private final ThreadLocal<ArrayDeque<RowBinaryWriter>> writers = ThreadLocal.withInitial(ArrayDeque::new);
  // Native inserts: each table's columns and types as the engine reports them (empty: a type the
  // transcoder does not handle, that table stays RowBinary), and one transcoder per writing thread.
  private final boolean nativeInserts;
  private final Map<String, List<String>> insertColumns = new HashMap<>();
  private final Map<String, Optional<NativeBlock.Schema>> nativeSchemas = new ConcurrentHashMap<>();
  private final ThreadLocal<NativeBlock> nativeBlocks = ThreadLocal.withInitial(NativeBlock::new);

  private ClickHouseStore(StoreConfig config, SqlEngine engine) {
    this.config = config;
    this.engine = engine;
    this.schema = config.schema();
    String db = config.database();
    tracesPrefix = TableInsert.prefix(db, SpanEncoder.TABLE, SpanEncoder.COLUMNS);
    logsPrefix = TableInsert.prefix(db, LogEncoder.TABLE, LogEncoder.COLUMNS);
    alertsPrefix = TableInsert.prefix(db, AlertEncoder.TABLE, AlertEncoder.COLUMNS);
    for (MetricTable t : MetricTable.values()) {
      metricPrefixes.put(t, TableInsert.prefix(db, t.table(), t.columns()));
      rowsWritten.put(t.table(), new LongAdder());
    }
    for (MetricTable t : MetricTable.values()) {
      insertColumns.put(t.table(), t.columns());
    }
    insertColumns.put(SpanEncoder.TABLE, SpanEncoder.COLUMNS);
    insertColumns.put(LogEncoder.TABLE, LogEncoder.COLUMNS);
    insertColumns.put(AlertEncoder.TABLE, AlertEncoder.COLUMNS);
    nativeInserts = config.insertFormat() == StoreConfig.InsertFormat.NATIVE && engine.takesNative();
    rowsWritten.put(SpanEncoder.TABLE, new LongAdder());
    rowsWritten.put(LogEncoder.TABLE, new LongAdder());
    rowsWritten.put(AlertEncoder.TABLE, new LongAdder());
    for (String signal : SchemaSettings.SIGNALS) {
      expiredOnArrival.put(signal, new LongAdder());
    }
  }

  /** Opens the engine {@code config} names ({@link StoreConfig#engine()}). */
  public static ClickHouseStore open(StoreConfig config) throws StoreException {
    return switch (config.engine()) {
      case EMBEDDED -> embedded(config);
      case REMOTE -> remote(config);
    };
  }

  /** A store over chDB in this process, with its data under {@link StoreConfig#dataPath()}. */
  public static ClickHouseStore embedded(StoreConfig config) throws StoreException {
    config.requireValid();
    if (config.engine() != StoreConfig.EngineKind.EMBEDDED) {
      throw new IllegalArgumentException("engine: " + config.engine() + " (expected: EMBEDDED for embedded())");
    }
    return create(config, ChdbEngine.builder()
        .dataPath(config.dataPath())
        .poolSize(config.readConnections())
        .memory(config.engineMemory())
        .build());
  }

  /** A store over a ClickHouse server or cluster; the password comes from {@code passwordEnv}. */
  public static ClickHouseStore remote(StoreConfig config) throws StoreException {
    config.requireValid();
    if (config.engine() != StoreConfig.EngineKind.REMOTE) {
      throw new IllegalArgumentException("engine: " + config.engine() + " (expected: REMOTE for remote())");
    }
    return create(config, RemoteEngine.open(config, System::getenv));
  }

  /**
   * A store over {@code engine}, which it owns from now on (closing the store closes it). Applies pending
   * migrations when {@link StoreConfig#migrateOnStart()}.
   */
  public static ClickHouseStore create(StoreConfig config, SqlEngine engine) throws StoreException {
    requireNonNull(config, "config");
    requireNonNull(engine, "engine");
    try {
      config.requireValid();
    } catch (IllegalArgumentException e) {
      engine.close();
      throw e;
    }
    ClickHouseStore store = new ClickHouseStore(config, engine);
    if (config.migrateOnStart()) {
      try {
        store.migrate();
      } catch (StoreException | RuntimeException e) {
        store.close();
        throw e;
      }
    }
    log.info("store open: engine={} database={} schema version={} inserts={}", config.engine(), config.database(),
        config.migrateOnStart() ? store.migrator().currentVersion() : "unchecked",
        store.nativeInserts ? "Native" : "RowBinary");
    return store;
  }

  public StoreConfig config() {
    return config;
  }

  /** The engine underneath, for tools and tests (OPTIMIZE, raw inserts). */
  public SqlEngine engine() {
    return engine;
  }

  /** The schema's migrations on this store's database, for {@code tskotel migrate} and tests. */
  public Migrator migrator() {
    return new Migrator(engine, schema);
  }

  @Override
  public void migrate() throws StoreException {
    ensureOpen();
    try {
      migrator().migrate();
    } finally {
      // A migration may change column types: read them again.
      nativeSchemas.clear();
    }
  }

  @Override
  public void writeTraces(List<ResourceSpans> resourceSpans) throws StoreException {
    requireNonNull(resourceSpans, "resourceSpans");
    writeTable("traces", SpanEncoder.TABLE, tracesPrefix, insert -> spanEncoder.encode(resourceSpans, insert));
    countExpired("traces", "spans", cutoff -> ExpiredOnArrival.spans(resourceSpans, cutoff));
  }

  @Override
  public void writeTraceRequests(List<byte[]> requests) throws StoreException {
    writeRequests("traces", SpanEncoder.TABLE, tracesPrefix, wireSpanEncoders, "spans", requests);
  }

  @Override
  public void writeLogRequests(List<byte[]> requests) throws StoreException {
    writeRequests("logs", LogEncoder.TABLE, logsPrefix, wireLogEncoders, "log records", requests);
  }

  /** Serialized export requests of one table's signal, encoded on the wire by this thread's encoder. */
  private void writeRequests(String signal, String table, String prefix,
      ThreadLocal<? extends WireRequestEncoder> encoders, String items, List<byte[]> requests)
      throws StoreException {
    requireNonNull(requests, "requests");
    long cutoff = expiryCutoff(signal);
    long[] expired = new long[1];
    writeTable(signal, table, prefix,
        insert -> expired[0] = encoders.get().encode(requests, insert, cutoff).expired());
    reportExpired(signal, items, expired[0]);
  }

  @Override
  public void writeLogs(List<ResourceLogs> resourceLogs) throws StoreException {
    requireNonNull(resourceLogs, "resourceLogs");
    writeTable("logs", LogEncoder.TABLE, logsPrefix, insert -> logEncoder.encode(resourceLogs, insert));
    countExpired("logs", "log records", cutoff -> ExpiredOnArrival.logs(resourceLogs, cutoff));
  }

  @Override
  public void writeMetrics(List<ResourceMetrics> resourceMetrics) throws StoreException {
    requireNonNull(resourceMetrics, "resourceMetrics");
    writeMetricTables(sinks -> {
      metricEncoder.encode(resourceMetrics, sinks);
      return -1;
    });
    countExpired("metrics", "metric points", cutoff -> ExpiredOnArrival.points(resourceMetrics, cutoff));
  }

  @Override
  public void writeMetricRequests(List<byte[]> requests) throws StoreException {
    requireNonNull(requests, "requests");
    long cutoff = expiryCutoff("metrics");
    long expired = writeMetricTables(
        sinks -> wireMetricEncoders.get().encode(requests, sinks, cutoff).expired());
    reportExpired("metrics", "metric points", expired);
  }

  /** Encodes points into one insert (or several) per metric table; returns what the encoding returns. */
  private long writeMetricTables(MetricEncoding encoding) throws StoreException {
    ensureOpen();
    Map<MetricTable, TableInsert> inserts = new EnumMap<>(MetricTable.class);
    try {
      // Resolved before encoding (a lookup once read): the encoding opens inserts from inside a lambda.
      Map<MetricTable, NativeBlock.Schema> schemas = new EnumMap<>(MetricTable.class);
      for (MetricTable t : MetricTable.values()) {
        NativeBlock.Schema schema = nativeSchema(t.table());
        if (schema != null) {
          schemas.put(t, schema);
        }
      }
      TableInsert.OpenInserts openInserts = new TableInsert.OpenInserts(1);
      long result = encoding.encode(t -> inserts.computeIfAbsent(
          t, k -> newInsert(metricPrefixes.get(k), borrow(), schemas.get(k), openInserts)));
      for (Map.Entry<MetricTable, TableInsert> e : inserts.entrySet()) {
        e.getValue().finish();
        rowsWritten.get(e.getKey().table()).add(e.getValue().totalRows());
      }
      return result;
    } catch (StoreException | RuntimeException e) {
      throw failed("metrics", e);
    } finally {
      for (TableInsert i : inserts.values()) {
        i.close();
        giveBack(i.writer());
      }
      trimNativeBlock();
    }
  }

  @FunctionalInterface
  private interface MetricEncoding {
    long encode(java.util.function.Function<MetricTable, io.tskotel.exporter.internal.encode.RowSink> sinks)
        throws StoreException;
  }

  /**
   * Counts, and logs (throttled), the rows of a successful write that were already older than the signal's
   * TTL: the engine drops them on insert, by the wall clock it shares with this process.
   */
  private void countExpired(String signal, String items, LongUnaryOperator expiredBefore) {
    long cutoff = expiryCutoff(signal);
    if (cutoff != Long.MIN_VALUE) {
      reportExpired(signal, items, expiredBefore.applyAsLong(cutoff));
    }
  }

  /** "Now minus the signal's TTL" in Unix nanoseconds, or {@link Long#MIN_VALUE} (nothing expires). */
  private long expiryCutoff(String signal) {
    Duration ttl = config.ttls().getOrDefault(signal, Duration.ZERO);
    if (ttl.isZero()) {
      return Long.MIN_VALUE;
    }
    Instant cutoff = Instant.now().minus(ttl);
    return cutoff.isBefore(Instant.EPOCH) ? 0 : cutoff.getEpochSecond() * 1_000_000_000L + cutoff.getNano();
  }

  private void reportExpired(String signal, String items, long n) {
    if (n == 0) {
      return;
    }
    Duration ttl = config.ttls().getOrDefault(signal, Duration.ZERO);
    LongAdder counter = expiredOnArrival.get(signal);
    counter.add(n);
    if (expiredLog.allow()) {
      log.warn("{} {} older than the {} retention of {} arrived and were dropped by the engine's TTL"
          + " ({} so far)", n, items, ttl, signal, counter.sum());
    }
  }

  @Override
  public void writeAlerts(List<AlertRecord> alerts) throws StoreException {
    requireNonNull(alerts, "alerts");
    writeTable("alerts", AlertEncoder.TABLE, alertsPrefix, insert -> AlertEncoder.encode(alerts, insert));
    countExpired("alerts", "alerts", cutoff -> ExpiredOnArrival.alerts(alerts, cutoff));
  }

  /** Encodes rows of one table into inserts of at most {@link StoreConfig#maxInsertBytes()}. */
  private void writeTable(String signal, String table, String insertPrefix, Encoding encoding)
      throws StoreException {
    ensureOpen();
    RowBinaryWriter w = borrow();
    try (TableInsert insert = newInsert(insertPrefix, w, nativeSchema(table), new TableInsert.OpenInserts(1))) {
      encoding.encode(insert);
      insert.finish();
      rowsWritten.get(table).add(insert.totalRows());
    } catch (StoreException | RuntimeException e) {
      throw failed(signal, e);
    } finally {
      giveBack(w);
      trimNativeBlock();
    }
  }

  /** Lets this thread's transcoder go when a rare huge insert left it holding far more than usual. */
  private void trimNativeBlock() {
    if (nativeInserts && nativeBlocks.get().retainedBytes() > 6L * config.maxInsertBytes() + (8 << 20)) {
      nativeBlocks.remove();
    }
  }

  /** {@code openInserts}: shared by the tables of one write, at most one of which keeps its insert open. */
  private TableInsert newInsert(String insertPrefix, RowBinaryWriter w, NativeBlock.@Nullable Schema schema,
      TableInsert.OpenInserts openInserts) {
    return schema == null
        ? new TableInsert(engine, insertPrefix, config.maxInsertBytes(), w)
        : new TableInsert(engine, insertPrefix, config.maxInsertBytes(), w, schema, nativeBlocks.get(), openInserts);
  }

  /**
   * The Native schema of {@code table}'s insert columns, read once from the engine; null to insert
   * RowBinary (the setting, the engine, a type the transcoder does not handle, or a table not there yet).
   */
  private NativeBlock.@Nullable Schema nativeSchema(String table) throws StoreException {
    if (!nativeInserts) {
      return null;
    }
    Optional<NativeBlock.Schema> known = nativeSchemas.get(table);
    if (known != null) {
      return known.orElse(null);
    }
    QueryResult r = engine.query(
        "SELECT name, type FROM system.columns WHERE database = {db:String} AND table = {table:String}",
        Map.of("db", config.database(), "table", table));
    Map<String, String> types = new HashMap<>();
    for (List<Object> row : r.rows()) {
      types.put((String) row.get(0), (String) row.get(1));
    }
    List<String> columns = insertColumns.get(table);
    List<String> columnTypes = columns.stream().map(types::get).toList();
    if (columnTypes.contains(null)) {
      return null; // not migrated yet: the RowBinary insert reports what is missing
    }
    Optional<NativeBlock.Schema> schema;
    try {
      schema = Optional.of(NativeBlock.Schema.of(columns, columnTypes));
    } catch (IllegalArgumentException e) {
      log.warn("{} is inserted as RowBinary: {}", table, e.getMessage());
      schema = Optional.empty();
    }
    nativeSchemas.put(table, schema);
    return schema.orElse(null);
  }

  @FunctionalInterface
  private interface Encoding {
    void encode(TableInsert insert) throws StoreException;
  }

  /**
   * Runs user-written SQL held to reading by the engine itself, within {@link StoreConfig#queryTimeout()}
   * and {@link StoreConfig#maxResultRows()}; table functions that reach outside and {@code SETTINGS} clauses
   * are refused first ({@link ReadOnlySql}).
   */
  @Override
  public QueryResult query(String sql, Map<String, ?> params) throws StoreException {
    ensureOpen();
    requireNonNull(sql, "sql");
    requireNonNull(params, "params");
    Map<String, String> text;
    try {
      text = QueryParams.format(params);
    } catch (IllegalArgumentException e) {
      throw StoreException.permanent(e.getMessage(), e);
    }
    ReadOnlySql.check(sql);
    return engine.queryReadOnly(sql, text, config.queryTimeout(), config.maxResultRows());
  }

  @Override
  public StoreHealth health() {
    long start = System.nanoTime();
    if (closed.get()) {
      return new StoreHealth(false, "store closed", "closed", 0);
    }
    try {
      QueryResult r = engine.query("SELECT version()", Map.of());
      String version = r.rows().isEmpty() ? "?" : String.valueOf(r.rows().get(0).get(0));
      return new StoreHealth(true, config.engine().name().toLowerCase(java.util.Locale.ROOT)
          + " ClickHouse " + version, System.nanoTime() - start);
    } catch (StoreException e) {
      return new StoreHealth(false, e.reason(), String.valueOf(e.getMessage()), System.nanoTime() - start);
    } catch (RuntimeException e) {
      return new StoreHealth(false, String.valueOf(e.getMessage()), System.nanoTime() - start);
    }
  }

  /**
   * CPU time this process's Java threads have spent inside calls into the embedded engine (inserts and
   * statements: the engine's work done on the calling thread), since the process started, over every
   * embedded store; 0 when none was used. The collector's own CPU is its Java threads' minus this.
   */
  public static long engineCallsCpuNanos() {
    return ChdbEngine.callsCpuNanos();
  }

  /**
   * Rows written per table, repaired values (see {@link EncodeStats}), rows per signal that arrived older than
   * their retention (dropped by the engine's TTL) and failed write calls.
   */
  public Map<String, Long> stats() {
    Map<String, Long> m = new LinkedHashMap<>();
    rowsWritten.forEach((table, n) -> m.put("rows_written." + table, n.sum()));
    encodeStats.snapshot().forEach((k, v) -> m.put("repaired." + k, v));
    expiredOnArrival.forEach((signal, n) -> m.put("expired_on_arrival." + signal, n.sum()));
    m.put("failed_writes", failedWrites.sum());
    return m;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      engine.close();
      log.info("store closed: database={}", config.database());
    }
  }

  private void ensureOpen() throws StoreException {
    if (closed.get()) {
      throw StoreException.storeFault("store closed", "store is closed", false, null);
    }
  }

  private StoreException failed(String signal, Exception e) {
    failedWrites.increment();
    StoreException se = e instanceof StoreException s
        ? s
        // An encoder bug or an oversized batch: retrying the same data cannot help.
        : StoreException.permanent("writing " + signal + ": " + e, e);
    if (failureLog.allow()) {
      log.warn("writing {} failed ({}; {} failed writes so far): {}", signal,
          (se.retryable() ? "retryable" : "permanent") + ", " + se.fault(), failedWrites.sum(), se.getMessage());
    }
    return se;
  }

  private RowBinaryWriter borrow() {
    RowBinaryWriter w = writers.get().pollFirst();
    return w != null ? w : new RowBinaryWriter();
  }

  private void giveBack(RowBinaryWriter w) {
    ArrayDeque<RowBinaryWriter> pool = writers.get();
    // Keep a few moderate buffers; let an oversized one go.
    if (pool.size() < 5 && w.buffer().length <= 2 * config.maxInsertBytes() + (1 << 20)) {
      w.reset();
      pool.addFirst(w);
    }
  }
}
