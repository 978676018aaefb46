package io.tskotel.exporter.internal.rowbinary;

import java.util.ArrayList;
import java.util.List;

/**
 * A column's type as the RowBinary → Native transcoder needs it: how one value is laid out in RowBinary,
 * and the type name to announce in a Native block. {@code LowCardinality(T)} becomes plain {@code T}
 * (the engine converts on insert), so no dictionaries are ever sent.
 */
public sealed interface ColumnType {

  /** The type name written in the Native block. */
  String nativeName();

  /** A value of a fixed number of bytes, the same in RowBinary and Native. */
  record Fixed(String nativeName, int width) implements ColumnType {}

  /** {@code String}: a varint length and the bytes, the same in RowBinary and Native. */
  record Str() implements ColumnType {
    @Override
    public String nativeName() {
      return "String";
    }
  }

  record Array(ColumnType element) implements ColumnType {
    @Override
    public String nativeName() {
      return "Array(" + element.nativeName() + ")";
    }
  }

  /** {@code Map(K, V)}: in Native an {@code Array(Tuple(K, V))}: offsets, all keys, all values. */
  record MapOf(ColumnType key, ColumnType value) implements ColumnType {
    @Override
    public String nativeName() {
      return "Map(" + key.nativeName() + ", " + value.nativeName() + ")";
    }
  }

  /** {@code Nullable(T)}: in RowBinary a null flag before each value, in Native a null map column first. */
  record Nullable(ColumnType inner) implements ColumnType {
    @Override
    public String nativeName() {
      return "Nullable(" + inner.nativeName() + ")";
    }
  }

  /**
   * Parses a type name as the engine reports it ({@code system.columns.type}).
   *
   * @throws IllegalArgumentException for a type the transcoder does not handle (Tuple, Variant, JSON, ...)
   */
  static ColumnType parse(String type) {
    String t = type.strip();
    int open = t.indexOf('(');
    String head = open < 0 ? t : t.substring(0, open);
    List<String> args = open < 0 ? List.of() : arguments(t, open);
    switch (head) {
      case "LowCardinality":
        return parse(one(t, args));
      case "Nullable":
        return new Nullable(parse(one(t, args)));
      case "Array":
        return new Array(parse(one(t, args)));
      case "Map":
        if (args.size() != 2) {
          throw new IllegalArgumentException("type " + t + " (expected: Map(K, V))");
        }
        return new MapOf(parse(args.get(0)), parse(args.get(1)));
      case "String":
        return new Str();
      case "FixedString":
        return new Fixed(t, Integer.parseInt(one(t, args).strip()));
      default:
        int width = fixedWidth(head);
        if (width < 0) {
          throw new IllegalArgumentException("type " + t + " (expected: a fixed-width, String, Array, Map,"
              + " Nullable or LowCardinality type)");
        }
        return new Fixed(t, width);
    }
  }

  private static int fixedWidth(String head) {
    return switch (head) {
      case "UInt8", "Int8", "Bool", "Enum8" -> 1;
      case "UInt16", "Int16", "Date", "Enum16" -> 2;
      case "UInt32", "Int32", "Float32", "DateTime", "Date32", "IPv4", "Decimal32" -> 4;
      case "UInt64", "Int64", "Float64", "DateTime64", "Decimal64" -> 8;
      case "UInt128", "Int128", "UUID", "IPv6", "Decimal128" -> 16;
      case "UInt256", "Int256", "Decimal256" -> 32;
      default -> -1;
    };
  }

  private static String one(String type, List<String> args) {
    if (args.size() != 1) {
      throw new IllegalArgumentException("type " + type + " (expected: one type argument)");
    }
    return args.get(0);
  }

  /** The comma-separated arguments inside the outer parentheses, nesting and quotes respected. */
  private static List<String> arguments(String type, int open) {
    if (!type.endsWith(")")) {
      throw new IllegalArgumentException("type " + type + " (expected: a closing parenthesis)");
    }
    List<String> args = new ArrayList<>();
    int depth = 0;
    boolean quoted = false;
    int start = open + 1;
    for (int i = open + 1; i < type.length() - 1; i++) {
      char c = type.charAt(i);
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '\'') {
          quoted = false;
        }
      } else if (c == '\'') {
        quoted = true;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        args.add(type.substring(start, i).strip());
        start = i + 1;
      }
    }
    args.add(type.substring(start, type.length() - 1).strip());
    return args;
  }
}
