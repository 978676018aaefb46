package io.tskotel.collector.query;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** The OpenTelemetry log severities, each at the lowest SeverityNumber of its range (TRACE 1..4, …). */
public enum Severity {
  TRACE(1),
  DEBUG(5),
  INFO(9),
  WARN(13),
  ERROR(17),
  FATAL(21);

  private final int number;

  Severity(int number) {
    this.number = number;
  }

  /** The lowest SeverityNumber of this severity. */
  public int number() {
    return number;
  }

  /**
   * A severity by name, case-insensitive; {@code WARNING} and {@code CRITICAL} as their usual aliases.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static Severity parse(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    return switch (t) {
      case "WARNING" -> WARN;
      case "CRITICAL" -> FATAL;
      default -> {
        for (Severity s : values()) {
          if (s.name().equals(t)) {
            yield s;
          }
        }
        throw new IllegalArgumentException(
            "severity: \"" + text + "\" (expected: TRACE, DEBUG, INFO, WARN, ERROR or FATAL)");
      }
    };
  }

  /** The severity a SeverityNumber (1..24) falls in; null for 0 (unspecified) and out of range. */
  public static @Nullable Severity ofNumber(int n) {
    if (n < 1 || n > 24) {
      return null;
    }
    return values()[(n - 1) / 4];
  }

  /** The texts, upper case, of this severity and every higher one (with their aliases). */
  List<String> textsAtLeast() {
    return Stream.of(values())
        .filter(s -> s.compareTo(this) >= 0)
        .flatMap(s -> switch (s) {
          case WARN -> Stream.of("WARN", "WARNING");
          case FATAL -> Stream.of("FATAL", "CRITICAL");
          case ERROR -> Stream.of("ERROR", "ERR");
          default -> Stream.of(s.name());
        })
        .toList();
  }
}
