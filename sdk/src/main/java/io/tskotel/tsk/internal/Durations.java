package io.tskotel.tsk.internal;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Parses durations written as {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d} or {@code 1h30m}. */
public final class Durations {
  private static final Pattern WHOLE = Pattern.compile("([0-9]+(ms|s|m|h|d))+");
  private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h|d)");

  private Durations() {}

  /** Whether {@code text} is written like a duration (it may still overflow). */
  static boolean looksLike(String text) {
    return WHOLE.matcher(text).matches();
  }

  /** The duration {@code text} denotes, or null when it is not one (or overflows). */
  public static @Nullable Duration parse(String text) {
    if (!looksLike(text)) {
      return null;
    }
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(text);
    try {
      while (part.find()) {
        long amount = Long.parseLong(part.group(1));
        switch (part.group(2)) {
          case "ms":
            total = total.plusMillis(amount);
            break;
          case "s":
            total = total.plusSeconds(amount);
            break;
          case "m":
            total = total.plus(Duration.ofMinutes(amount));
            break;
          case "h":
            total = total.plus(Duration.ofHours(amount));
            break;
          default:
            total = total.plus(Duration.ofDays(amount));
            break;
        }
      }
    } catch (ArithmeticException | NumberFormatException e) {
      return null;
    }
    return total;
  }
}
