package io.tskotel.tsk.internal;

/** A 1-based line and column (columns count characters; a tab is one column). */
public record Position(int line, int column) {
  @Override
  public String toString() {
    return line + ":" + column;
  }
}
