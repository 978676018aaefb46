package io.tskotel.collector.web.grafana;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands a panel's SQL the way Grafana and the ClickHouse plugin do before sending it, so the test can run
 * it on the embedded engine. Time values and variables become bound parameters ({@code g_*}, {@code v_*})
 * instead of the literals Grafana writes: same SQL shape, nothing concatenated. Unqualified {@code otel_*}
 * tables get the test's database, as the datasource's default database would supply it.
 *
 * <p>Macros: {@code $__timeFilter(col)}, {@code $__timeInterval(col)}, {@code $__fromTime}, {@code
 * $__toTime}, {@code $__interval_s}, {@code $__conditionalAll(cond, $var)}; variables {@code
 * ${name:sqlstring}} and {@code ${name:singlequote}}. Anything else left with a {@code $} fails.
 */
final class GrafanaMacros {
  /** The value of a multi-value variable set to All. */
  static final String ALL = "$__all";

  record Expanded(String sql, Map<String, String> params) {}

  private static final Pattern TABLE = Pattern.compile("\\b(FROM|JOIN)\\s+(otel_[a-z_]+)\\b");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([a-z_]+):(sqlstring|singlequote)}");

  private GrafanaMacros() {}

  static Expanded expand(
      String sql,
      String database,
      long fromEpochSecond,
      long toEpochSecond,
      long intervalSeconds,
      Map<String, String> variables) {
    Map<String, String> params = new HashMap<>();
    params.put("g_db", database);
    params.put("g_from", Long.toString(fromEpochSecond));
    params.put("g_to", Long.toString(toEpochSecond));
    params.put("g_interval_s", Long.toString(intervalSeconds));

    String out = conditionalAll(sql, variables);
    out = function(out, "$__timeFilter", col ->
        col + " >= toDateTime({g_from:Int64}) AND " + col + " <= toDateTime({g_to:Int64})");
    out = function(out, "$__timeInterval", col ->
        "toStartOfInterval(toDateTime(" + col + "), toIntervalSecond({g_interval_s:UInt32}))");
    out = out.replace("$__fromTime", "toDateTime({g_from:Int64})");
    out = out.replace("$__toTime", "toDateTime({g_to:Int64})");
    out = out.replace("$__interval_s", "{g_interval_s:UInt32}");

    Matcher v = VARIABLE.matcher(out);
    StringBuilder sb = new StringBuilder();
    while (v.find()) {
      String name = v.group(1);
      String value = variables.get(name);
      if (value == null) {
        throw new AssertionError("variable " + name + " has no value in the test");
      }
      params.put("v_" + name, value);
      v.appendReplacement(sb, Matcher.quoteReplacement("{v_" + name + ":String}"));
    }
    v.appendTail(sb);
    out = TABLE.matcher(sb.toString()).replaceAll("$1 {g_db:Identifier}.$2");
    if (out.contains("$")) {
      throw new AssertionError("unexpanded macro or variable in: " + out);
    }
    return new Expanded(out, params);
  }

  /** {@code $__conditionalAll(cond, $var)}: {@code 1=1} when the variable is All, else the condition. */
  private static String conditionalAll(String sql, Map<String, String> variables) {
    return function(sql, "$__conditionalAll", args -> {
      int comma = topLevelComma(args);
      String condition = args.substring(0, comma).strip();
      String variable = args.substring(comma + 1).strip();
      if (!variable.startsWith("$")) {
        throw new AssertionError("$__conditionalAll needs a $variable, got " + variable);
      }
      String value = variables.get(variable.substring(1));
      if (value == null) {
        throw new AssertionError("variable " + variable + " has no value in the test");
      }
      return value.equals(ALL) ? "1=1" : "(" + condition + ")";
    });
  }

  /** Replaces every {@code name(args)} (balanced parentheses) by {@code f(args)}. */
  private static String function(
      String sql, String name, java.util.function.Function<String, String> f) {
    StringBuilder out = new StringBuilder();
    int from = 0;
    while (true) {
      int at = sql.indexOf(name + "(", from);
      if (at < 0) {
        out.append(sql, from, sql.length());
        return out.toString();
      }
      int open = at + name.length();
      int close = matching(sql, open);
      out.append(sql, from, at).append(f.apply(sql.substring(open + 1, close)));
      from = close + 1;
    }
  }

  private static int matching(String s, int open) {
    int depth = 0;
    boolean quoted = false;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')' && --depth == 0) {
        return i;
      }
    }
    throw new AssertionError("unbalanced parentheses after " + s.substring(0, open));
  }

  private static int topLevelComma(String s) {
    int depth = 0;
    boolean quoted = false;
    for (int i = s.length() - 1; i >= 0; i--) {
      char c = s.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && c == ')') {
        depth++;
      } else if (!quoted && c == '(') {
        depth--;
      } else if (!quoted && c == ',' && depth == 0) {
        return i;
      }
    }
    throw new AssertionError("no comma in $__conditionalAll(" + s + ")");
  }
}
