package io.tskotel.exporter.internal.chdb;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.tskotel.exporter.StoreException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chDB C API ({@code chdb.h}, 26.7.3) bound through FFM. Loaded once per process, lazily: dlopen of the
 * 541 MB library takes a moment and must happen before any other chDB call. Only the non-deprecated API is
 * bound. Every method is a thin, exception-translating wrapper around one downcall.
 *
 * <p>The calls that make the engine work (connect, statements, insert streams) add the calling thread's CPU
 * time spent inside them to {@link #callsCpuNanos()}: the engine's work on the caller's thread counts as that
 * Java thread's CPU, and a capacity plan needs to tell it apart from the collector's own. Two reads of the
 * thread's CPU clock per call (a few hundred ns), a handful of calls per insert of a whole batch.
 */
final class ChdbNative {
  static final String VERSION = "26.7.3-stable.1";
  static final String FETCH_COMMAND = "bash exporter/fetch-chdb.sh";

  private static final Logger logger = LoggerFactory.getLogger(ChdbNative.class);
  private static final Object lock = new Object();
  private static volatile @Nullable ChdbNative instance;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final LongAdder CALLS_CPU_NANOS = new LongAdder();

  private final MethodHandle version;
  private final MethodHandle setSignalHandlersEnabled;
  private final MethodHandle connect;
  private final MethodHandle closeConn;
  private final MethodHandle queryWithParamsN;
  private final MethodHandle classifyQueryN;
  private final MethodHandle resultBuffer;
  private final MethodHandle resultLength;
  private final MethodHandle resultError;
  private final MethodHandle resultRowsWritten;
  private final MethodHandle destroyQueryResult;
  private final MethodHandle streamInsertN;
  private final MethodHandle streamAppend;
  private final MethodHandle streamDone;
  private final MethodHandle streamInsertError;
  private final MethodHandle destroyInsertStream;

  private ChdbNative(SymbolLookup lookup) {
    Linker linker = Linker.nativeLinker();
    version = bind(linker, lookup, "chdb_version", FunctionDescriptor.of(ADDRESS));
    setSignalHandlersEnabled =
        bind(linker, lookup, "chdb_set_signal_handlers_enabled", FunctionDescriptor.ofVoid(JAVA_INT));
    connect = bind(linker, lookup, "chdb_connect", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
    closeConn = bind(linker, lookup, "chdb_close_conn", FunctionDescriptor.ofVoid(ADDRESS));
    queryWithParamsN =
        bind(
            linker,
            lookup,
            "chdb_query_with_params_n",
            FunctionDescriptor.of(
                ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, JAVA_LONG));
    classifyQueryN =
        bind(
            linker,
            lookup,
            "chdb_classify_query_n",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS));
    resultBuffer = bind(linker, lookup, "chdb_result_buffer", FunctionDescriptor.of(ADDRESS, ADDRESS));
    resultLength = bind(linker, lookup, "chdb_result_length", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultError = bind(linker, lookup, "chdb_result_error", FunctionDescriptor.of(ADDRESS, ADDRESS));
    resultRowsWritten =
        bind(linker, lookup, "chdb_result_rows_written", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    destroyQueryResult =
        bind(linker, lookup, "chdb_destroy_query_result", FunctionDescriptor.ofVoid(ADDRESS));
    streamInsertN =
        bind(
            linker,
            lookup,
            "chdb_stream_insert_n",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
    streamAppend =
        bind(linker, lookup, "chdb_stream_append", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    streamDone = bind(linker, lookup, "chdb_stream_done", FunctionDescriptor.of(ADDRESS, ADDRESS));
    streamInsertError =
        bind(linker, lookup, "chdb_stream_insert_error", FunctionDescriptor.of(ADDRESS, ADDRESS));
    destroyInsertStream =
        bind(linker, lookup, "chdb_destroy_insert_stream", FunctionDescriptor.ofVoid(ADDRESS));
  }

  private static MethodHandle bind(
      Linker linker, SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
    return linker.downcallHandle(lookup.findOrThrow(name), descriptor);
  }

  /**
   * Loads the library on first use and switches chDB's signal handlers off before anything can connect:
   * with them on, chDB takes over SIGSEGV and friends and the JVM (which uses them internally) dies.
   */
  static ChdbNative load() throws StoreException {
    ChdbNative loaded = instance;
    if (loaded != null) {
      return loaded;
    }
    synchronized (lock) {
      if (instance == null) {
        Path path = libraryPath();
        if (!Files.isRegularFile(path)) {
          throw StoreException.permanent(
              "chDB library not found at "
                  + path
                  + ": run `"
                  + FETCH_COMMAND
                  + "` to fetch it, or set TSKOTEL_CHDB_LIB to a libchdb.so");
        }
        long start = System.nanoTime();
        ChdbNative lib;
        try {
          lib = new ChdbNative(SymbolLookup.libraryLookup(path, Arena.global()));
        } catch (IllegalArgumentException | IllegalCallerException | java.util.NoSuchElementException e) {
          throw StoreException.permanent(
              "cannot load chDB library " + path + " (run with --enable-native-access=ALL-UNNAMED): " + e, e);
        }
        lib.disableSignalHandlers();
        logger.info(
            "Loaded chDB {} from {} in {} ms",
            lib.version(),
            path,
            (System.nanoTime() - start) / 1_000_000);
        instance = lib;
      }
      return instance;
    }
  }

  /** {@code TSKOTEL_CHDB_LIB}, else the cache that {@code fetch-chdb.sh} fills. */
  static Path libraryPath() {
    String override = System.getenv("TSKOTEL_CHDB_LIB");
    if (override != null && !override.isBlank()) {
      return Path.of(override);
    }
    String cache = System.getenv("TSKOTEL_CHDB_CACHE");
    Path root =
        cache != null && !cache.isBlank()
            ? Path.of(cache)
            : Path.of(System.getProperty("user.home"), ".cache", "tskotel", "chdb");
    return root.resolve(VERSION).resolve("libchdb.so");
  }

  String version() {
    try {
      return cString((MemorySegment) version.invokeExact());
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  private void disableSignalHandlers() {
    try {
      setSignalHandlersEnabled.invokeExact(0);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** Returns the {@code chdb_connection *} handle, or NULL on failure. */
  MemorySegment connect(int argc, MemorySegment argv) {
    long start = threadCpuNanos();
    try {
      return (MemorySegment) connect.invokeExact(argc, argv);
    } catch (Throwable t) {
      throw rethrow(t);
    } finally {
      chargeCpu(start);
    }
  }

  void closeConn(MemorySegment connHandle) {
    long start = threadCpuNanos();
    try {
      closeConn.invokeExact(connHandle);
    } catch (Throwable t) {
      throw rethrow(t);
    } finally {
      chargeCpu(start);
    }
  }

  MemorySegment queryWithParams(
      MemorySegment conn,
      MemorySegment query,
      long queryLen,
      MemorySegment format,
      long formatLen,
      MemorySegment names,
      MemorySegment nameLens,
      MemorySegment values,
      MemorySegment valueLens,
      long count) {
    long start = threadCpuNanos();
    try {
      return (MemorySegment)
          queryWithParamsN.invokeExact(
              conn, query, queryLen, format, formatLen, names, nameLens, values, valueLens, count);
    } catch (Throwable t) {
      throw rethrow(t);
    } finally {
      chargeCpu(start);
    }
  }

  int classifyQuery(
      MemorySegment conn, MemorySegment sql, long sqlLen, MemorySegment analysis) {
    long start = threadCpuNanos();
    try {
      return (int) classifyQueryN.invokeExact(conn, sql, sqlLen, MemorySegment.NULL, 0L, analysis);
    } catch (Throwable t) {
      throw rethrow(t);
    } finally {
      chargeCpu(start);
    }
  }

  MemorySegment resultBuffer(MemorySegment result) {
    try {
      return (MemorySegment) resultBuffer.invokeExact(result);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  long resultLength(MemorySegment result) {
    try {
      return (long) resultLength.invokeExact(result);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** The result's error message, or null when it succeeded. */
  @Nullable String resultError(MemorySegment result) {
    try {
      MemorySegment error = (MemorySegment) resultError.invokeExact(result);
      return error.equals(MemorySegment.NULL) ? null : cString(error);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  long resultRowsWritten(MemorySegment result) {
    try {
      return (long) resultRowsWritten.invokeExact(result);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  void destroyQueryResult(MemorySegment result) {
    long start = threadCpuNanos();
    try {
      destroyQueryResult.invokeExact(result);
    } catch (Throwable t) {
      throw rethrow(t);
    } finally {
      chargeCpu(start);
    }
  }

  MemorySegment streamInsert(
      MemorySegment conn, MemorySegment query, long queryLen, MemorySegment format, long formatLen) {
    long start = threadCpuNanos();
    try {
      return (MemorySegment) streamInsertN.invokeExact(conn, query, queryLen, format, formatLen);
    } catch (Throwable t) {
      throw rethrow(t);
    } finally {
      chargeCpu(start);
    }
  }

  /** True on success. */
  boolean streamAppend(MemorySegment stream, MemorySegment data, long len) {
    long start = threadCpuNanos();
    try {
      return (int) streamAppend.invokeExact(stream, data, len) == 0;
    } catch (Throwable t) {
      throw rethrow(t);
    } finally {
      chargeCpu(start);
    }
  }

  MemorySegment streamDone(MemorySegment stream) {
    long start = threadCpuNanos();
    try {
      return (MemorySegment) streamDone.invokeExact(stream);
    } catch (Throwable t) {
      throw rethrow(t);
    } finally {
      chargeCpu(start);
    }
  }

  @Nullable String streamInsertError(MemorySegment stream) {
    try {
      MemorySegment error = (MemorySegment) streamInsertError.invokeExact(stream);
      return error.equals(MemorySegment.NULL) ? null : cString(error);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  void destroyInsertStream(MemorySegment stream) {
    long start = threadCpuNanos();
    try {
      destroyInsertStream.invokeExact(stream);
    } catch (Throwable t) {
      throw rethrow(t);
    } finally {
      chargeCpu(start);
    }
  }

  /** CPU time Java threads have spent inside the engine's working calls, since the process started. */
  static long callsCpuNanos() {
    return CALLS_CPU_NANOS.sum();
  }

  /** The calling thread's CPU time, or -1 where the JVM does not measure it (then nothing is charged). */
  private static long threadCpuNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }

  private static void chargeCpu(long start) {
    if (start >= 0) {
      long used = THREADS.getCurrentThreadCpuTime() - start;
      if (used > 0) {
        CALLS_CPU_NANOS.add(used);
      }
    }
  }

  static String cString(MemorySegment pointer) {
    return pointer.reinterpret(Long.MAX_VALUE).getString(0);
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException e) {
      return e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(t);
  }
}
