package io.tskotel.exporter.internal.remote;

import io.tskotel.exporter.QueryResult;
import java.io.IOException;
import java.io.InputStream;

/** Decodes a RowBinaryWithNamesAndTypes response with the shared reader. */
final class RemoteResults {
  private RemoteResults() {}

  static QueryResult decode(InputStream in) throws IOException {
    // Filled in with the shared io.tskotel.exporter.internal.rowbinary.RowBinaryReader.
    throw new IOException("RowBinaryReader not available yet");
  }
}
