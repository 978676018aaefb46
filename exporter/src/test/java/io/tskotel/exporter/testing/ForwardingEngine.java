package io.tskotel.exporter.testing;

import static java.util.Objects.requireNonNull;

import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.engine.SqlEngine;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** An engine that passes every call to another; tests override the calls they watch or change. */
public abstract class ForwardingEngine implements SqlEngine {
  protected final SqlEngine delegate;

  protected ForwardingEngine(SqlEngine delegate) {
    this.delegate = requireNonNull(delegate, "delegate");
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
  public boolean takesNative() {
    return delegate.takesNative();
  }

  @Override
  public void insertNative(String insertPrefix, byte[] block, int length, int rowCount) throws StoreException {
    delegate.insertNative(insertPrefix, block, length, rowCount);
  }

  @Override
  public @Nullable BlockInsert openNativeInsert(String insertPrefix) throws StoreException {
    return delegate.openNativeInsert(insertPrefix);
  }

  @Override
  public byte[] queryFormatted(String sql, Map<String, String> params, String format, Map<String, String> settings)
      throws StoreException {
    return delegate.queryFormatted(sql, params, format, settings);
  }

  @Override
  public long insertFormatted(String insertPrefix, String format, java.io.InputStream data,
      Map<String, String> settings) throws StoreException {
    return delegate.insertFormatted(insertPrefix, format, data, settings);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
