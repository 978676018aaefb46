package io.tskotel.exporter.internal.engine;

import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The one seam between the store and a ClickHouse engine. The store owns every SQL text (DDL, inserts,
 * queries) and every RowBinary byte; an engine only carries them: chDB in this process, or a remote server.
 *
 * <p>Values always travel as bound parameters ({@code {name:Type}} in the text, the value in {@code params}
 * in ClickHouse's text form); data travels as RowBinary, or as Native blocks transcoded from it where the
 * engine {@link #takesNative()}. Implementations are thread-safe.
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

  /** Whether {@link #insertNative} works: the engine parses Native blocks at about half RowBinary's CPU. */
  default boolean takesNative() {
    return false;
  }

  /**
   * Inserts one block in ClickHouse's Native format ({@code NativeBlock}), {@code rowCount} rows of the
   * columns {@code insertPrefix} names. Engines that do not take Native refuse.
   */
  default void insertNative(String insertPrefix, byte[] block, int length, int rowCount) throws StoreException {
    throw StoreException.permanent(getClass().getSimpleName() + " does not take Native inserts");
  }

  /**
   * Opens one insert of {@code insertPrefix} that takes several Native blocks, so a batch larger than one
   * block becomes one statement (and the engine squashes it into one part) while the caller holds one block at
   * a time; null where the engine cannot keep an insert open, or not now (the caller then inserts block by
   * block).
   */
  default @Nullable BlockInsert openNativeInsert(String insertPrefix) throws StoreException {
    return null;
  }

  /** An insert kept open across blocks. {@link #close} cancels it unless {@link #finish} ended it. */
  interface BlockInsert extends AutoCloseable {
    /** Sends one Native block. */
    void append(byte[] block, int length) throws StoreException;

    /** Ends the insert; returns the rows written, materialized views' rows included. */
    long finish() throws StoreException;

    @Override
    void close();
  }

  /**
   * Runs one statement for an outside ClickHouse client (the collector's ClickHouse HTTP endpoint) and
   * returns the engine's output in {@code format} byte for byte; a FORMAT clause in the text wins.
   * {@code settings} (engine settings such as {@code readonly} and {@code max_execution_time}, plus
   * {@code database}: the current database) hold for this statement only. The caller has already checked the text; the engine still refuses more
   * than one statement. Engines that do not serve outside clients refuse.
   */
  default byte[] queryFormatted(
      String sql, Map<String, String> params, String format, Map<String, String> settings)
      throws StoreException {
    throw StoreException.permanent(getClass().getSimpleName() + " does not serve outside clients");
  }

  /**
   * Streams {@code data} in {@code format} into the engine's insert of {@code insertPrefix}
   * ({@code INSERT INTO t [(columns)]} without FORMAT or data) for an outside client, with
   * {@code settings} as in {@link #queryFormatted}. Returns the rows written.
   */
  default long insertFormatted(
      String insertPrefix, String format, InputStream data, Map<String, String> settings)
      throws StoreException {
    throw StoreException.permanent(getClass().getSimpleName() + " does not serve outside clients");
  }

  /** Safe to call twice. */
  @Override
  void close();
}
