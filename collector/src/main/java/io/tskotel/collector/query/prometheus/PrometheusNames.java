package io.tskotel.collector.query.prometheus;

import java.util.Map;

/**
 * OpenTelemetry names to Prometheus names, after the OpenTelemetry "Prometheus and OpenMetrics
 * compatibility" specification: invalid characters become {@code _} (runs collapsed), a leading digit gets a
 * {@code _} prefix, the unit becomes a suffix in words ({@code s} → {@code _seconds}, {@code By} → {@code
 * _bytes}, {@code 1} on a gauge → {@code _ratio}, {@code {annotations}} dropped) unless the name already ends
 * with it, and monotonic counters end with {@code _total}.
 */
final class PrometheusNames {
  private PrometheusNames() {}

  private static final Map<String, String> UNITS =
      Map.ofEntries(
          Map.entry("d", "days"),
          Map.entry("h", "hours"),
          Map.entry("min", "minutes"),
          Map.entry("s", "seconds"),
          Map.entry("ms", "milliseconds"),
          Map.entry("us", "microseconds"),
          Map.entry("ns", "nanoseconds"),
          Map.entry("By", "bytes"),
          Map.entry("KiBy", "kibibytes"),
          Map.entry("MiBy", "mebibytes"),
          Map.entry("GiBy", "gibibytes"),
          Map.entry("TiBy", "tebibytes"),
          Map.entry("KBy", "kilobytes"),
          Map.entry("MBy", "megabytes"),
          Map.entry("GBy", "gigabytes"),
          Map.entry("TBy", "terabytes"),
          Map.entry("m", "meters"),
          Map.entry("V", "volts"),
          Map.entry("A", "amperes"),
          Map.entry("J", "joules"),
          Map.entry("W", "watts"),
          Map.entry("g", "grams"),
          Map.entry("Cel", "celsius"),
          Map.entry("Hz", "hertz"),
          Map.entry("%", "percent"));

  private static final Map<String, String> PER_UNITS =
      Map.of(
          "s", "second", "m", "minute", "h", "hour", "d", "day", "w", "week", "mo", "month", "y",
          "year");

  /**
   * A unit and how to turn values in it into that unit: {@code value * multiplier / divisor}. Prometheus
   * wants base units (promtool flags {@code _milliseconds}, {@code _kibibytes}), so durations become seconds
   * and multiples of bytes bytes; everything else keeps its unit ({@link #NONE}).
   */
  record Scale(String unit, double multiplier, double divisor) {
    static final Scale NONE = new Scale("", 1, 1);

    double apply(double v) {
      return v * multiplier / divisor;
    }
  }

  private static final Map<String, Scale> TO_BASE =
      Map.ofEntries(
          Map.entry("ns", new Scale("s", 1, 1e9)),
          Map.entry("us", new Scale("s", 1, 1e6)),
          Map.entry("ms", new Scale("s", 1, 1e3)),
          Map.entry("min", new Scale("s", 60, 1)),
          Map.entry("h", new Scale("s", 3600, 1)),
          Map.entry("d", new Scale("s", 86400, 1)),
          Map.entry("KiBy", new Scale("By", 1024, 1)),
          Map.entry("MiBy", new Scale("By", 1024d * 1024, 1)),
          Map.entry("GiBy", new Scale("By", 1024d * 1024 * 1024, 1)),
          Map.entry("TiBy", new Scale("By", 1024d * 1024 * 1024 * 1024, 1)),
          Map.entry("KBy", new Scale("By", 1e3, 1)),
          Map.entry("MBy", new Scale("By", 1e6, 1)),
          Map.entry("GBy", new Scale("By", 1e9, 1)),
          Map.entry("TBy", new Scale("By", 1e12, 1)));

  /** The base unit for {@code unit} and the factor to it; the unit itself with factor 1 otherwise. */
  static Scale toBaseUnit(String unit) {
    Scale s = TO_BASE.get(unit.trim());
    return s != null ? s : new Scale(unit, 1, 1);
  }

  /**
   * The sample name of a metric family. {@code counter} means a monotonic sum (gets {@code _total}); {@code
   * gauge} lets unit {@code 1} become {@code _ratio}.
   */
  static String metricName(String otelName, String unit, PromType type) {
    String name = sanitizeMetricName(otelName);
    boolean counter = type == PromType.COUNTER;
    if (counter && name.endsWith("_total")) {
      name = name.substring(0, name.length() - "_total".length());
    }
    String suffix = unitSuffix(unit, type);
    if (!suffix.isEmpty() && !name.endsWith("_" + suffix) && !name.equals(suffix)) {
      name = name + "_" + suffix;
    }
    if (counter) {
      name = name + "_total";
    }
    return name;
  }

  /** {@code [a-zA-Z_:][a-zA-Z0-9_:]*}: invalid characters become {@code _}, runs of {@code _} one. */
  static String sanitizeMetricName(String name) {
    if (name.isEmpty()) {
      return "_";
    }
    StringBuilder out = new StringBuilder(name.length() + 1);
    if (name.charAt(0) >= '0' && name.charAt(0) <= '9') {
      out.append('_');
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      char mapped = isMetricChar(c) ? c : '_';
      if (mapped == '_' && !out.isEmpty() && out.charAt(out.length() - 1) == '_') {
        continue;
      }
      out.append(mapped);
    }
    return out.toString();
  }

  /**
   * {@code [a-zA-Z_][a-zA-Z0-9_]*}: invalid characters become {@code _}; a leading digit gets {@code key_};
   * a leading {@code __} (reserved by Prometheus) gets {@code key}. Returns "" for an empty key (dropped).
   */
  static String sanitizeLabelName(String name) {
    if (name.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      out.append(isLabelChar(c) ? c : '_');
    }
    if (out.charAt(0) >= '0' && out.charAt(0) <= '9') {
      out.insert(0, "key_");
    } else if (out.length() >= 2 && out.charAt(0) == '_' && out.charAt(1) == '_') {
      out.insert(0, "key");
    }
    return out.toString();
  }

  /** The unit in words, "" when there is none or it is only an annotation. */
  static String unitSuffix(String unit, PromType type) {
    String u = stripAnnotations(unit).trim();
    if (u.isEmpty()) {
      return "";
    }
    if (u.equals("1")) {
      return type == PromType.GAUGE ? "ratio" : "";
    }
    int slash = u.indexOf('/');
    if (slash >= 0) {
      String num = u.substring(0, slash).trim();
      String den = u.substring(slash + 1).trim();
      String numWords = num.isEmpty() || num.equals("1") ? "" : word(UNITS, num);
      String denWords = den.isEmpty() ? "" : word(PER_UNITS, den);
      if (denWords.isEmpty()) {
        return numWords;
      }
      return numWords.isEmpty() ? "per_" + denWords : numWords + "_per_" + denWords;
    }
    return word(UNITS, u);
  }

  private static String word(Map<String, String> table, String unit) {
    String w = table.get(unit);
    if (w != null) {
      return w;
    }
    String s = sanitizeMetricName(unit);
    // Trim the underscores sanitizing may leave at the edges: they would double up in the joined name.
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '_') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '_') {
      end--;
    }
    return s.substring(start, end);
  }

  private static String stripAnnotations(String unit) {
    if (unit.indexOf('{') < 0) {
      return unit;
    }
    StringBuilder out = new StringBuilder(unit.length());
    int depth = 0;
    for (int i = 0; i < unit.length(); i++) {
      char c = unit.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && depth > 0) {
        depth--;
      } else if (depth == 0) {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isMetricChar(char c) {
    return isLabelChar(c) || c == ':';
  }

  private static boolean isLabelChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
}
