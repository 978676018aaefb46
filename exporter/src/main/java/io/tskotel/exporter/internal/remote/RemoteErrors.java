package io.tskotel.exporter.internal.remote;

import com.clickhouse.client.api.ClientMisconfigurationException;
import com.clickhouse.client.api.ServerException;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.engine.ClickHouseErrors;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Sorts remote failures into retryable (the server is busy, restarting, overloaded or unreachable: the
 * same request can succeed later) and permanent (the statement or the data is wrong: it never will).
 */
public final class RemoteErrors {
  private RemoteErrors() {}

  /**
   * Codes that only the HTTP transport produces, on top of {@link ClickHouseErrors}'s list: the request
   * body was cut off, a server could not reach its own replicas, or the server lost the connection.
   */
  static final Set<Integer> TRANSPORT_CODES = Set.of(
      3, // UNEXPECTED_END_OF_FILE
      279, // ALL_CONNECTION_TRIES_FAILED
      1002 // UNKNOWN_EXCEPTION over HTTP: mostly a dropped connection
  );

  /** HTTP statuses of proxies and load balancers in front of a server that is away for now. */
  private static final Set<Integer> RETRYABLE_HTTP = Set.of(408, 429, 502, 503, 504);

  public static StoreException classify(String what, Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return StoreException.retryable(what + ": interrupted", e);
    }
    if (e instanceof ServerException se) {
      boolean retry = ClickHouseErrors.isRetryable(se.getCode()) || TRANSPORT_CODES.contains(se.getCode())
          || RETRYABLE_HTTP.contains(se.getTransportProtocolCode());
      String msg = what + ": ClickHouse error " + se.getCode() + ": " + firstLine(se.getMessage());
      return ClickHouseErrors.classify(se.getCode(), retry, msg, se);
    }
    if (e instanceof ClientMisconfigurationException) {
      return StoreException.storeFault(
          "store client misconfigured", what + ": client misconfigured: " + e.getMessage(), false, e);
    }
    Throwable io = findNetworkCause(e);
    if (io != null) {
      return StoreException.retryable(what + ": " + io.getClass().getSimpleName() + ": " + io.getMessage(), e);
    }
    if (e instanceof TimeoutException) {
      return StoreException.retryable(what + ": timed out", e);
    }
    if (e instanceof com.clickhouse.client.api.ClickHouseException che && che.isRetryable()) {
      return StoreException.retryable(what + ": " + che.getMessage(), e);
    }
    // Nothing says the data is at fault: a write stays queued rather than dead-lettered on a guess.
    return StoreException.storeFault("unexpected store error", what + ": " + e, false, e);
  }

  /**
   * True when the request never reached a server (no connection could be made, or the server turned it
   * away before reading it), so another endpoint may take it at once. A request that timed out or lost its
   * connection after it was sent may have been applied: it is retryable, but the caller decides.
   */
  static boolean isUnreachable(StoreException e) {
    if (!e.retryable()) {
      return false;
    }
    for (Throwable c = e.getCause(); c != null && c.getCause() != c; c = c.getCause()) {
      if (c instanceof com.clickhouse.client.api.ConnectionInitiationException
          || c instanceof ConnectException || c instanceof NoRouteToHostException
          || c instanceof UnknownHostException
          || c.getClass().getName().equals("org.apache.hc.client5.http.ConnectTimeoutException")) {
        return true;
      }
    }
    return false;
  }

  private static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static Throwable findNetworkCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException || c instanceof NoRouteToHostException
          || c instanceof UnknownHostException || c instanceof SocketTimeoutException
          || c instanceof SocketException || c instanceof InterruptedIOException
          || c.getClass().getName().startsWith("org.apache.hc.core5.http.NoHttpResponseException")
          || c.getClass().getName().startsWith("org.apache.hc.client5.http.ConnectTimeoutException")
          || c.getClass().getName().startsWith("org.apache.hc.client5.http.HttpHostConnectException")
          || c instanceof com.clickhouse.client.api.ConnectionInitiationException) {
        return c;
      }
      if (c instanceof IOException && c.getMessage() != null && c.getMessage().contains("Connection reset")) {
        return c;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
