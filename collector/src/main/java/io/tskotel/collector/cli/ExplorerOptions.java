package io.tskotel.collector.cli;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The time range and attribute filters shared by {@code tskotel traces} and {@code tskotel logs}. */
final class ExplorerOptions {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m|h|d)?");

  @Option(
      names = "--since",
      paramLabel = "DURATION",
      description = "Only the last DURATION, such as 15m, 1h or 2d (default: the collector's, the last hour).")
  @Nullable String since;

  @Option(names = "--from", description = "Range start: RFC 3339 or epoch milliseconds (instead of --since).")
  @Nullable String from;

  @Option(names = "--to", description = "Range end: RFC 3339 or epoch milliseconds (default: now).")
  @Nullable String to;

  @Option(
      names = "--attr",
      paramLabel = "KEY=VALUE",
      description = "Only items whose attribute (or resource attribute) KEY is VALUE; repeatable.")
  List<String> attr = new ArrayList<>();

  /** Adds the range and filters to {@code query}; bad values are the API's to report, except --since's. */
  void addTo(List<Map.Entry<String, String>> query, Clock clock) throws ApiClient.ApiException {
    if (since != null) {
      double ms = millis("--since", since);
      query.add(Map.entry("from", Long.toString(clock.millis() - (long) ms)));
    }
    if (from != null) {
      query.add(Map.entry("from", from));
    }
    if (to != null) {
      query.add(Map.entry("to", to));
    }
    for (String a : attr) {
      query.add(Map.entry("attr", a));
    }
  }

  /** {@code 250ms}, {@code 1.5s}, {@code 2m}, {@code 1h}, {@code 2d}; a bare number is milliseconds. */
  static double millis(String option, String text) throws ApiClient.ApiException {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new ApiClient.ApiException(
          option + ": \"" + text + "\" (expected: a duration such as 250ms, 1.5s, 15m, 1h or 2d)");
    }
    double n = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    return switch (unit) {
      case "ns" -> n / 1e6;
      case "us", "µs" -> n / 1e3;
      case "ms" -> n;
      case "s" -> n * 1e3;
      case "m" -> n * 60e3;
      case "h" -> n * 3600e3;
      default -> n * 86_400e3;
    };
  }

  /** {@code 1.25 ms}, {@code 340 ms}, {@code 2.5 s}. */
  static String duration(double ms) {
    if (ms < 1) {
      return String.format(java.util.Locale.ROOT, "%.3f ms", ms);
    }
    if (ms < 1000) {
      return String.format(java.util.Locale.ROOT, "%.2f ms", ms).replace(".00 ", " ");
    }
    return String.format(java.util.Locale.ROOT, "%.2f s", ms / 1000);
  }

  /** An RFC 3339 time from the API, shorter: to the millisecond. */
  static String time(String rfc3339) {
    try {
      return Instant.parse(rfc3339).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
    } catch (java.time.DateTimeException e) {
      return rfc3339;
    }
  }
}
