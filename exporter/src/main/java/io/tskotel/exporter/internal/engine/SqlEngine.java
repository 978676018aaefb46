package io.tskotel.exporter.internal.engine;

import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import java.time.Duration;
import java.util.Map;

/**
 * The one seam between the store and a ClickHouse engine. The store owns every SQL text (DDL, inserts,
 * queries) and every RowBinary byte; an engine only carries them: chDB in this process, or a remote server.
 *
 * <p>Values always travel as bound parameters ({@code {name:Type}} in the text, the value in {@code params}
 * in ClickHouse's text form); data always travels as RowBinary. Implementations are thread-safe.
 */
public interface SqlEngine extends AutoCloseable {

  /** Runs one statement that returns no rows (DDL, OPTIMIZE, ALTER). */
  void execute(String sql, Map<String, String> params) throws StoreException;

  /** Runs one statement that returns rows. */
  QueryResult query(String sql, Map<String, String> params) throws StoreException;

  /**
   * Runs one statement written by a user (a SQL fujsen, an ad-hoc query) that the engine itself holds to
   * reading: any write, DDL or settings change is refused by the engine, not by parsing here. The
   * statement is stopped after {@code maxExecutionTime}, and fails rather than return more than
   * {@code maxResultRows} rows.
   */
  QueryResult queryReadOnly(
      String sql, Map<String, String> params, Duration maxExecutionTime, long maxResultRows)
      throws StoreException;

  /**
   * Inserts RowBinary-encoded rows. {@code insertPrefix} is {@code INSERT INTO db.table (col, ...)} without
   * FORMAT or data; {@code rows} holds {@code rowCount} rows in exactly that column order.
   */
  void insertRowBinary(String insertPrefix, byte[] rows, int length, int rowCount) throws StoreException;

  /** Safe to call twice. */
  @Override
  void close();
}
