package io.tskotel.exporter.internal.remote;

import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.rowbinary.RowBinaryReader;
import java.io.IOException;
import java.io.InputStream;

/** Decodes a RowBinaryWithNamesAndTypes response with the reader the embedded engine uses. */
final class RemoteResults {
  private RemoteResults() {}

  static QueryResult decode(InputStream in) throws IOException, StoreException {
    return RowBinaryReader.read(in.readAllBytes());
  }
}
