package io.tskotel.exporter.internal.store;

import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.encode.RowSink;
import io.tskotel.exporter.internal.engine.SqlEngine;
import io.tskotel.exporter.internal.rowbinary.NativeBlock;
import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The rows of one table within one write call: encoders append rows, and every {@code maxBytes} of
 * RowBinary (and at {@link #finish()}) the rows go to the engine as one insert: as that RowBinary, or,
 * given a {@link NativeBlock.Schema}, transcoded to one Native block.
 */
public final class TableInsert implements RowSink {
  private final SqlEngine engine;
  private final String prefix;
  private final int maxBytes;
  private final RowBinaryWriter writer;
  private final NativeBlock.@Nullable Schema nativeSchema;
  private final @Nullable NativeBlock nativeBlock;
  private int rows;
  private long totalRows;
  private long totalBytes;

  /** Inserts RowBinary. */
  public TableInsert(SqlEngine engine, String prefix, int maxBytes, RowBinaryWriter writer) {
    this(engine, prefix, maxBytes, writer, null, null);
  }

  /**
   * Inserts Native blocks transcoded by {@code block} (this thread's) when {@code schema} is given (the
   * prefix's columns and their types), RowBinary otherwise.
   */
  public TableInsert(SqlEngine engine, String prefix, int maxBytes, RowBinaryWriter writer,
      NativeBlock.@Nullable Schema schema, @Nullable NativeBlock block) {
    if ((schema == null) != (block == null)) {
      throw new IllegalArgumentException("schema and block: both or neither");
    }
    this.engine = engine;
    this.prefix = prefix;
    this.maxBytes = maxBytes;
    this.writer = writer;
    this.nativeSchema = schema;
    this.nativeBlock = block;
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
    if (nativeSchema != null && nativeBlock != null) {
      RowBinaryWriter block;
      try {
        block = nativeBlock.transcode(nativeSchema, writer.buffer(), writer.size(), rows);
      } catch (IllegalStateException e) {
        // Our own encoder's bytes do not match the table's columns: a bug, not the data's fault.
        throw StoreException.permanent(prefix + ": " + e.getMessage(), e);
      }
      engine.insertNative(prefix, block.buffer(), block.size(), rows);
    } else {
      engine.insertRowBinary(prefix, writer.buffer(), writer.size(), rows);
    }
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
