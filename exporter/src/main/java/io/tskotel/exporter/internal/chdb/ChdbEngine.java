package io.tskotel.exporter.internal.chdb;

import static java.util.Objects.requireNonNull;

import io.tskotel.exporter.EngineMemory;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.engine.SqlEngine;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded engine: chDB in this process, on one data path that survives restarts. A small pool of
 * connections runs statements in parallel, one statement per connection at a time; user-written SQL runs
 * on separate connections that the engine holds to reading.
 */
public final class ChdbEngine implements SqlEngine {
  private static final Logger logger = LoggerFactory.getLogger(ChdbEngine.class);
  private static final String ROW_BINARY = "RowBinary";
  private static final String NATIVE = "Native";

  private final Path dataPath;
  private final Duration borrowTimeout;
  private final BlockingQueue<ChdbConnection> idle;
  private final int poolSize;
  /** Pool slots whose broken connection could not be replaced yet. */
  private final AtomicInteger missing = new AtomicInteger();
  private final ReadOnlyConnections readOnly;
  private volatile boolean closed;

  private ChdbEngine(Builder builder) throws StoreException {
    this.dataPath = requireNonNull(builder.dataPath, "dataPath");
    this.borrowTimeout = builder.borrowTimeout;
    this.idle = new ArrayBlockingQueue<>(builder.poolSize);
    this.poolSize = builder.poolSize;
    EngineMemory memory = builder.memory;
    if (memory == null) {
      ChdbRuntime.boot(dataPath, Map.of(), Map.of(), 0);
    } else {
      ChdbRuntime.boot(dataPath, memory.serverSettings(), memory.sessionSettings(), memory.purgeThreshold());
    }
    try {
      for (int i = 0; i < poolSize; i++) {
        idle.add(ChdbRuntime.connect(dataPath, Map.of()));
      }
    } catch (StoreException | RuntimeException e) {
      idle.forEach(ChdbConnection::close);
      throw e;
    }
    this.readOnly = new ReadOnlyConnections(dataPath, builder.readOnlyPoolSize, borrowTimeout);
  }

  /**
   * CPU time this process's Java threads have spent inside calls into the embedded engine (inserts,
   * statements), since the process started: the engine's work that runs on the caller's thread.
   */
  public static long callsCpuNanos() {
    return ChdbNative.callsCpuNanos();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The directory the data lives in. */
  public Path dataPath() {
    return dataPath;
  }

  @Override
  public void execute(String sql, Map<String, String> params) throws StoreException {
    requireNonNull(sql, "sql");
    requireNonNull(params, "params");
    ChdbConnection connection = borrow();
    try {
      connection.execute(sql, params);
    } finally {
      release(connection);
    }
  }

  @Override
  public QueryResult query(String sql, Map<String, String> params) throws StoreException {
    requireNonNull(sql, "sql");
    requireNonNull(params, "params");
    ChdbConnection connection = borrow();
    try {
      return connection.query(sql, params);
    } finally {
      release(connection);
    }
  }

  @Override
  public QueryResult queryReadOnly(
      String sql, Map<String, String> params, Duration maxExecutionTime, long maxResultRows)
      throws StoreException {
    requireNonNull(sql, "sql");
    requireNonNull(params, "params");
    checkOpen();
    return readOnly.query(sql, params, ReadOnlyConnections.Limits.of(maxExecutionTime, maxResultRows));
  }

  @Override
  public byte[] queryFormatted(
      String sql, Map<String, String> params, String format, Map<String, String> settings)
      throws StoreException {
    requireNonNull(sql, "sql");
    requireNonNull(params, "params");
    requireNonNull(format, "format");
    checkOpen();
    return readOnly.queryBytes(sql, params, format, orderedSettings(settings));
  }

  @Override
  public long insertFormatted(
      String insertPrefix, String format, InputStream data, Map<String, String> settings)
      throws StoreException {
    requireNonNull(insertPrefix, "insertPrefix");
    requireNonNull(format, "format");
    requireNonNull(data, "data");
    checkOpen();
    return readOnly.insert(insertPrefix, format, data, orderedSettings(settings));
  }

  /** {@code readonly} last: once set, it forbids changing the settings after it. */
  private static Map<String, String> orderedSettings(Map<String, String> settings) {
    Map<String, String> ordered = new LinkedHashMap<>();
    settings.forEach((k, v) -> {
      if (!k.equals("readonly")) {
        ordered.put(k, v);
      }
    });
    if (settings.containsKey("readonly")) {
      ordered.put("readonly", settings.get("readonly"));
    }
    return ordered;
  }

  @Override
  public void insertRowBinary(String insertPrefix, byte[] rows, int length, int rowCount)
      throws StoreException {
    insert(insertPrefix, ROW_BINARY, rows, length, rowCount);
  }

  @Override
  public boolean takesNative() {
    return true;
  }

  @Override
  public void insertNative(String insertPrefix, byte[] block, int length, int rowCount) throws StoreException {
    insert(insertPrefix, NATIVE, block, length, rowCount);
  }

  /**
   * Only on a connection idle right now (else null, and the caller inserts block by block): a writer that holds
   * an open insert may still wait for a connection for another table's block, so it must never have waited for
   * the one it holds.
   */
  @Override
  public @Nullable BlockInsert openNativeInsert(String insertPrefix) throws StoreException {
    requireNonNull(insertPrefix, "insertPrefix");
    checkOpen();
    ChdbConnection connection = replaceMissing();
    if (connection == null) {
      connection = idle.poll();
    }
    if (connection == null) {
      return null;
    }
    ChdbConnection.OpenInsert open;
    try {
      open = connection.openInsert(insertPrefix, NATIVE);
    } catch (StoreException | RuntimeException e) {
      release(connection);
      throw e;
    }
    ChdbConnection held = connection;
    return new BlockInsert() {
      private boolean released;

      @Override
      public void append(byte[] block, int length) throws StoreException {
        if (length < 0 || length > block.length) {
          throw new IllegalArgumentException("length: " + length + " (expected: 0.." + block.length + ")");
        }
        open.append(block, length);
      }

      @Override
      public long finish() throws StoreException {
        try {
          return open.finish();
        } finally {
          close();
        }
      }

      @Override
      public void close() {
        if (!released) {
          released = true;
          open.close();
          release(held);
        }
      }
    };
  }

  private void insert(String insertPrefix, String format, byte[] rows, int length, int rowCount)
      throws StoreException {
    requireNonNull(insertPrefix, "insertPrefix");
    requireNonNull(rows, "rows");
    if (length < 0 || length > rows.length) {
      throw new IllegalArgumentException("length: " + length + " (expected: 0.." + rows.length + ")");
    }
    if (rowCount < 0) {
      throw new IllegalArgumentException("rowCount: " + rowCount + " (expected: >= 0)");
    }
    if (rowCount == 0) {
      return;
    }
    ChdbConnection connection = borrow();
    long written;
    try {
      written = connection.insert(insertPrefix, format, rows, 0, length);
    } finally {
      release(connection);
    }
    // Materialized views add to the count, so only fewer rows than sent means the bytes were wrong.
    if (written < rowCount) {
      throw StoreException.permanent(
          insertPrefix + ": the engine wrote " + written + " rows of the " + rowCount + " sent");
    }
  }

  private ChdbConnection borrow() throws StoreException {
    checkOpen();
    ChdbConnection replacement = replaceMissing();
    if (replacement != null) {
      return replacement;
    }
    ChdbConnection connection;
    try {
      connection = idle.poll(borrowTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw StoreException.retryable("interrupted waiting for a chDB connection", e);
    }
    if (connection == null) {
      throw StoreException.retryable(
          "all " + poolSize + " chDB connections stayed busy for " + borrowTimeout);
    }
    return connection;
  }

  /** Opens a connection for a slot whose broken connection could not be replaced at once, if any. */
  private @Nullable ChdbConnection replaceMissing() {
    for (int m; (m = missing.get()) > 0; ) {
      if (missing.compareAndSet(m, m - 1)) {
        try {
          return ChdbRuntime.connect(dataPath, Map.of());
        } catch (StoreException | RuntimeException e) {
          missing.incrementAndGet();
          return null;
        }
      }
    }
    return null;
  }

  private void release(ChdbConnection connection) {
    if (connection.broken()) {
      connection.close();
      if (closed) {
        return;
      }
      try {
        connection = ChdbRuntime.connect(dataPath, Map.of());
        logger.warn("Replaced a chDB connection that a failed statement left unusable");
      } catch (StoreException | RuntimeException e) {
        logger.warn("Could not replace a broken chDB connection on {}: {}", dataPath, e.toString());
        missing.incrementAndGet();
        return;
      }
    }
    idle.add(connection);
    if (closed) {
      // close() may have drained the pool while this connection was out.
      for (ChdbConnection c; (c = idle.poll()) != null; ) {
        c.close();
      }
    }
  }

  private void checkOpen() throws StoreException {
    if (closed) {
      throw StoreException.storeFault("store closed", "chDB engine on " + dataPath + " is closed", false, null);
    }
  }

  /**
   * Closes this engine's connections; statements running now finish first and close theirs on return.
   * The process keeps chDB itself running (see {@link ChdbRuntime}), so a new engine on the same path
   * starts at once.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (ChdbConnection connection; (connection = idle.poll()) != null; ) {
      connection.close();
    }
    readOnly.close();
  }

  @Override
  public String toString() {
    return "ChdbEngine{" + dataPath + ", " + poolSize + " connections}";
  }

  /** Configures a {@link ChdbEngine}. */
  public static final class Builder {
    private @Nullable Path dataPath;
    private int poolSize = 4;
    private int readOnlyPoolSize = 2;
    private Duration borrowTimeout = Duration.ofSeconds(30);
    private @Nullable EngineMemory memory;

    private Builder() {}

    /**
     * The engine's memory: the engine-wide settings it starts with (memory limit, caches, allocator purges; see
     * {@link ChdbRuntime#boot}) and the settings of every statement. They apply when this engine is the first on
     * the process's chDB. Default: the engine's own defaults, no purges.
     */
    public Builder memory(EngineMemory memory) {
      this.memory = requireNonNull(memory, "memory");
      return this;
    }

    /** The directory the engine keeps its data in; created if missing. Required. */
    public Builder dataPath(Path dataPath) {
      this.dataPath = requireNonNull(dataPath, "dataPath");
      return this;
    }

    /** Connections for the store's own statements: at most this many run at once. Default 4. */
    public Builder poolSize(int poolSize) {
      if (poolSize < 1 || poolSize > 64) {
        throw new IllegalArgumentException("poolSize: " + poolSize + " (expected: 1..64)");
      }
      this.poolSize = poolSize;
      return this;
    }

    /** Connections for user-written read-only SQL, opened on demand. Default 2. */
    public Builder readOnlyPoolSize(int readOnlyPoolSize) {
      if (readOnlyPoolSize < 1 || readOnlyPoolSize > 64) {
        throw new IllegalArgumentException("readOnlyPoolSize: " + readOnlyPoolSize + " (expected: 1..64)");
      }
      this.readOnlyPoolSize = readOnlyPoolSize;
      return this;
    }

    /** How long a statement waits for a free connection before failing as retryable. Default 30 s. */
    public Builder borrowTimeout(Duration borrowTimeout) {
      requireNonNull(borrowTimeout, "borrowTimeout");
      if (borrowTimeout.isNegative() || borrowTimeout.isZero()) {
        throw new IllegalArgumentException("borrowTimeout: " + borrowTimeout + " (expected: > 0)");
      }
      this.borrowTimeout = borrowTimeout;
      return this;
    }

    /**
     * Loads chDB if needed and opens the pool. Fails when the library is missing (naming the command that
     * fetches it) or when this process already runs chDB on another data path.
     */
    public ChdbEngine build() throws StoreException {
      if (dataPath == null) {
        throw new IllegalArgumentException("dataPath: not set (expected: a directory)");
      }
      return new ChdbEngine(this);
    }
  }
}
