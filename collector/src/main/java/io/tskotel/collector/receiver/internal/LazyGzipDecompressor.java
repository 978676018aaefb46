package io.tskotel.collector.receiver.internal;

import io.grpc.Decompressor;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * gRPC's {@code gzip} decompressor, but reading the gzip header on the first read rather than at once.
 * grpc-java opens the decompressing stream inside its deframer, where a broken header (a client's
 * fault) ends the call as UNKNOWN without a word; read later, it fails inside our marshaller, which
 * answers INVALID_ARGUMENT with the reason.
 */
final class LazyGzipDecompressor implements Decompressor {

  @Override
  public String getMessageEncoding() {
    return "gzip";
  }

  @Override
  public InputStream decompress(InputStream compressed) {
    return new InputStream() {
      private InputStream inflated;

      private InputStream inflated() throws IOException {
        if (inflated == null) {
          inflated = new GZIPInputStream(compressed);
        }
        return inflated;
      }

      @Override
      public int read() throws IOException {
        return inflated().read();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return inflated().read(b, off, len);
      }

      @Override
      public void close() throws IOException {
        if (inflated != null) {
          inflated.close();
        } else {
          compressed.close();
        }
      }
    };
  }
}
