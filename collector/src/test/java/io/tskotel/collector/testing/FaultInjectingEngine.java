package io.tskotel.collector.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.engine.SqlEngine;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The REAL engine (the shared test chDB) with a switch: while {@link #failInserts} is on, inserts fail with a
 * retryable error before reaching the engine, as when a server is down; inserts whose rows contain
 * {@link #POISON} always fail permanently, as when the engine refuses the data itself. Queries always go
 * through. Closing does not close the shared engine.
 */
public final class FaultInjectingEngine implements SqlEngine {
  public static final String POISON = "POISON-PILL";
  private static final byte[] POISON_BYTES = POISON.getBytes(UTF_8);

  private final SqlEngine delegate;
  private volatile boolean failInserts;
  private volatile boolean refusePoison = true;
  private volatile @Nullable Supplier<? extends Throwable> insertFailure;
  private final AtomicInteger injectedFailures = new AtomicInteger();

  public FaultInjectingEngine(SqlEngine delegate) {
    this.delegate = delegate;
  }

  /** Whether rows containing {@link #POISON} are refused (on by default; off: "the cause was fixed"). */
  public void refusePoison(boolean refuse) {
    this.refusePoison = refuse;
  }

  public void failInserts(boolean fail) {
    this.failInserts = fail;
  }

  /**
   * While set, every insert throws what {@code failure} supplies (a classified {@link StoreException}, or an
   * {@link Error} as from a bug); null switches it off.
   */
  public void failInsertsWith(@Nullable Supplier<? extends Throwable> failure) {
    this.insertFailure = failure;
  }

  public int injectedFailures() {
    return injectedFailures.get();
  }

  @Override
  public void execute(String sql, Map<String, String> params) throws StoreException {
    delegate.execute(sql, params);
  }

  @Override
  public QueryResult query(String sql, Map<String, String> params) throws StoreException {
    return delegate.query(sql, params);
  }

  @Override
  public QueryResult queryReadOnly(
      String sql, Map<String, String> params, Duration maxExecutionTime, long maxResultRows)
      throws StoreException {
    return delegate.queryReadOnly(sql, params, maxExecutionTime, maxResultRows);
  }

  @Override
  public void insertRowBinary(String insertPrefix, byte[] rows, int length, int rowCount)
      throws StoreException {
    inject(rows, length);
    delegate.insertRowBinary(insertPrefix, rows, length, rowCount);
  }

  @Override
  public boolean takesNative() {
    return delegate.takesNative();
  }

  // A Native block holds the strings byte for byte as RowBinary does: the poison check works the same.
  @Override
  public void insertNative(String insertPrefix, byte[] block, int length, int rowCount) throws StoreException {
    inject(block, length);
    delegate.insertNative(insertPrefix, block, length, rowCount);
  }

  // The same faults for a block of an insert kept open: the insert is then closed unfinished (cancelled).
  @Override
  public @Nullable BlockInsert openNativeInsert(String insertPrefix) throws StoreException {
    BlockInsert open = delegate.openNativeInsert(insertPrefix);
    if (open == null) {
      return null;
    }
    return new BlockInsert() {
      @Override
      public void append(byte[] block, int length) throws StoreException {
        inject(block, length);
        open.append(block, length);
      }

      @Override
      public long finish() throws StoreException {
        return open.finish();
      }

      @Override
      public void close() {
        open.close();
      }
    };
  }

  private void inject(byte[] rows, int length) throws StoreException {
    if (refusePoison && contains(rows, length, POISON_BYTES)) {
      injectedFailures.incrementAndGet();
      throw StoreException.permanent("injected: the engine refuses this data");
    }
    Supplier<? extends Throwable> failure = insertFailure;
    if (failure != null) {
      injectedFailures.incrementAndGet();
      switch (failure.get()) {
        case StoreException e -> throw e;
        case RuntimeException e -> throw e;
        case Error e -> throw e;
        case Throwable t -> throw new IllegalStateException(t);
      }
    }
    if (failInserts) {
      injectedFailures.incrementAndGet();
      throw StoreException.retryable("injected: engine unavailable");
    }
  }

  private static boolean contains(byte[] haystack, int length, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Override
  public void close() {
    // the shared test engine lives as long as the JVM
  }
}
