package io.tskotel.collector.api;

import io.grpc.Status;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import io.tskotel.collector.query.UnknownFujsenException;

/**
 * How a failure of a query function reaches a caller: HTTP status and gRPC status, with the message. Bad
 * arguments are the caller's to fix (400 / INVALID_ARGUMENT, the message lists the allowed values); an
 * unknown fujsen is 404 / NOT_FOUND; a store that is down or busy is 503 / UNAVAILABLE (retry later); a store
 * that rejects a user's SQL fujsen is 400; anything else is 500 / INTERNAL.
 */
public record ApiError(int httpStatus, Status.Code grpcCode, String message) {

  /** Maps {@code e}; {@code userSql} tells that the statement came from a SQL fujsen. */
  public static ApiError of(Throwable e, boolean userSql) {
    return switch (e) {
      case UnknownFujsenException u -> new ApiError(404, Status.Code.NOT_FOUND, u.getMessage());
      case IllegalArgumentException i ->
          new ApiError(400, Status.Code.INVALID_ARGUMENT, String.valueOf(i.getMessage()));
      case StoreException s when s.retryable() ->
          new ApiError(503, Status.Code.UNAVAILABLE, "store unavailable: " + s.getMessage());
      case StoreException s when userSql ->
          new ApiError(400, Status.Code.INVALID_ARGUMENT, "query failed: " + s.getMessage());
      case StoreException s -> new ApiError(500, Status.Code.INTERNAL, "store error: " + s.getMessage());
      // The exception itself goes to the collector's log (AdminServer.logFailure), not to the caller:
      // its text can describe internals that an API client has no business seeing.
      default -> new ApiError(500, Status.Code.INTERNAL, "internal error (see the collector log)");
    };
  }

  /**
   * As {@link #of(Throwable, boolean)}, but a permanent store failure while the store reports itself
   * unhealthy (closed, engine gone) is 503 / UNAVAILABLE: the store's trouble, not the request's.
   */
  public static ApiError of(Throwable e, boolean userSql, TelemetryStore store) {
    ApiError error = of(e, userSql);
    if (e instanceof StoreException && error.httpStatus() != 503 && !store.health().healthy()) {
      return unavailable(e.getMessage());
    }
    return error;
  }

  public static ApiError unavailable(String message) {
    return new ApiError(503, Status.Code.UNAVAILABLE, "store unavailable: " + message);
  }

  public Status grpcStatus() {
    return Status.fromCode(grpcCode).withDescription(message);
  }
}
