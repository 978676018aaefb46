package io.tskotel.collector.bench;

import io.tskotel.exporter.internal.encode.RowSink;
import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;

/** A sink that only appends to one writer: the benchmarks measure encoding, not sending. */
final class WriterSink implements RowSink {
  private final RowBinaryWriter w;

  WriterSink(RowBinaryWriter w) {
    this.w = w;
  }

  @Override
  public RowBinaryWriter writer() {
    return w;
  }

  @Override
  public void endRow() {}

  @Override
  public void endRows(int n) {}
}
