package io.tskotel.tsk;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Reads components' settings out of one {@link Tsk} document, the one way every component does it. A component
 * asks its {@link Section} for each key once, with its {@link ValueType}, default and check; a bad value yields
 * the default and an error saying {@code file:line:col}, so one pass reports every problem. {@link
 * #unknownKeys()} then names every key of every section read that no component asked for (a misspelt key would
 * otherwise be ignored and its default used). Sections nobody reads (an app's own, such as {@code [metrics]}) are
 * left alone; {@code NAME_fujsen} keys belong to the fujsen registry and are never unknown.
 *
 * <pre>{@code
 * SettingsReader r = new SettingsReader(tsk);
 * Section s = r.section("dashboard");
 * Duration refresh = s.get("refresh", ValueType.DURATION, Duration.ofSeconds(5));
 * ...
 * r.requireValid();   // throws SettingsException listing errors() and unknownKeys()
 * }</pre>
 */
public final class SettingsReader {
  private final Tsk tsk;
  private final List<String> errors = new ArrayList<>();
  /** Section name to the keys asked for, in the order asked. */
  private final Map<String, Set<String>> asked = new LinkedHashMap<>();
  /** Paths of keys that moved elsewhere: reported where set, never listed as known. */
  private final Set<String> moved = new HashSet<>();

  public SettingsReader(Tsk tsk) {
    this.tsk = requireNonNull(tsk, "tsk");
  }

  /**
   * One component's settings read from {@code tsk} alone (a standalone use, a test). Unknown keys are left to
   * whoever reads the whole document.
   *
   * @throws SettingsException listing every bad value
   */
  public static <T> T readOnly(Tsk tsk, Function<SettingsReader, T> read) {
    SettingsReader r = new SettingsReader(tsk);
    T settings = read.apply(r);
    if (!r.errors.isEmpty()) {
      throw new SettingsException(tsk.sourceName(), r.errors);
    }
    return settings;
  }

  public Tsk tsk() {
    return tsk;
  }

  /** The section at {@code name} (dotted for nested tables, e.g. {@code alerting.rules.cpu}). */
  public Section section(String name) {
    requireNonNull(name, "name");
    asked.computeIfAbsent(name, n -> new LinkedHashSet<>());
    return new Section(name);
  }

  /** The keys of {@code section} asked for so far: what the components reading it declare. */
  public Set<String> keysRead(String section) {
    return Set.copyOf(asked.getOrDefault(section, Set.of()));
  }

  /**
   * An error about the document rather than one value (e.g. from a config's own validation), prefixed with
   * the source name.
   */
  public void error(String message) {
    errors.add(tsk.sourceName() + ": " + message);
  }

  /** Every bad value met so far, each starting with {@code file:line:col}. */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  /** Every key of a section read that nobody asked for, with the keys that section knows. */
  public List<String> unknownKeys() {
    List<String> unknown = new ArrayList<>();
    asked.forEach((section, keys) -> {
      List<String> present;
      try {
        present = tsk.keys(section);
      } catch (IllegalArgumentException e) {
        unknown.add(e.getMessage());
        return;
      }
      for (String key : present) {
        String path = section + "." + key;
        if (!keys.contains(key) && !moved.contains(path) && !key.endsWith("_fujsen") && !isReadSubsection(path)) {
          unknown.add(tsk.location(path) + ": [" + section + "] " + key
              + ": unknown key (expected one of: " + String.join(", ", keys.stream().sorted().toList()) + ")");
        }
      }
    });
    return unknown;
  }

  /** {@link #errors()} then {@link #unknownKeys()}: everything wrong with the document as read. */
  public List<String> problems() {
    List<String> all = new ArrayList<>(errors);
    all.addAll(unknownKeys());
    return all;
  }

  /**
   * Returns when nothing is wrong with the document as read.
   *
   * @throws SettingsException listing {@link #problems()}
   */
  public void requireValid() {
    List<String> problems = problems();
    if (!problems.isEmpty()) {
      throw new SettingsException(tsk.sourceName(), problems);
    }
  }

  /** A table nested in a section (an inline block, or {@code [a.b]}) that a component read as a section. */
  private boolean isReadSubsection(String path) {
    return asked.keySet().stream().anyMatch(s -> s.equals(path) || s.startsWith(path + "."));
  }

  /** One section's keys: each getter declares the key (so it is not unknown) and reads it. */
  public final class Section {
    private final String name;

    private Section(String name) {
      this.name = name;
    }

    public String name() {
      return name;
    }

    /** The value of {@code key}, or null when it is missing, null or bad (then recorded). */
    public <T> @Nullable T get(String key, ValueType<T> type) {
      String path = path(key);
      if (tsk.get(path) == null) {
        return null;
      }
      try {
        return type.read(tsk, path);
      } catch (IllegalArgumentException | NoSuchElementException e) {
        errors.add(e.getMessage());
        return null;
      }
    }

    /** The value of {@code key}, or {@code defaultValue} when it is missing or bad (then recorded). */
    public <T> T get(String key, ValueType<T> type, T defaultValue) {
      T value = get(key, type);
      return value == null ? defaultValue : value;
    }

    /**
     * As {@link #get(String, ValueType, Object)}, and a value failing {@code valid} is an error {@code
     * path: value (expected: <expected>)} that yields the default.
     */
    public <T> T get(String key, ValueType<T> type, T defaultValue, Predicate<? super T> valid, String expected) {
      T value = get(key, type, defaultValue);
      if (!valid.test(value)) {
        errors.add(ValueType.invalid(tsk, path(key), ValueType.shown(value), expected).getMessage());
        return defaultValue;
      }
      return value;
    }

    /** Hands the value of {@code key} to {@code setter} when it is present and good: for builders. */
    public <T> void ifPresent(String key, ValueType<T> type, Consumer<? super T> setter) {
      T value = get(key, type);
      if (value != null) {
        setter.accept(value);
      }
    }

    /** Names of the tables nested under {@code key}, e.g. the rules of {@code [alerting.rules.NAME]}. */
    public List<String> tables(String key) {
      String path = path(key);
      List<String> names = new ArrayList<>();
      try {
        for (String child : tsk.keys(path)) {
          if (tsk.get(path + "." + child) instanceof Map) {
            names.add(child);
          }
        }
      } catch (IllegalArgumentException e) {
        errors.add(e.getMessage());
      }
      return names;
    }

    /** A key that now lives elsewhere: set here, it is an error pointing to {@code newPath}. */
    public void moved(String key, String newPath) {
      String path = name + "." + key;
      moved.add(path);
      if (tsk.has(path)) {
        errors.add(tsk.location(path) + ": " + path + ": moved to " + newPath);
      }
    }

    /**
     * Reports a typed config's own {@code validate()} errors, written {@code "field: value (expected: ...)"},
     * at the key each field is read from: {@code keyPrefix} plus the field in snake case ({@code grpcPort} →
     * {@code grpc_port}; with prefix {@code queue_}, {@code maxBytes} → {@code queue_max_bytes}; {@code
     * ttl.logs} → {@code ttl_logs}; {@code endpoints[2]} → {@code endpoints}), so the user reads the key they
     * wrote and its {@code file:line:col}, not a Java field name.
     */
    public void validation(List<String> fieldErrors, String keyPrefix) {
      for (String e : fieldErrors) {
        int colon = e.indexOf(": ");
        if (colon <= 0) {
          errors.add(tsk.location(name) + ": [" + name + "] " + e);
          continue;
        }
        error(keyPrefix + snakeCase(e.substring(0, colon)), e.substring(colon + 2));
      }
    }

    private static String snakeCase(String field) {
      String bare = field.replaceAll("\\[[0-9]+]", "").replace('.', '_');
      StringBuilder sb = new StringBuilder();
      for (char c : bare.toCharArray()) {
        if (Character.isUpperCase(c)) {
          sb.append('_').append(Character.toLowerCase(c));
        } else {
          sb.append(c);
        }
      }
      return sb.toString();
    }

    /** An error about {@code key}'s value: {@code file:line:col: section.key: message}. */
    public void error(String key, String message) {
      errors.add(tsk.location(path(key)) + ": " + path(key) + ": " + message);
    }

    private String path(String key) {
      asked.get(name).add(key);
      return name + "." + key;
    }
  }
}
