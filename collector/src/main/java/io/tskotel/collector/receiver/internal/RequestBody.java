package io.tskotel.collector.receiver.internal;

import static java.util.Objects.requireNonNull;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * One OTLP/HTTP request's body, and what is left of it once the request was answered.
 *
 * <p>Jetty closes a connection whose request body was not read to the end. A client that is still
 * sending then gets a reset, and the reset can destroy our answer before the client reads it: the
 * client sees "connection reset" or "no bytes" instead of 401 or 413. So before answering, the rest
 * of a refused body is read and discarded, up to a bound: the connection then ends cleanly (and
 * stays open for the next request). A body announced larger than the bound is not read; that
 * client gets the answer and a closed connection.
 */
final class RequestBody {
  private final HttpServletRequest request;
  private boolean opened;

  RequestBody(HttpServletRequest request) {
    this.request = requireNonNull(request, "request");
  }

  /** The raw body; reading it sends {@code 100 Continue} to a client that asked for it. */
  InputStream open() throws IOException {
    opened = true;
    return request.getInputStream();
  }

  /** Reads and discards the unread rest of the body, at most {@code limit} bytes; never throws. */
  void discardRest(long limit) {
    if (request.getContentLengthLong() > limit) {
      return;
    }
    // A client waiting for "100 Continue" sends nothing until we read; it hears our answer instead.
    if (!opened && expectsContinue()) {
      return;
    }
    byte[] scratch = new byte[8192];
    long left = limit;
    try {
      InputStream in = request.getInputStream();
      while (left > 0) {
        int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
        if (n < 0) {
          return;
        }
        left -= n;
      }
    } catch (IOException | RuntimeException e) {
      // The client went away or broke the body: there is nobody left to answer cleanly.
    }
  }

  private boolean expectsContinue() {
    String expect = request.getHeader("Expect");
    return expect != null && expect.trim().toLowerCase(Locale.ROOT).equals("100-continue");
  }
}
