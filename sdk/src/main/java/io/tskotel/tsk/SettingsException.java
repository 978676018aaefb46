package io.tskotel.tsk;

import java.util.List;

/**
 * A configuration whose values are wrong: every problem at once, each starting with {@code file:line:col}
 * where it has a position. {@code tskotel run} and {@code tskotel check} print the same {@link #errors()}.
 */
public final class SettingsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient List<String> errors;

  public SettingsException(String sourceName, List<String> errors) {
    super("invalid configuration " + sourceName + ":\n  " + String.join("\n  ", errors));
    this.errors = List.copyOf(errors);
  }

  public List<String> errors() {
    return errors;
  }
}
