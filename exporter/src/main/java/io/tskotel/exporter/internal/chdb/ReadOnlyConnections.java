package io.tskotel.exporter.internal.chdb;

import static java.util.Objects.requireNonNull;

import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Connections opened with fixed settings: for user-written SQL, {@code readonly=1} and its limits; for the
 * ClickHouse HTTP endpoint, whatever settings its request carries (read-only or not). For user SQL: with {@code readonly=1} the engine refuses every write and every settings change, including
 * {@code SET readonly=0} and a {@code SETTINGS} clause, so the limits cannot be lifted from inside the
 * statement either. Because settings are fixed per connection, connections are pooled by their settings; an
 * idle connection with other settings is replaced when the pool is full.
 */
final class ReadOnlyConnections implements AutoCloseable {
  private final Path dataPath;
  private final int maxConnections;
  private final Duration borrowTimeout;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition released = lock.newCondition();
  private final Deque<Idle> idle = new ArrayDeque<>();
  private int open;
  private boolean closed;

  ReadOnlyConnections(Path dataPath, int maxConnections, Duration borrowTimeout) {
    this.dataPath = dataPath;
    this.maxConnections = maxConnections;
    this.borrowTimeout = borrowTimeout;
  }

  QueryResult query(String sql, Map<String, String> params, Limits limits) throws StoreException {
    return using(limits.settings(), connection -> {
      checkSingleReadStatement(connection, sql);
      return connection.query(sql, params);
    });
  }

  /** One statement's output in {@code format}, on a connection opened with {@code settings}. */
  byte[] queryBytes(String sql, Map<String, String> params, String format, Map<String, String> settings)
      throws StoreException {
    return using(settings, connection -> connection.queryBytes(sql, format, params));
  }

  /** Streams {@code data} into an insert on a connection opened with {@code settings}. */
  long insert(String insertPrefix, String format, java.io.InputStream data, Map<String, String> settings)
      throws StoreException {
    return using(settings, connection -> connection.insert(insertPrefix, format, data));
  }

  private interface Call<T> {
    T run(ChdbConnection connection) throws StoreException;
  }

  private <T> T using(Map<String, String> settings, Call<T> call) throws StoreException {
    ChdbConnection connection = borrow(settings);
    try {
      return call.run(connection);
    } finally {
      release(settings, connection);
    }
  }

  /**
   * The engine's parser turns writes away up front with a clear message; {@code readonly=1} is what
   * actually guarantees nothing is written, whatever this check lets through (text that does not parse
   * runs, so the engine reports its own syntax error).
   */
  private static void checkSingleReadStatement(ChdbConnection connection, String sql)
      throws StoreException {
    ChdbConnection.QueryAnalysis analysis = connection.requireOneStatement(sql);
    if (analysis.queryClass() != ChdbConnection.QueryAnalysis.READ_ONLY
        && analysis.statementCount() != 0) {
      throw StoreException.permanent(
          "read-only SQL may only read (SELECT, SHOW, DESCRIBE, EXPLAIN, EXISTS); this statement "
              + (analysis.queryClass() <= 2 ? "writes" : "changes settings, session state or files"));
    }
  }

  /** A connection opened with these settings: a matching idle one, a new one, or a replaced idle one. */
  ChdbConnection borrow(Map<String, String> limits) throws StoreException {
    long deadline = System.nanoTime() + borrowTimeout.toNanos();
    ChdbConnection toClose = null;
    lock.lock();
    try {
      while (true) {
        if (closed) {
          throw StoreException.permanent("chDB engine on " + dataPath + " is closed");
        }
        for (Iterator<Idle> it = idle.iterator(); it.hasNext(); ) {
          Idle candidate = it.next();
          if (candidate.limits.equals(limits)) {
            it.remove();
            return candidate.connection;
          }
        }
        if (open < maxConnections) {
          open++;
          break;
        }
        if (!idle.isEmpty()) {
          toClose = idle.removeLast().connection;
          break;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw StoreException.retryable(
              "all " + maxConnections + " read-only chDB connections stayed busy for " + borrowTimeout);
        }
        try {
          released.awaitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw StoreException.retryable("interrupted waiting for a read-only chDB connection", e);
        }
      }
    } finally {
      lock.unlock();
    }
    if (toClose != null) {
      toClose.close();
    }
    try {
      // "database" is no engine setting: it names the connection's current database, chosen with USE.
      Map<String, String> settings = new LinkedHashMap<>(limits);
      String database = settings.remove("database");
      ChdbConnection connection = ChdbRuntime.connect(dataPath, settings);
      if (database != null) {
        try {
          connection.execute("USE {db:Identifier}", Map.of("db", database));
        } catch (StoreException | RuntimeException e) {
          connection.close();
          throw e;
        }
      }
      return connection;
    } catch (StoreException | RuntimeException e) {
      lock.lock();
      try {
        open--;
        released.signal();
      } finally {
        lock.unlock();
      }
      throw e;
    }
  }

  /** A broken connection is closed; its slot frees up for a new one. */
  void release(Map<String, String> limits, ChdbConnection connection) {
    lock.lock();
    try {
      if (!closed && !connection.broken()) {
        idle.addFirst(new Idle(limits, connection));
        released.signal();
        return;
      }
      open--;
      released.signal();
    } finally {
      lock.unlock();
    }
    connection.close();
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (Idle each : idle) {
        each.connection.close();
        open--;
      }
      idle.clear();
      released.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private record Idle(Map<String, String> limits, ChdbConnection connection) {}

  /** The limits a read-only connection is opened with. */
  record Limits(Duration maxExecutionTime, long maxResultRows) {
    Limits {
      requireNonNull(maxExecutionTime, "maxExecutionTime");
      if (maxExecutionTime.toMillis() < 1) {
        throw new IllegalArgumentException("maxExecutionTime: " + maxExecutionTime + " (expected: >= 1 ms)");
      }
      if (maxResultRows < 1) {
        throw new IllegalArgumentException("maxResultRows: " + maxResultRows + " (expected: > 0)");
      }
    }

    static Limits of(Duration maxExecutionTime, long maxResultRows) {
      // Millisecond precision keeps pool keys few.
      return new Limits(Duration.ofMillis(maxExecutionTime.toMillis()), maxResultRows);
    }

    /** Settings order matters: readonly last, since it forbids changing the ones after it. */
    Map<String, String> settings() {
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put(
          "max_execution_time",
          BigDecimal.valueOf(maxExecutionTime.toMillis(), 3).stripTrailingZeros().toPlainString());
      settings.put("max_result_rows", Long.toString(maxResultRows));
      settings.put("result_overflow_mode", "throw");
      settings.put("readonly", "1");
      return settings;
    }
  }
}
