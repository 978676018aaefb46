package io.tskotel.tsk.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The document the parser builds: tables, sections and {@code $variables}, with the rules for what may
 * define what (duplicates, dotted keys reaching into values, headers reaching into blocks, fujsen keys).
 * The parser decides what the text says; this decides whether it may say it, reports where not, and
 * finally freezes the result into an immutable {@link Document}.
 */
final class Tree {
  private final Diagnostics diagnostics;
  private final Table root = new Table(Table.Kind.ROOT, new Position(1, 1));
  private final LinkedHashMap<String, @Nullable Object> globals = new LinkedHashMap<>();
  private final Map<String, Position> globalPositions = new HashMap<>();
  private final List<String> sections = new ArrayList<>();

  Tree(Diagnostics diagnostics) {
    this.diagnostics = diagnostics;
  }

  /** The top-level table, where entries before the first header go. */
  Table root() {
    return root;
  }

  /**
   * The table a {@code [header]} named {@code name} (split into {@code segments}) declares, creating the
   * tables on its path; null (after reporting) when it repeats a section or reaches into a value or block.
   */
  @Nullable Table declareSection(Token name, List<String> segments) {
    Table table = root;
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      boolean last = i == segments.size() - 1;
      if (path.length() > 0) {
        path.append('.');
      }
      path.append(segment);
      if (!table.entries.containsKey(segment)) {
        Table child = new Table(last ? Table.Kind.SECTION : Table.Kind.HEADER_IMPLICIT, name.position());
        table.put(segment, child, name.position());
        table = child;
        continue;
      }
      Object existing = table.entries.get(segment);
      Position first = table.positions.get(segment);
      Table.Kind kind = existing instanceof Table ? ((Table) existing).kind : null;
      if (kind == Table.Kind.HEADER_IMPLICIT || (kind == Table.Kind.SECTION && !last)) {
        if (last) {
          ((Table) existing).kind = Table.Kind.SECTION;
          table.positions.put(segment, name.position());
        }
        table = (Table) existing;
      } else if (kind == Table.Kind.SECTION) {
        diagnostics.error(
            name, "duplicate section [" + name.text() + "] (first declared at " + at(first) + ")");
        return null;
      } else {
        diagnostics.error(
            name,
            "section [" + name.text() + "] conflicts with key '" + path + "' defined at " + at(first));
        return null;
      }
    }
    sections.add(name.text());
    return table;
  }

  /**
   * Defines {@code key} (split into {@code segments}) in {@code table}, creating the tables a dotted key
   * implies.
   *
   * @param tablePath the dotted path of {@code table} for messages, or null when it has none
   */
  void define(
      Table table, @Nullable String tablePath, List<String> segments, Token key, @Nullable Object value) {
    Table target = table;
    for (int i = 0; i < segments.size() - 1; i++) {
      String segment = segments.get(i);
      Object existing = target.entries.get(segment);
      if (!target.entries.containsKey(segment)) {
        Table child = new Table(Table.Kind.DOTTED_IMPLICIT, key.position());
        target.put(segment, child, key.position());
        target = child;
      } else if (existing instanceof Table && ((Table) existing).kind == Table.Kind.DOTTED_IMPLICIT) {
        target = (Table) existing;
      } else {
        String prefix = String.join(".", segments.subList(0, i + 1));
        diagnostics.error(
            key,
            "key '" + key.text() + "' conflicts with '" + describePath(tablePath, prefix) + "' defined at "
                + at(target.positions.get(segment)));
        return;
      }
    }
    String last = segments.get(segments.size() - 1);
    if (target.entries.containsKey(last)) {
      diagnostics.error(
          key,
          "duplicate key '" + describePath(tablePath, key.text()) + "' (first defined at "
              + at(target.positions.get(last)) + ")");
      return;
    }
    if (last.endsWith("_fujsen")) {
      if (last.equals("_fujsen")) {
        diagnostics.error(key, "a fujsen key needs a function name before '_fujsen'");
      } else if (!(value instanceof String)) {
        diagnostics.error(
            key,
            "'" + last + "' declares fujsen '" + Parser.fujsenName(last) + "' and must hold its body as a string");
      }
    }
    target.put(last, value, key.position());
  }

  /** Defines {@code $name}; a variable is defined once. */
  void defineVariable(Token variable, @Nullable Object value) {
    String name = String.valueOf(variable.value());
    if (globals.containsKey(name)) {
      diagnostics.error(
          variable,
          "duplicate variable " + variable.text() + " (first defined at " + at(globalPositions.get(name)) + ")");
      return;
    }
    globals.put(name, value);
    globalPositions.put(name, variable.position());
  }

  /** The value of the variable {@code reference} names; null (after reporting) when it is not defined yet. */
  @Nullable Object variable(Token reference) {
    String name = String.valueOf(reference.value());
    if (!globals.containsKey(name)) {
      String defined =
          globals.isEmpty()
              ? "none"
              : globals.keySet().stream().map(n -> "$" + n).collect(Collectors.joining(", "));
      diagnostics.error(
          reference, "undefined variable " + reference.text() + " (defined before this line: " + defined + ")");
      return null;
    }
    return globals.get(name);
  }

  /** The finished document: immutable maps and lists, with the position every key was defined at. */
  Document freeze() {
    Map<String, Position> positions = new HashMap<>();
    @SuppressWarnings("unchecked")
    Map<String, @Nullable Object> tree =
        (Map<String, @Nullable Object>) freezeValue(root, "", positions);
    Map<String, @Nullable Object> frozenGlobals = new LinkedHashMap<>();
    globals.forEach((name, value) -> frozenGlobals.put(name, freezeValue(value, null, positions)));
    globalPositions.forEach((name, position) -> positions.put("$" + name, position));
    return new Document(tree, sections, Collections.unmodifiableMap(frozenGlobals), positions);
  }

  private static @Nullable Object freezeValue(
      @Nullable Object value, @Nullable String path, Map<String, Position> positions) {
    if (value instanceof Table) {
      Table table = (Table) value;
      Map<String, @Nullable Object> map = new LinkedHashMap<>();
      table.entries.forEach(
          (key, child) -> {
            String childPath = path == null ? null : join(path, key);
            if (childPath != null) {
              positions.put(childPath, table.positions.get(key));
            }
            map.put(key, freezeValue(child, childPath, positions));
          });
      return Collections.unmodifiableMap(map);
    }
    if (value instanceof List) {
      List<@Nullable Object> list = new ArrayList<>();
      for (Object item : (List<?>) value) {
        list.add(freezeValue(item, null, positions));
      }
      return Collections.unmodifiableList(list);
    }
    return value;
  }

  /** {@code line L, column C} for messages that point back at an earlier definition. */
  static String at(@Nullable Position position) {
    return position == null ? "?" : "line " + position.line() + ", column " + position.column();
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String describePath(@Nullable String tablePath, String key) {
    return tablePath == null ? key : join(tablePath, key);
  }
}
