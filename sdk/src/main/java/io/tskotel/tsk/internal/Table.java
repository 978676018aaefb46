package io.tskotel.tsk.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A table while it is being parsed: entries in document order plus where each was defined. */
final class Table {
  /** How a table came to exist; decides what may later add to it or redefine it. */
  enum Kind {
    ROOT,
    /** Declared by a {@code [header]}. */
    SECTION,
    /** A parent created by a dotted header such as {@code [a.b]}; a later {@code [a]} may declare it. */
    HEADER_IMPLICIT,
    /** A parent created by a dotted key such as {@code a.b: 1}; later dotted keys may add to it. */
    DOTTED_IMPLICIT,
    /** A {@code name { }} / {@code name > <} block or an inline {@code { }} object. */
    BLOCK
  }

  Kind kind;
  final Position position;
  final LinkedHashMap<String, @Nullable Object> entries = new LinkedHashMap<>();
  final Map<String, Position> positions = new HashMap<>();

  Table(Kind kind, Position position) {
    this.kind = kind;
    this.position = position;
  }

  void put(String key, @Nullable Object value, Position at) {
    entries.put(key, value);
    positions.put(key, at);
  }
}
