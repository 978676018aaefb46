package io.tskotel.tsk.internal;

import io.tskotel.tsk.Instrument;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Prints a {@link Document} as canonical TSK: variables first, then top-level keys, then one {@code
 * [header]} per declared section; other tables print as {@code name { }} blocks indented by two spaces.
 * Parsing the output gives an equal document.
 */
public final class Printer {
  private static final String INDENT = "  ";

  private final Document document;
  private final StringBuilder out = new StringBuilder();

  private Printer(Document document) {
    this.document = document;
  }

  public static String print(Document document) {
    Printer printer = new Printer(document);
    printer.printDocument();
    return printer.out.toString();
  }

  private void printDocument() {
    document.globals().forEach((name, value) -> out.append('$').append(name).append(": ")
        .append(literal(value)).append('\n'));
    printBody(document.root(), "", 0);
    emitSections(document.root(), "");
  }

  /** The entries that belong under the current header (or at the top), without the sections below it. */
  private void printBody(Map<String, @Nullable Object> table, String path, int depth) {
    String indent = INDENT.repeat(depth);
    for (Map.Entry<String, @Nullable Object> entry : table.entrySet()) {
      String childPath = join(path, entry.getKey());
      Object value = entry.getValue();
      if (value instanceof Map) {
        if (isSection(childPath) || containsSection(childPath)) {
          continue;
        }
        out.append(indent).append(entry.getKey()).append(" {\n");
        printBody(asMap(value), childPath, depth + 1);
        out.append(indent).append("}\n");
      } else {
        out.append(indent).append(entry.getKey()).append(": ").append(literal(value)).append('\n');
      }
    }
  }

  private void emitSections(Map<String, @Nullable Object> table, String path) {
    for (Map.Entry<String, @Nullable Object> entry : table.entrySet()) {
      if (!(entry.getValue() instanceof Map)) {
        continue;
      }
      String childPath = join(path, entry.getKey());
      Map<String, @Nullable Object> child = asMap(entry.getValue());
      if (isSection(childPath)) {
        if (out.length() > 0) {
          out.append('\n');
        }
        out.append('[').append(childPath).append("]\n");
        printBody(child, childPath, 0);
        emitSections(child, childPath);
      } else if (containsSection(childPath)) {
        emitSections(child, childPath);
      }
    }
  }

  private boolean isSection(String path) {
    return document.sections().contains(path);
  }

  private boolean containsSection(String path) {
    String prefix = path + ".";
    for (String section : document.sections()) {
      if (section.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** {@code value} as a TSK value literal (tables inline). */
  public static String literal(@Nullable Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      return string((String) value);
    }
    if (value instanceof Instrument) {
      Instrument instrument = (Instrument) value;
      StringBuilder sb = new StringBuilder("@metric(");
      sb.append(string(instrument.kind().tskName())).append(", ").append(string(instrument.name()));
      if (!instrument.unit().isEmpty() || !instrument.description().isEmpty()) {
        sb.append(", ").append(string(instrument.unit()));
      }
      if (!instrument.description().isEmpty()) {
        sb.append(", ").append(string(instrument.description()));
      }
      return sb.append(')').toString();
    }
    if (value instanceof List) {
      StringBuilder sb = new StringBuilder("[");
      List<?> list = (List<?>) value;
      for (int i = 0; i < list.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(literal(list.get(i)));
      }
      return sb.append(']').toString();
    }
    if (value instanceof Map) {
      Map<String, @Nullable Object> map = asMap(value);
      if (map.isEmpty()) {
        return "{}";
      }
      StringBuilder sb = new StringBuilder("{ ");
      boolean first = true;
      for (Map.Entry<String, @Nullable Object> entry : map.entrySet()) {
        sb.append(first ? "" : ", ").append(entry.getKey()).append(": ").append(literal(entry.getValue()));
        first = false;
      }
      return sb.append(" }").toString();
    }
    // Integer, Long, Double (always finite, printed with a '.' or an exponent) and Boolean.
    return value.toString();
  }

  private static String string(String s) {
    // A '\r' would not survive the parser's line-end normalization verbatim, so it is escaped instead.
    if (s.indexOf('\n') >= 0 && s.indexOf('\r') < 0) {
      // Multi-line text prints verbatim in whichever triple quote it does not contain.
      if (!s.contains("'''") && !s.endsWith("'")) {
        return "'''\n" + s + "'''";
      }
      if (!s.contains("\"\"\"") && !s.endsWith("\"")) {
        return "\"\"\"\n" + s + "\"\"\"";
      }
    }
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\t':
          sb.append("\\t");
          break;
        case '\r':
          sb.append("\\r");
          break;
        default:
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    return sb.append('"').toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, @Nullable Object> asMap(@Nullable Object value) {
    return (Map<String, @Nullable Object>) value;
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
