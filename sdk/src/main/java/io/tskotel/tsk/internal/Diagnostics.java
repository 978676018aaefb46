package io.tskotel.tsk.internal;

import io.tskotel.tsk.TskError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every error of one parse, so a user fixes a file in one round instead of one error at a time. */
public final class Diagnostics {
  private final String sourceName;
  private final String[] lines;
  private final List<TskError> errors = new ArrayList<>();

  public Diagnostics(String sourceName, String text) {
    this.sourceName = sourceName;
    this.lines = text.split("\n", -1);
    // The lexer skips a byte-order mark without counting it as a column; the caret must line up the same.
    if (lines[0].startsWith("\uFEFF")) {
      lines[0] = lines[0].substring(1);
    }
  }

  void error(Position at, String message) {
    error(at.line(), at.column(), message);
  }

  void error(Token at, String message) {
    error(at.line(), at.column(), message);
  }

  void error(int line, int column, String message) {
    String lineText = line >= 1 && line <= lines.length ? lines[line - 1] : "";
    errors.add(new TskError(sourceName, line, column, message, lineText));
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }

  /** The errors ordered by position (the lexer and the parser report in different passes). */
  public List<TskError> errors() {
    List<TskError> sorted = new ArrayList<>(errors);
    sorted.sort(Comparator.comparingInt(TskError::line).thenComparingInt(TskError::column));
    return List.copyOf(sorted);
  }
}
