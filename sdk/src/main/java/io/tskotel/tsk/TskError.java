package io.tskotel.tsk;

import static java.util.Objects.requireNonNull;

/**
 * One error found while parsing TSK: where it is, what is wrong, and the line it is on.
 *
 * @param source the file name (or the parser's source name for text)
 * @param line 1-based line
 * @param column 1-based column, counted in characters (a tab is one column)
 * @param message what is wrong, in words a user can act on
 * @param lineText the offending line, without its line end
 */
public record TskError(String source, int line, int column, String message, String lineText) {
  public TskError {
    requireNonNull(source, "source");
    requireNonNull(message, "message");
    requireNonNull(lineText, "lineText");
  }

  /** {@code file:line:col: message}, the offending line, and a caret under the column. */
  public String format() {
    StringBuilder caret = new StringBuilder();
    for (int i = 0; i < column - 1 && i < lineText.length(); i++) {
      // Keep tabs so the caret lines up however the terminal renders them.
      caret.append(lineText.charAt(i) == '\t' ? '\t' : ' ');
    }
    caret.append('^');
    return this + "\n" + lineText + "\n" + caret;
  }

  /** {@code file:line:col: message}. */
  @Override
  public String toString() {
    return source + ":" + line + ":" + column + ": " + message;
  }
}
