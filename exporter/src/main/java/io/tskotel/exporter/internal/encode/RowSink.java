package io.tskotel.exporter.internal.encode;

import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;

/**
 * Where an encoder writes the rows of one table: it appends a row's columns to {@link #writer()} in the
 * table's column order, then calls {@link #endRow()}, which may send the rows written so far.
 */
public interface RowSink {
  RowBinaryWriter writer();

  void endRow() throws StoreException;

  /**
   * Ends {@code n} rows written one after the other without {@link #endRow()} between them (a whole
   * request at once, so a request given up half-way leaves nothing behind). A sink that sends rows on
   * {@link #endRow()} must override this to count them together.
   */
  default void endRows(int n) throws StoreException {
    for (int i = 0; i < n; i++) {
      endRow();
    }
  }
}
