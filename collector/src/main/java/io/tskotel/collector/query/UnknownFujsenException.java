package io.tskotel.collector.query;

/** A fujsen was called by a name nothing declares (HTTP 404, gRPC NOT_FOUND). */
public final class UnknownFujsenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownFujsenException(String message) {
    super(message);
  }
}
