package io.tskotel.collector.web;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A chart range as the page sends it: a count and a unit, {@code 90s}, {@code 15m}, {@code 1h}, {@code 7d}. */
final class ChartRange {
  private ChartRange() {}

  private static final Pattern RANGE = Pattern.compile("([0-9]{1,7})([smhdw])");
  static final Duration MIN = Duration.ofMinutes(1);
  static final Duration MAX = Duration.ofDays(31);

  static Duration parse(String text) {
    Matcher m = RANGE.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(describe(text));
    }
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          default -> Duration.ofDays(7 * n);
        };
    if (d.compareTo(MIN) < 0 || d.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(describe(text));
    }
    return d;
  }

  private static String describe(String text) {
    String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
    return "'" + shown + "' (expected: a duration such as 15m, 1h, 24h, 7d; from 1m to 31d)";
  }
}
