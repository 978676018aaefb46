package io.tskotel.collector.receiver.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.jspecify.annotations.Nullable;

/**
 * Reads a request body, decoding {@code Content-Encoding: gzip}, never holding more than {@code max}
 * bytes: both the bytes on the wire and the decompressed bytes are bounded, so a gzip bomb ends in
 * {@link TooLargeException} after at most {@code max} bytes were inflated.
 */
public final class BoundedBody {
  private BoundedBody() {}

  public static byte[] read(
      InputStream raw, @Nullable String contentEncoding, long contentLength, int max)
      throws IOException, TooLargeException, UnsupportedEncodingException, MalformedBodyException {
    String encoding =
        contentEncoding == null ? "identity" : contentEncoding.trim().toLowerCase(Locale.ROOT);
    if (contentLength > max) {
      throw new TooLargeException(
          "request body of " + contentLength + " bytes exceeds the limit of " + max + " bytes");
    }
    InputStream wire = new LimitedInputStream(raw, max);
    try {
      return decode(wire, encoding, max);
    } catch (WireLimitException e) {
      throw new TooLargeException(e.getMessage());
    }
  }

  private static byte[] decode(InputStream wire, String encoding, int max)
      throws IOException, TooLargeException, UnsupportedEncodingException, MalformedBodyException {
    switch (encoding) {
      case "", "identity" -> {
        return readLimited(wire, max);
      }
      case "gzip", "x-gzip" -> {
        try (InputStream inflated = new GZIPInputStream(wire, 8192)) {
          return readLimited(inflated, max);
        } catch (ZipException | java.io.EOFException e) {
          throw new MalformedBodyException("malformed gzip body: " + e.getMessage());
        }
      }
      default ->
          throw new UnsupportedEncodingException(
              "unsupported Content-Encoding '" + Text.clip(encoding) + "' (expected: gzip or identity)");
    }
  }

  private static byte[] readLimited(InputStream in, int max) throws IOException, TooLargeException {
    byte[] body = in.readNBytes(max);
    if (in.read() != -1) {
      throw new TooLargeException("decompressed request body exceeds the limit of " + max + " bytes");
    }
    return body;
  }

  /** Fails as soon as more than {@code max} bytes came off the wire. */
  private static final class LimitedInputStream extends FilterInputStream {
    private final long max;
    private long count;

    LimitedInputStream(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws IOException {
      count += n;
      if (count > max) {
        throw new WireLimitException(max);
      }
    }
  }

  /** Thrown inside the stream so it can cross GZIPInputStream; unwrapped by the callers. */
  static final class WireLimitException extends IOException {
    WireLimitException(long max) {
      super("request body exceeds the limit of " + max + " bytes");
    }
  }

  public static final class TooLargeException extends Exception {
    TooLargeException(String message) {
      super(message);
    }
  }

  public static final class UnsupportedEncodingException extends Exception {
    UnsupportedEncodingException(String message) {
      super(message);
    }
  }

  public static final class MalformedBodyException extends Exception {
    MalformedBodyException(String message) {
      super(message);
    }
  }
}
