package io.tskotel.tsk.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Parses sizes such as {@code 16MiB}, {@code 1GiB}, {@code 512KiB}, {@code 10MB} or a plain byte count. */
public final class Sizes {
  private static final Pattern SIZE = Pattern.compile("([0-9]+)\\s*(B|KB|KIB|MB|MIB|GB|GIB|TB|TIB)?");

  private Sizes() {}

  /** The byte count {@code text} denotes, or null when it is not a size (or overflows). */
  public static @Nullable Long parse(String text) {
    Matcher m = SIZE.matcher(text.trim().toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      return null;
    }
    long multiplier = switch (m.group(2) == null ? "B" : m.group(2)) {
      case "KB" -> 1_000L;
      case "KIB" -> 1L << 10;
      case "MB" -> 1_000_000L;
      case "MIB" -> 1L << 20;
      case "GB" -> 1_000_000_000L;
      case "GIB" -> 1L << 30;
      case "TB" -> 1_000_000_000_000L;
      case "TIB" -> 1L << 40;
      default -> 1L;
    };
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
    } catch (ArithmeticException | NumberFormatException e) {
      return null;
    }
  }
}
