package io.tskotel.exporter.internal.params;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Typed Java query parameters in the text form ClickHouse parses a {@code {name:Type}} placeholder from
 * (the "Escaped" text format at the top level, quoted values inside arrays and maps). The engine binds
 * them; they never become SQL.
 *
 * <ul>
 *   <li>String, Character, UUID: the text (tab, newline, backslash escaped)
 *   <li>Integer, Long, Short, Byte, BigInteger, BigDecimal: decimal digits
 *   <li>Double, Float: shortest round-trip decimal; {@code nan}, {@code inf}, {@code -inf}
 *   <li>Boolean: {@code true} / {@code false} (binds to Bool; use 1/0 via Integer for UInt8)
 *   <li>Instant: seconds since the epoch with nine decimals, for DateTime64 (any zone, no ambiguity)
 *   <li>Duration: whole nanoseconds, for Int64/UInt64 columns such as {@code otel_traces.Duration}
 *   <li>Collection: an Array, {@code [e1, e2]}; Map: a Map, {@code {k1: v1}}
 *   <li>null: {@code \N}, for Nullable types
 * </ul>
 */
public final class QueryParams {
  private QueryParams() {}

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  /** Formats every parameter; throws IllegalArgumentException naming the first bad name or value. */
  public static Map<String, String> format(Map<String, ?> params) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, ?> e : params.entrySet()) {
      String name = e.getKey();
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("param name: " + name + " (expected: letters, digits and _)");
      }
      out.put(name, formatTop(name, e.getValue()));
    }
    return out;
  }

  static String formatTop(String name, Object value) {
    if (value == null) {
      return "\\N";
    }
    if (value instanceof String || value instanceof Character || value instanceof UUID) {
      return escaped(value.toString());
    }
    if (value instanceof Collection<?> || value instanceof Map<?, ?>) {
      StringBuilder sb = new StringBuilder();
      appendQuoted(sb, name, value);
      return sb.toString();
    }
    return scalar(name, value);
  }

  private static String scalar(String name, Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
        || value instanceof BigInteger) {
      return value.toString();
    }
    if (value instanceof BigDecimal bd) {
      return bd.toPlainString();
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d)) {
        return "nan";
      }
      if (Double.isInfinite(d)) {
        return d > 0 ? "inf" : "-inf";
      }
      return value instanceof Float ? Float.toString((Float) value) : Double.toString(d);
    }
    if (value instanceof Boolean b) {
      return b ? "true" : "false";
    }
    if (value instanceof Instant i) {
      return epochSeconds(i);
    }
    if (value instanceof Duration d) {
      return Long.toString(d.toNanos());
    }
    throw new IllegalArgumentException("param " + name + ": unsupported type " + value.getClass().getName()
        + " (expected: String, Long, Integer, Double, Boolean, Instant, Duration, List, Map)");
  }

  /** {@code 1700000000.123456789}; negative instants as {@code -1.500000000} style exact decimals. */
  static String epochSeconds(Instant i) {
    BigDecimal seconds = BigDecimal.valueOf(i.getEpochSecond()).add(BigDecimal.valueOf(i.getNano(), 9));
    return seconds.setScale(9).toPlainString();
  }

  private static void appendQuoted(StringBuilder sb, String name, Object value) {
    if (value == null) {
      sb.append("NULL");
    } else if (value instanceof String || value instanceof Character || value instanceof UUID) {
      quoted(sb, value.toString());
    } else if (value instanceof Instant i) {
      quoted(sb, epochSeconds(i));
    } else if (value instanceof Collection<?> c) {
      sb.append('[');
      boolean first = true;
      for (Object o : c) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        appendQuoted(sb, name, o);
      }
      sb.append(']');
    } else if (value instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        appendQuoted(sb, name, e.getKey());
        sb.append(':');
        appendQuoted(sb, name, e.getValue());
      }
      sb.append('}');
    } else {
      sb.append(scalar(name, value));
    }
  }

  /** The top-level Escaped text form: the string itself with control characters and backslash escaped. */
  static String escaped(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep = escapeOf(c);
      if (rep != null && sb == null) {
        sb = new StringBuilder(s.length() + 8).append(s, 0, i);
      }
      if (sb != null) {
        if (rep != null) {
          sb.append(rep);
        } else {
          sb.append(c);
        }
      }
    }
    return sb == null ? s : sb.toString();
  }

  private static void quoted(StringBuilder sb, String s) {
    sb.append('\'');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep = c == '\'' ? "\\'" : escapeOf(c);
      if (rep != null) {
        sb.append(rep);
      } else {
        sb.append(c);
      }
    }
    sb.append('\'');
  }

  private static String escapeOf(char c) {
    return switch (c) {
      case '\\' -> "\\\\";
      case '\t' -> "\\t";
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\0' -> "\\0";
      case '\b' -> "\\b";
      case '\f' -> "\\f";
      default -> null;
    };
  }
}
