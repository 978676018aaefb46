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
 * RowBinary (and at {@link #finish()}) the rows go to the engine: as one RowBinary insert, or, given a
 * {@link NativeBlock.Schema}, transcoded to one Native block. Native blocks of one write go into one insert
 * kept open until {@link #finish()} where the engine can ({@link SqlEngine#openNativeInsert}): the engine
 * then squashes them into one part however many blocks the write needed, while this side holds one block at
 * a time. Larger parts cost the engine less per row (fewer parts to write and fewer merges to rewrite them,
 * docs/performance.md "Part size").
 */
public final class TableInsert implements RowSink, AutoCloseable {
  private final SqlEngine engine;
  private final String prefix;
  private final int maxBytes;
  private final RowBinaryWriter writer;
  private final NativeBlock.@Nullable Schema nativeSchema;
  private final @Nullable NativeBlock nativeBlock;
  private final OpenInserts openInserts;
  private SqlEngine.@Nullable BlockInsert open;
  private long openRows;
  private int rows;
  private long totalRows;
  private long totalBytes;

  /**
   * How many inserts the tables of one write may keep open at once: each holds an engine connection while the
   * write goes on, and a write that holds one and waits for another could wait on a writer doing the same.
   */
  public static final class OpenInserts {
    private int left;

    public OpenInserts(int max) {
      this.left = max;
    }

    boolean take() {
      if (left == 0) {
        return false;
      }
      left--;
      return true;
    }

    void giveBack() {
      left++;
    }
  }

  /** Inserts RowBinary. */
  public TableInsert(SqlEngine engine, String prefix, int maxBytes, RowBinaryWriter writer) {
    this(engine, prefix, maxBytes, writer, null, null, new OpenInserts(0));
  }

  /**
   * Inserts Native blocks transcoded by {@code block} (this thread's) when {@code schema} is given (the
   * prefix's columns and their types), RowBinary otherwise.
   */
  public TableInsert(SqlEngine engine, String prefix, int maxBytes, RowBinaryWriter writer,
      NativeBlock.@Nullable Schema schema, @Nullable NativeBlock block, OpenInserts openInserts) {
    if ((schema == null) != (block == null)) {
      throw new IllegalArgumentException("schema and block: both or neither");
    }
    this.engine = engine;
    this.prefix = prefix;
    this.maxBytes = maxBytes;
    this.writer = writer;
    this.nativeSchema = schema;
    this.nativeBlock = block;
    this.openInserts = openInserts;
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
      flush(false);
    }
  }

  @Override
  public void endRows(int n) throws StoreException {
    rows += n;
    if (writer.size() >= maxBytes) {
      flush(false);
    }
  }

  /** Sends the remaining rows and ends the open insert, if any. */
  public void finish() throws StoreException {
    flush(true);
    if (open != null) {
      SqlEngine.BlockInsert ending = open;
      open = null;
      openInserts.giveBack();
      long written = ending.finish();
      // Materialized views add to the count, so only fewer rows than sent means the bytes were wrong.
      if (written < openRows) {
        throw StoreException.permanent(prefix + ": the engine wrote " + written + " rows of the " + openRows
            + " sent");
      }
    }
  }

  /** Cancels an insert left open by a failed write (nothing of it is written); a no-op after {@link #finish()}. */
  @Override
  public void close() {
    if (open != null) {
      open.close();
      open = null;
      openInserts.giveBack();
    }
  }

  private void flush(boolean last) throws StoreException {
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
      if (open == null && !last && openInserts.take()) {
        open = engine.openNativeInsert(prefix); // more blocks follow: one statement for all of them
        if (open == null) {
          openInserts.giveBack();
        }
      }
      if (open != null) {
        open.append(block.buffer(), block.size());
        openRows += rows;
      } else {
        engine.insertNative(prefix, block.buffer(), block.size(), rows);
      }
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
