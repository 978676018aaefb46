package io.tskotel.tsk;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when TSK text is malformed; carries every error found in the pass, ordered by position. */
public final class TskParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<TskError> errors;

  public TskParseException(List<TskError> errors) {
    super(message(errors));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("errors: [] (expected: at least one)");
    }
    this.errors = List.copyOf(errors);
  }

  /** Every error of the pass, ordered by line and column. */
  public List<TskError> errors() {
    return errors;
  }

  private static String message(List<TskError> errors) {
    return errors.stream().map(TskError::format).collect(Collectors.joining("\n"));
  }
}
