package io.tskotel.collector.query;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Instants as the explorer API reads and writes them: RFC 3339 in UTC with all nine fraction digits (so a
 * time read back as a paging bound means exactly that nanosecond), or epoch milliseconds on input.
 */
public final class Times {
  private static final DateTimeFormatter NANOS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private Times() {}

  /** {@code 2026-12-01T23:00:00.123456789Z}. */
  public static String format(Instant t) {
    return NANOS.format(t);
  }

  /**
   * Parses RFC 3339 (any offset; fraction to the nanosecond) or epoch milliseconds.
   *
   * @throws IllegalArgumentException naming {@code param} and the accepted forms
   */
  public static Instant parse(String param, String text) {
    String t = text.trim();
    try {
      if (t.matches("-?\\d{1,15}")) {
        return Instant.ofEpochMilli(Long.parseLong(t));
      }
      return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException(param + ": \"" + text
          + "\" (expected: RFC 3339 such as 2026-12-01T23:00:00Z, or epoch milliseconds)");
    }
  }

  /** Unix nanoseconds, for the SQL's {@code fromUnixTimestamp64Nano}. */
  static long nanos(Instant t) {
    return MetricQueries.nanos(t);
  }

  /** The bound parameters every query over a time range takes: the database and both ends in nanoseconds. */
  static Map<String, Object> rangeParams(String database, Instant from, Instant to) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("db", database);
    p.put("from_ns", nanos(from));
    p.put("to_ns", nanos(to));
    return p;
  }

  static double millisBetween(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }

  /** {@code 7d}, {@code 36h}, {@code 90m}, {@code 42s}, or ISO-8601 for what fits none of them. */
  static String describe(Duration d) {
    long s = d.toSeconds();
    if (d.toNanosPart() == 0 && s > 0) {
      if (s % 86_400 == 0) {
        return s / 86_400 + "d";
      }
      if (s % 3600 == 0) {
        return s / 3600 + "h";
      }
      if (s % 60 == 0) {
        return s / 60 + "m";
      }
      return s + "s";
    }
    return d.toString();
  }
}
