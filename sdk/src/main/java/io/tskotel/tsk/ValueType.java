package io.tskotel.tsk;

import io.tskotel.tsk.internal.Sizes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a {@link SettingsReader.Section} reads one key: the TSK getter for its type, or a parser of its own. A
 * value of the wrong type or form throws {@link IllegalArgumentException} whose message says where ({@code
 * file:line:col: section.key: ...}) and what was expected; {@link #invalid} builds such a message.
 *
 * @param <T> the Java type of the value
 */
@FunctionalInterface
public interface ValueType<T> {
  ValueType<String> STRING = Tsk::getString;
  ValueType<Integer> INT = Tsk::getInt;
  ValueType<Long> LONG = Tsk::getLong;
  ValueType<Double> DOUBLE = Tsk::getDouble;
  ValueType<Boolean> BOOLEAN = Tsk::getBoolean;
  /** {@code "250ms"}, {@code "30s"}, {@code "5m"}, {@code "1h"}, {@code "7d"}, {@code "1h30m"}. */
  ValueType<Duration> DURATION = Tsk::getDuration;

  /** A size: a byte count, or a string such as {@code "16MiB"}, {@code "1GiB"}, {@code "10MB"}. */
  ValueType<Long> BYTES = (tsk, path) -> {
    Object raw = tsk.get(path);
    if (raw instanceof Integer || raw instanceof Long) {
      return ((Number) raw).longValue();
    }
    Long parsed = raw instanceof String ? Sizes.parse((String) raw) : null;
    if (parsed == null) {
      throw invalid(tsk, path, shown(raw), "a size such as 16MiB, 1GiB or a byte count");
    }
    return parsed;
  };

  /** An array of strings. */
  ValueType<List<String>> STRINGS = (tsk, path) -> {
    List<String> out = new ArrayList<>();
    for (Object o : tsk.getList(path)) {
      if (!(o instanceof String)) {
        throw new IllegalArgumentException(
            tsk.location(path) + ": " + path + ": an array holding a non-string (expected: an array of strings)");
      }
      out.add((String) o);
    }
    return List.copyOf(out);
  };

  /**
   * Reads the value at {@code path}, which is present.
   *
   * @throws IllegalArgumentException when it has the wrong type or form, saying where
   */
  T read(Tsk tsk, String path);

  /** One of {@code choices} (case-insensitive), returned lower-case. */
  static ValueType<String> oneOf(String... choices) {
    List<String> allowed = List.of(choices);
    return (tsk, path) -> {
      String value = tsk.getString(path).toLowerCase(Locale.ROOT);
      if (!allowed.contains(value)) {
        throw invalid(tsk, path, shown(value), "one of " + String.join(", ", allowed));
      }
      return value;
    };
  }

  /** The error for a value of the right type but the wrong form: {@code file:line:col: path: shown (expected: ...)}. */
  static IllegalArgumentException invalid(Tsk tsk, String path, String shown, String expected) {
    return new IllegalArgumentException(tsk.location(path) + ": " + path + ": " + shown + " (expected: " + expected + ")");
  }

  /** A value as an error message shows it: strings quoted. */
  static String shown(Object value) {
    return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
  }
}
