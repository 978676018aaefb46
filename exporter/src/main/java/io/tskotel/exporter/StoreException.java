package io.tskotel.exporter;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A store operation that failed. {@link #retryable()} separates passing trouble (the engine is busy or
 * unreachable: the same statement may succeed later) from permanent failure (retrying it unchanged cannot
 * help). {@link #fault()} says what a failed <em>write</em> means for the data: the store's trouble (keep
 * the data queued and retry until the store is fixed) or this request's own (the store will never take it).
 * {@link #reason()} is a short fixed phrase for probes, free of the engine's text.
 */
public final class StoreException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What a failed write means for the data. */
  public enum Fault {
    /** Passing trouble: busy, timed out, unreachable. */
    TRANSIENT,
    /**
     * The store cannot take writes until someone fixes it: a missing table or database, failed
     * authentication, a read-only or full server, too many parts, or an error we do not know. Data stays
     * queued.
     */
    STORE,
    /** This request's data: the store will never take it (the only fault that dead-letters). */
    DATA
  }

  private final boolean retryable;
  private final Fault fault;
  private final String reason;

  private StoreException(
      String message, boolean retryable, Fault fault, String reason, @Nullable Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
    this.fault = fault;
    this.reason = reason;
  }

  public static StoreException retryable(String message, @Nullable Throwable cause) {
    return new StoreException(message, true, Fault.TRANSIENT, "store unreachable or busy", cause);
  }

  public static StoreException retryable(String message) {
    return retryable(message, null);
  }

  /** The statement or the data is bad: retrying cannot help, and a write of it is dead-lettered. */
  public static StoreException permanent(String message, @Nullable Throwable cause) {
    return new StoreException(message, false, Fault.DATA, "data refused by the store", cause);
  }

  public static StoreException permanent(String message) {
    return permanent(message, null);
  }

  /**
   * The store itself cannot take writes now ({@link Fault#STORE}); {@code reason} names why in a few words
   * (shown by the probes), {@code retryable} whether the same statement may pass without anyone's help.
   */
  public static StoreException storeFault(
      String reason, String message, boolean retryable, @Nullable Throwable cause) {
    return new StoreException(message, retryable, Fault.STORE, requireNonNull(reason, "reason"), cause);
  }

  public boolean retryable() {
    return retryable;
  }

  public Fault fault() {
    return fault;
  }

  /** Why, in a few fixed words (no engine text): safe to show on an unauthenticated probe. */
  public String reason() {
    return reason;
  }
}
