package io.tskotel.tsk;

/** A fujsen could not be executed: it is not declared, or no Java function is registered for it. */
public final class FujsenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FujsenException(String message) {
    super(message);
  }
}
