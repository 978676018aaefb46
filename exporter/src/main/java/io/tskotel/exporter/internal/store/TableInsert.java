package io.tskotel.exporter.internal.store;

import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.encode.RowSink;
import io.tskotel.exporter.internal.engine.SqlEngine;
import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;
import java.util.List;

/**
 * The rows of one table within one write call: encoders append rows, and every {@code maxBytes} of
 * RowBinary (and at {@link #finish()}) the rows go to the engine as one insert.
 */
public final class TableInsert implements RowSink {
  private final SqlEngine engine;
  private final String prefix;
  private final int maxBytes;
  private final RowBinaryWriter writer;
  private int rows;
  private long totalRows;
  private long totalBytes;

  public TableInsert(SqlEngine engine, String prefix, int maxBytes, RowBinaryWriter writer) {
    this.engine = engine;
    this.prefix = prefix;
    this.maxBytes = maxBytes;
    this.writer = writer;
    writer.reset();
  }

  /** {@code INSERT INTO `db`.`table` (`c1`, `c2`)}: the names are ours, never input. */
  public static String prefix(String database, String table, List<String> columns) {
    StringBuilder sb = new StringBuilder("INSERT INTO `").append(database).append("`.`").append(table).append("` (");
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append('`').append(columns.get(i)).append('`');
    }
    return sb.append(')').toString();
  }

  @Override
  public RowBinaryWriter writer() {
    return writer;
  }

  @Override
  public void endRow() throws StoreException {
    rows++;
    if (writer.size() >= maxBytes) {
      flush();
    }
  }

  @Override
  public void endRows(int n) throws StoreException {
    rows += n;
    if (writer.size() >= maxBytes) {
      flush();
    }
  }

  /** Sends the remaining rows. */
  public void finish() throws StoreException {
    flush();
  }

  private void flush() throws StoreException {
    if (rows == 0) {
      return;
    }
    engine.insertRowBinary(prefix, writer.buffer(), writer.size(), rows);
    totalRows += rows;
    totalBytes += writer.size();
    rows = 0;
    writer.reset();
  }

  public long totalRows() {
    return totalRows;
  }

  public long totalBytes() {
    return totalBytes;
  }
}
