package io.tskotel.exporter.testing;

import io.tskotel.exporter.internal.encode.RowSink;
import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;

/** A sink that only collects, flushing nothing: rows end where they are written, and are counted. */
public final class CollectingSink implements RowSink {
  public final RowBinaryWriter w = new RowBinaryWriter(1024);
  public long rows;

  @Override
  public RowBinaryWriter writer() {
    return w;
  }

  @Override
  public void endRow() {
    rows++;
  }

  @Override
  public void endRows(int n) {
    rows += n;
  }
}
