package io.tskotel.exporter.internal.chdb;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.util.Objects.requireNonNull;

import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.engine.ClickHouseErrors;
import io.tskotel.exporter.internal.rowbinary.RowBinaryReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One chDB connection. It runs one statement at a time, so it is not thread-safe: the engine's pool hands
 * it to one thread at a time. Values only ever travel as bound parameters and data only as stream-inserted
 * bytes; this class offers no way to run text built from input.
 */
public final class ChdbConnection implements AutoCloseable {
  static final String RESULT_FORMAT = "RowBinaryWithNamesAndTypes";
  private static final int INSERT_CHUNK = 1 << 20;
  private static final String PROBE_SQL = "SELECT 1 AS ok";
  /** {@link #PROBE_SQL} in RowBinaryWithNamesAndTypes: 1 column, "ok", "UInt8", then the value 1. */
  private static final byte[] PROBE_OUTPUT = {1, 2, 'o', 'k', 5, 'U', 'I', 'n', 't', '8', 1};
  private static final int PROBE_ATTEMPTS = 3;

  private final ChdbNative lib;
  private final String description;
  private final Arena arena = Arena.ofShared();
  /** The {@code chdb_connection *} that chdb_close_conn takes. */
  private final MemorySegment handle;
  /** {@code *handle}: the {@code chdb_connection} every statement takes. */
  private final MemorySegment conn;
  /** Reused for every stream-insert chunk so inserts allocate no native memory. */
  private final MemorySegment chunk;

  private boolean closed;
  private boolean broken;

  private ChdbConnection(ChdbNative lib, MemorySegment handle, String description) {
    this.lib = lib;
    this.handle = handle.reinterpret(ADDRESS.byteSize());
    this.conn = this.handle.get(ADDRESS, 0);
    this.description = description;
    this.chunk = arena.allocate(INSERT_CHUNK);
  }

  /** Opens a connection with these command-line style arguments (without the program name). */
  static ChdbConnection open(ChdbNative lib, List<String> args) throws StoreException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment argv = call.allocate(ADDRESS, args.size() + 1L);
      argv.setAtIndex(ADDRESS, 0, call.allocateFrom("clickhouse"));
      for (int i = 0; i < args.size(); i++) {
        argv.setAtIndex(ADDRESS, i + 1L, call.allocateFrom(args.get(i)));
      }
      MemorySegment handle = lib.connect(args.size() + 1, argv);
      if (handle.equals(MemorySegment.NULL)) {
        throw StoreException.permanent("chDB refused to connect with " + args);
      }
      MemorySegment inner = handle.reinterpret(ADDRESS.byteSize()).get(ADDRESS, 0);
      if (inner.equals(MemorySegment.NULL)) {
        throw StoreException.permanent("chDB returned an empty connection for " + args);
      }
      return new ChdbConnection(lib, handle, String.join(" ", args));
    }
  }

  /** Runs one statement and discards whatever it returns. */
  public void execute(String sql, Map<String, String> params) throws StoreException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment result = run(call, sql, "Null", params);
      try {
        throwIfFailed(result);
      } finally {
        lib.destroyQueryResult(result);
      }
    }
  }

  /** Runs one statement and decodes its rows. */
  public QueryResult query(String sql, Map<String, String> params) throws StoreException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment result = run(call, sql, RESULT_FORMAT, params);
      try {
        throwIfFailed(result);
        long length = lib.resultLength(result);
        if (length == 0) {
          return new QueryResult(List.of(), List.of(), List.of());
        }
        // Decoded straight from chDB's buffer: no copy into the Java heap first.
        MemorySegment buffer = lib.resultBuffer(result).reinterpret(length);
        return RowBinaryReader.read(buffer.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
      } finally {
        lib.destroyQueryResult(result);
      }
    }
  }

  /** Runs one statement and returns its output in {@code format} as it came from the engine. */
  byte[] queryBytes(String sql, String format, Map<String, String> params) throws StoreException {
    try (Arena call = Arena.ofConfined()) {
      MemorySegment result = run(call, sql, format, params);
      try {
        throwIfFailed(result);
        long length = lib.resultLength(result);
        return length == 0 ? new byte[0] : lib.resultBuffer(result).reinterpret(length).toArray(JAVA_BYTE);
      } finally {
        lib.destroyQueryResult(result);
      }
    }
  }

  /**
   * Stream-inserts {@code length} bytes of {@code format} data. {@code insertPrefix} is the INSERT
   * statement without FORMAT or data. Returns the rows written (materialized views included).
   */
  public long insert(String insertPrefix, String format, byte[] data, int offset, int length)
      throws StoreException {
    int[] done = {0};
    return insert(insertPrefix, format, max -> {
      int n = Math.min(max, length - done[0]);
      if (n > 0) {
        MemorySegment.copy(data, offset + done[0], chunk, JAVA_BYTE, 0, n);
        done[0] += n;
      }
      return n;
    });
  }

  /**
   * Stream-inserts {@code data} of {@code format} as it arrives, a chunk at a time, for data that is not
   * in memory as a whole (the ClickHouse HTTP endpoint's request bodies). Returns the rows written.
   */
  long insert(String insertPrefix, String format, InputStream data) throws StoreException {
    byte[] buffer = new byte[64 * 1024];
    return insert(insertPrefix, format, max -> {
      int filled = 0;
      try {
        // Fills the native chunk from the stream; a short read is not the end.
        while (filled < max) {
          int n = data.read(buffer, 0, Math.min(buffer.length, max - filled));
          if (n < 0) {
            break;
          }
          MemorySegment.copy(buffer, 0, chunk, JAVA_BYTE, filled, n);
          filled += n;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return filled;
    });
  }

  /** Fills {@link #chunk} with up to {@code max} bytes; 0 at the end of the data. */
  private interface ChunkSource {
    int next(int max);
  }

  private long insert(String insertPrefix, String format, ChunkSource source) throws StoreException {
    try (OpenInsert open = openInsert(insertPrefix, format)) {
      for (int n; (n = nextChunk(source, insertPrefix)) > 0; ) {
        open.sendChunk(n);
      }
      return open.finish();
    }
  }

  /**
   * Opens one stream insert of {@code format} data that takes its bytes in several {@link OpenInsert#append}
   * calls, until {@link OpenInsert#finish}: one statement, so the engine squashes the blocks appended into as
   * few parts as its {@code min_insert_block_size_*} allow. The connection runs nothing else until the insert is
   * finished or closed.
   */
  OpenInsert openInsert(String insertPrefix, String format) throws StoreException {
    checkOpen();
    MemorySegment stream;
    try (Arena call = Arena.ofConfined()) {
      byte[] query = insertPrefix.getBytes(StandardCharsets.UTF_8);
      byte[] fmt = format.getBytes(StandardCharsets.UTF_8);
      stream = lib.streamInsert(
          conn, call.allocateFrom(JAVA_BYTE, query), query.length, call.allocateFrom(JAVA_BYTE, fmt), fmt.length);
    }
    if (stream.equals(MemorySegment.NULL)) {
      throw StoreException.retryable("chDB returned no insert stream for " + insertPrefix);
    }
    OpenInsert open = new OpenInsert(insertPrefix, stream);
    String error = lib.streamInsertError(stream);
    if (error != null) {
      open.close();
      throw failed(error);
    }
    return open;
  }

  /** A stream insert kept open across several appends; {@link #close} cancels it unless finished. */
  final class OpenInsert implements AutoCloseable {
    private final String insertPrefix;
    private final MemorySegment stream;
    private boolean ended;

    private OpenInsert(String insertPrefix, MemorySegment stream) {
      this.insertPrefix = insertPrefix;
      this.stream = stream;
    }

    /** Sends {@code length} bytes of {@code data}, a chunk at a time. */
    void append(byte[] data, int length) throws StoreException {
      for (int done = 0; done < length; ) {
        int n = Math.min(INSERT_CHUNK, length - done);
        MemorySegment.copy(data, done, chunk, JAVA_BYTE, 0, n);
        sendChunk(n);
        done += n;
      }
    }

    /** Sends the first {@code n} bytes of the connection's chunk. */
    private void sendChunk(int n) throws StoreException {
      if (!lib.streamAppend(stream, chunk, n)) {
        String appendError = lib.streamInsertError(stream);
        throw failed(appendError != null ? appendError : "chDB refused a chunk of " + insertPrefix);
      }
    }

    /** Ends the insert; returns the rows written (materialized views included). */
    long finish() throws StoreException {
      try {
        MemorySegment result = lib.streamDone(stream);
        if (result.equals(MemorySegment.NULL)) {
          String doneError = lib.streamInsertError(stream);
          throw failed(doneError != null ? doneError : "chDB returned no result finishing " + insertPrefix);
        }
        try {
          throwIfFailed(result);
          return lib.resultRowsWritten(result);
        } finally {
          lib.destroyQueryResult(result);
        }
      } finally {
        close();
      }
    }

    /** Cancels the insert unless it was finished: a failed batch commits nothing more than it already has. */
    @Override
    public void close() {
      if (!ended) {
        ended = true;
        lib.destroyInsertStream(stream);
      }
    }
  }

  private static int nextChunk(ChunkSource source, String insertPrefix) throws StoreException {
    try {
      return source.next(INSERT_CHUNK);
    } catch (UncheckedIOException e) {
      throw StoreException.permanent(insertPrefix + ": reading the data failed: " + e.getCause().getMessage(), e);
    }
  }

  /** What the engine's own parser says {@code sql} would do, without running it. */
  QueryAnalysis classify(String sql) throws StoreException {
    checkOpen();
    try (Arena call = Arena.ofConfined()) {
      byte[] text = sql.getBytes(StandardCharsets.UTF_8);
      // struct chdb_query_analysis_v1: four uint32 fields.
      MemorySegment analysis = call.allocate(16, 4);
      analysis.set(JAVA_INT, 0, 16);
      int state = lib.classifyQuery(conn, call.allocateFrom(JAVA_BYTE, text), text.length, analysis);
      if (state != 0) {
        throw StoreException.retryable("chDB could not classify a statement on " + description);
      }
      return new QueryAnalysis(
          analysis.get(JAVA_INT, 4), analysis.get(JAVA_INT, 8), analysis.get(JAVA_INT, 12));
    }
  }

  /**
   * chDB runs its text as a script and concatenates the outputs of every statement, which no reader can
   * split again, so a text must hold exactly one statement. Text that does not parse is let through: the
   * engine then fails it with its own, precise syntax error.
   */
  QueryAnalysis requireOneStatement(String sql) throws StoreException {
    if (sql.isBlank()) {
      throw StoreException.permanent("expected exactly one SQL statement, found 0");
    }
    QueryAnalysis analysis = classify(sql);
    if (analysis.queryClass() == QueryAnalysis.UNKNOWN && analysis.statementCount() == 0) {
      return analysis;
    }
    if (analysis.statementCount() != 1) {
      throw StoreException.permanent(
          "expected exactly one SQL statement, found " + analysis.statementCount());
    }
    return analysis;
  }

  private MemorySegment run(Arena call, String sql, String format, Map<String, String> params)
      throws StoreException {
    checkOpen();
    requireNonNull(sql, "sql");
    requireNonNull(params, "params");
    requireOneStatement(sql);
    return runUnchecked(call, sql, format, params);
  }

  private MemorySegment runUnchecked(Arena call, String sql, String format, Map<String, String> params)
      throws StoreException {
    byte[] text = sql.getBytes(StandardCharsets.UTF_8);
    byte[] fmt = format.getBytes(StandardCharsets.UTF_8);
    int count = params.size();
    MemorySegment names = call.allocate(ADDRESS, Math.max(1, count));
    MemorySegment nameLens = call.allocate(JAVA_LONG, Math.max(1, count));
    MemorySegment values = call.allocate(ADDRESS, Math.max(1, count));
    MemorySegment valueLens = call.allocate(JAVA_LONG, Math.max(1, count));
    int i = 0;
    for (Map.Entry<String, String> param : params.entrySet()) {
      byte[] name = requireNonNull(param.getKey(), "param name").getBytes(StandardCharsets.UTF_8);
      byte[] value =
          requireNonNull(param.getValue(), () -> "params[" + param.getKey() + "]")
              .getBytes(StandardCharsets.UTF_8);
      names.setAtIndex(ADDRESS, i, call.allocateFrom(JAVA_BYTE, name));
      nameLens.setAtIndex(JAVA_LONG, i, name.length);
      values.setAtIndex(ADDRESS, i, value.length == 0 ? call.allocate(1) : call.allocateFrom(JAVA_BYTE, value));
      valueLens.setAtIndex(JAVA_LONG, i, value.length);
      i++;
    }
    MemorySegment result =
        lib.queryWithParams(
            conn,
            call.allocateFrom(JAVA_BYTE, text),
            text.length,
            call.allocateFrom(JAVA_BYTE, fmt),
            fmt.length,
            names,
            nameLens,
            values,
            valueLens,
            count);
    if (result.equals(MemorySegment.NULL)) {
      throw StoreException.retryable("chDB returned no result on " + description);
    }
    return result;
  }

  private void throwIfFailed(MemorySegment result) throws StoreException {
    String error = lib.resultError(result);
    if (error != null) {
      throw failed(error);
    }
  }

  /**
   * chDB keeps the output a statement wrote before failing and prepends it to the next statement's
   * output on the same connection (26.7.3), which would silently corrupt the next result. So after every
   * failure, a probe with known output runs until its output is exactly that, which also proves the
   * connection clean; a connection that stays dirty is marked {@link #broken()} for the pool to replace.
   */
  private StoreException failed(String error) {
    StoreException exception = ClickHouseErrors.classify(error);
    try (Arena call = Arena.ofConfined()) {
      for (int attempt = 0; attempt < PROBE_ATTEMPTS; attempt++) {
        MemorySegment result = runUnchecked(call, PROBE_SQL, RESULT_FORMAT, Map.of());
        try {
          if (lib.resultError(result) == null
              && lib.resultLength(result) == PROBE_OUTPUT.length
              && Arrays.equals(
                  lib.resultBuffer(result).reinterpret(PROBE_OUTPUT.length).toArray(JAVA_BYTE), PROBE_OUTPUT)) {
            return exception;
          }
        } finally {
          lib.destroyQueryResult(result);
        }
      }
    } catch (StoreException | RuntimeException e) {
      exception.addSuppressed(e);
    }
    broken = true;
    return exception;
  }

  /** True when a failure left this connection in a state it could not be cleaned from. */
  boolean broken() {
    return broken;
  }

  private void checkOpen() throws StoreException {
    if (closed) {
      throw StoreException.storeFault("store closed", "chDB connection is closed", false, null);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    lib.closeConn(handle);
    arena.close();
  }

  @Override
  public String toString() {
    return "ChdbConnection{" + description + "}";
  }

  /** {@code chdb_query_analysis_v1}. */
  record QueryAnalysis(int statementCount, int flags, int queryClass) {
    static final int READ_ONLY = 0;
    static final int UNKNOWN = 4;
  }
}
