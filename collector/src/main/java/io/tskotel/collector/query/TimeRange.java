package io.tskotel.collector.query;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A window that ends now: a positive duration ({@code 90s}, {@code 5m}, {@code 1h}, {@code 24h}, {@code 7d},
 * {@code 2w}, {@code 500ms}) or {@code all} (no lower bound).
 */
public record TimeRange(@Nullable Duration length) {

  /** The text accepted by {@link #parse}, for error messages. */
  public static final String ALLOWED =
      "1m, 5m, 1h, 24h, 7d, any duration as <number><ms|s|m|h|d|w> such as 90s, 15m or 30d, or all";

  public static final TimeRange ALL = new TimeRange(null);

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d|w)");
  // Ten years: far enough for any retention, small enough that now - length never underflows an Instant.
  private static final Duration MAX = Duration.ofDays(3660);

  public TimeRange {
    if (length != null && (length.isNegative() || length.isZero() || length.compareTo(MAX) > 0)) {
      throw new IllegalArgumentException("range: " + length + " (expected: > 0 and <= 3660d)");
    }
  }

  public static TimeRange of(Duration length) {
    return new TimeRange(requireNonNull(length, "length"));
  }

  /**
   * Parses a range as the API and the CLI take it.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static TimeRange parse(String text) {
    if (text != null) {
      String t = text.trim().toLowerCase(Locale.ROOT);
      if (t.equals("all")) {
        return ALL;
      }
      Matcher m = DURATION.matcher(t);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        Duration d =
            switch (m.group(2)) {
              case "ms" -> Duration.ofMillis(n);
              case "s" -> Duration.ofSeconds(n);
              case "m" -> Duration.ofMinutes(n);
              case "h" -> Duration.ofHours(n);
              case "d" -> Duration.ofDays(n);
              default -> Duration.ofDays(7 * n);
            };
        if (!d.isZero() && d.compareTo(MAX) <= 0) {
          return new TimeRange(d);
        }
      }
    }
    throw new IllegalArgumentException("range: \"" + text + "\" (expected: " + ALLOWED + ")");
  }

  public boolean isAll() {
    return length == null;
  }

  public Optional<Duration> duration() {
    return Optional.ofNullable(length);
  }

  /** The first instant inside the window that ends at {@code now}; the epoch for {@link #ALL}. */
  public Instant start(Instant now) {
    return length == null ? Instant.EPOCH : now.minus(length);
  }

  @Override
  public String toString() {
    return length == null ? "all" : length.toString();
  }
}
