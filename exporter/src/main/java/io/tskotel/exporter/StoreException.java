package io.tskotel.exporter;

/**
 * A store operation that failed. {@link #retryable()} separates passing trouble (the engine is busy or
 * unreachable: retry with backoff) from permanent failure (the data or statement is bad: retrying cannot help).
 */
public final class StoreException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  private StoreException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public static StoreException retryable(String message, Throwable cause) {
    return new StoreException(message, true, cause);
  }

  public static StoreException retryable(String message) {
    return new StoreException(message, true, null);
  }

  public static StoreException permanent(String message, Throwable cause) {
    return new StoreException(message, false, cause);
  }

  public static StoreException permanent(String message) {
    return new StoreException(message, false, null);
  }

  public boolean retryable() {
    return retryable;
  }
}
