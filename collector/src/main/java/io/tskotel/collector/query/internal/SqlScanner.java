package io.tskotel.collector.query.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a user-written ClickHouse statement just far enough to find its {@code {name:Type}} placeholders and
 * to refuse a second statement after a {@code ;}. Quoted strings, quoted identifiers and comments are
 * skipped, so a {@code ;} or a brace inside them means nothing. The engine still enforces read-only access:
 * this only gives clear errors early.
 */
public final class SqlScanner {
  private SqlScanner() {}

  public record Placeholder(String name, String type) {}

  public record Scan(String firstKeyword, Map<String, String> placeholders, boolean multipleStatements) {}

  public static Scan scan(String sql) {
    Map<String, String> placeholders = new LinkedHashMap<>();
    List<String> conflicts = new ArrayList<>();
    String firstKeyword = null;
    boolean sawTerminator = false;
    boolean multiple = false;
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        i = skipQuoted(sql, i, c);
        if (sawTerminator) {
          multiple = true;
        }
        continue;
      }
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-' || c == '#') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
        continue;
      }
      if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        continue;
      }
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      if (sawTerminator && c != ';') {
        multiple = true;
      }
      if (c == ';') {
        sawTerminator = true;
        i++;
        continue;
      }
      if (c == '{') {
        int end = sql.indexOf('}', i + 1);
        if (end > 0) {
          String inner = sql.substring(i + 1, end);
          int colon = inner.indexOf(':');
          if (colon > 0) {
            String name = inner.substring(0, colon).trim();
            String type = inner.substring(colon + 1).trim();
            if (name.matches("[A-Za-z_][A-Za-z0-9_]*") && !type.isEmpty()) {
              String previous = placeholders.putIfAbsent(name, type);
              if (previous != null && !previous.equals(type)) {
                conflicts.add(name);
              }
            }
          }
          i = end + 1;
          continue;
        }
      }
      if (firstKeyword == null && Character.isLetter(c)) {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
          i++;
        }
        firstKeyword = sql.substring(start, i);
        continue;
      }
      if (firstKeyword == null) {
        firstKeyword = String.valueOf(c);
      }
      i++;
    }
    if (!conflicts.isEmpty()) {
      throw new IllegalArgumentException(
          "parameters " + conflicts + " are declared with two different types");
    }
    return new Scan(firstKeyword == null ? "" : firstKeyword, placeholders, multiple);
  }

  private static int skipQuoted(String sql, int start, char quote) {
    int i = start + 1;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == quote) {
        if (i + 1 < n && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return n;
  }
}
