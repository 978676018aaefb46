package io.tskotel.collector.query.prometheus;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Writes families in the Prometheus text exposition format 0.0.4. No sample timestamps: the stored points
 * may be minutes old, and Prometheus stamps a scrape with its own time (a timestamp older than its head
 * block would be rejected as out of bounds).
 */
final class TextFormat {
  private TextFormat() {}

  static void write(List<Family> families, StringBuilder out) {
    for (Family f : families) {
      out.append("# HELP ").append(f.name()).append(' ');
      escapeHelp(f.help(), out);
      out.append('\n');
      out.append("# TYPE ").append(f.name()).append(' ').append(f.type().text()).append('\n');
      for (Series s : f.series()) {
        switch (s) {
          case Series.Scalar scalar -> sample(out, f.name(), scalar.labels(), null, null, scalar.value());
          case Series.Histogram h -> {
            for (int i = 0; i < h.upperBounds().size(); i++) {
              sample(
                  out,
                  f.name() + "_bucket",
                  h.labels(),
                  "le",
                  formatDouble(h.upperBounds().get(i)),
                  h.cumulativeCounts().get(i));
            }
            sample(out, f.name() + "_bucket", h.labels(), "le", "+Inf", h.count());
            sample(out, f.name() + "_sum", h.labels(), null, null, h.sum());
            sample(out, f.name() + "_count", h.labels(), null, null, h.count());
          }
          case Series.Summary sm -> {
            for (int i = 0; i < sm.quantiles().size(); i++) {
              sample(
                  out,
                  f.name(),
                  sm.labels(),
                  "quantile",
                  formatDouble(sm.quantiles().get(i)),
                  sm.values().get(i));
            }
            sample(out, f.name() + "_sum", sm.labels(), null, null, sm.sum());
            sample(out, f.name() + "_count", sm.labels(), null, null, sm.count());
          }
        }
      }
    }
  }

  private static void sample(
      StringBuilder out,
      String name,
      SortedMap<String, String> labels,
      String extraName,
      String extraValue,
      double value) {
    out.append(name);
    if (!labels.isEmpty() || extraName != null) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, String> e : labels.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        out.append(e.getKey()).append("=\"");
        escapeLabelValue(e.getValue(), out);
        out.append('"');
      }
      if (extraName != null) {
        if (!first) {
          out.append(',');
        }
        out.append(extraName).append("=\"").append(extraValue).append('"');
      }
      out.append('}');
    }
    out.append(' ').append(formatDouble(value)).append('\n');
  }

  /**
   * Integral values up to 2^53 without a fraction ({@code 42}), others as Java writes them ({@code 0.25},
   * {@code 1.0E-4}), which Go's ParseFloat in Prometheus reads; {@code NaN}, {@code +Inf}, {@code -Inf}.
   */
  static String formatDouble(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) <= 9.007199254740992E15) {
      if (v == 0 && Double.doubleToRawLongBits(v) != 0) {
        return "-0";
      }
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  static void escapeLabelValue(String v, StringBuilder out) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }

  static void escapeHelp(String v, StringBuilder out) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }
}
