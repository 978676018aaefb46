package io.tskotel.exporter.testing;

import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.engine.SqlEngine;
import java.time.Duration;
import java.util.Map;

/**
 * The shared test engine handed to a store that would close it: the store's close must not stop the
 * engine every other test class in the JVM uses. Everything else passes straight through.
 */
public final class NonClosingEngine implements SqlEngine {
  private final SqlEngine delegate;

  public NonClosingEngine(SqlEngine delegate) {
    this.delegate = delegate;
  }

  public static NonClosingEngine shared() {
    return new NonClosingEngine(ChdbTestEngine.shared());
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
  public QueryResult queryReadOnly(String sql, Map<String, String> params, Duration maxExecutionTime,
      long maxResultRows) throws StoreException {
    return delegate.queryReadOnly(sql, params, maxExecutionTime, maxResultRows);
  }

  @Override
  public void insertRowBinary(String insertPrefix, byte[] rows, int length, int rowCount) throws StoreException {
    delegate.insertRowBinary(insertPrefix, rows, length, rowCount);
  }

  @Override
  public void close() {}
}
