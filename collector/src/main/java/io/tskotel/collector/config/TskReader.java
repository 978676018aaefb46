package io.tskotel.collector.config;

import io.tskotel.tsk.Tsk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads typed values from a {@link Tsk}, collecting every problem instead of stopping at the first, so a
 * broken config is reported in one go. A bad value yields the default and an error naming its path (and
 * position, from the TSK getters).
 */
final class TskReader {
  private final Tsk tsk;
  private final List<String> errors = new ArrayList<>();
  private final Set<String> read = new HashSet<>();

  TskReader(Tsk tsk) {
    this.tsk = tsk;
  }

  List<String> errors() {
    return errors;
  }

  void error(String message) {
    errors.add(tsk.sourceName() + ": " + message);
  }

  /** An error message that already says where (e.g. {@code file:line:col: ...}). */
  void rawError(String message) {
    errors.add(message);
  }

  /** Keys of {@code section} that another reader takes care of. */
  void markKnown(String section, List<String> keys) {
    keys.forEach(k -> read.add(section + "." + k));
  }

  String string(String path, String defaultValue) {
    read.add(path);
    try {
      String value = tsk.getString(path, defaultValue);
      return value == null ? defaultValue : value;
    } catch (IllegalArgumentException | NoSuchElementException e) {
      errors.add(e.getMessage());
      return defaultValue;
    }
  }

  /** A string, where an empty one means absent. */
  @Nullable String optionalString(String path) {
    String value = string(path, "");
    return value.isBlank() ? null : value;
  }

  int integer(String path, int defaultValue) {
    read.add(path);
    try {
      return tsk.getInt(path, defaultValue);
    } catch (IllegalArgumentException | NoSuchElementException e) {
      errors.add(e.getMessage());
      return defaultValue;
    }
  }

  /**
   * Reports every key of {@code section} that no getter asked for: a misspelt key would otherwise be
   * ignored silently and its default used.
   */
  void rejectUnknownKeys(String section) {
    List<String> keys;
    try {
      keys = tsk.keys(section);
    } catch (IllegalArgumentException e) {
      errors.add(e.getMessage());
      return;
    }
    List<String> known = read.stream().filter(p -> p.startsWith(section + "."))
        .map(p -> p.substring(section.length() + 1)).sorted().toList();
    for (String key : keys) {
      if (!read.contains(section + "." + key)) {
        errors.add(tsk.location(section + "." + key) + ": [" + section + "] " + key
            + ": unknown key (expected one of: " + String.join(", ", known) + ")");
      }
    }
  }

  boolean bool(String path, boolean defaultValue) {
    read.add(path);
    try {
      return tsk.getBoolean(path, defaultValue);
    } catch (IllegalArgumentException | NoSuchElementException e) {
      errors.add(e.getMessage());
      return defaultValue;
    }
  }

  Duration duration(String path, Duration defaultValue) {
    read.add(path);
    try {
      Duration value = tsk.getDuration(path, defaultValue);
      return value == null ? defaultValue : value;
    } catch (IllegalArgumentException | NoSuchElementException e) {
      errors.add(e.getMessage());
      return defaultValue;
    }
  }

  /** A size: an integer byte count or a string such as {@code "64MiB"}. */
  long bytes(String path, long defaultValue) {
    read.add(path);
    Object raw;
    try {
      raw = tsk.get(path);
    } catch (IllegalArgumentException e) {
      errors.add(e.getMessage());
      return defaultValue;
    }
    if (raw == null) {
      return defaultValue;
    }
    if (raw instanceof Integer || raw instanceof Long) {
      return ((Number) raw).longValue();
    }
    if (raw instanceof String s) {
      Long parsed = ByteSizes.parse(s);
      if (parsed != null) {
        return parsed;
      }
    }
    error(path + ": " + describe(raw) + " (expected: a size such as 16MiB, 1GiB or a byte count)");
    return defaultValue;
  }

  /** One of {@code choices} (case-insensitive), returned lower-case. */
  String choice(String path, String defaultValue, List<String> choices) {
    String value = string(path, defaultValue).toLowerCase(Locale.ROOT);
    if (!choices.contains(value)) {
      error(path + ": \"" + value + "\" (expected: one of " + String.join(", ", choices) + ")");
      return defaultValue;
    }
    return value;
  }

  private static String describe(Object raw) {
    return raw instanceof String s ? "\"" + s + "\"" : String.valueOf(raw);
  }
}
