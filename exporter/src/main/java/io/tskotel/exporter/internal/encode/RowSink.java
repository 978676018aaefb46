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
}
