package io.tskotel.tsk.internal;

import org.jspecify.annotations.Nullable;

/**
 * One lexeme. {@code value} holds the decoded string or number; {@code firstOnLine} is true when no other
 * token precedes this one on its line (block closes must stand on their own line).
 */
record Token(
    TokenType type, String text, @Nullable Object value, int line, int column, boolean firstOnLine) {

  Position position() {
    return new Position(line, column);
  }

  /** How the token is named in error messages. */
  String describe() {
    switch (type) {
      case NEWLINE:
      case EOF:
      case ERROR:
        return type.description;
      case STRING:
        return "string " + text;
      default:
        return "'" + text + "'";
    }
  }
}
