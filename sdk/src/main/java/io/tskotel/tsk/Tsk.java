package io.tskotel.tsk;

import static java.util.Objects.requireNonNull;

import io.tskotel.tsk.internal.Document;
import io.tskotel.tsk.internal.Durations;
import io.tskotel.tsk.internal.Parser;
import io.tskotel.tsk.internal.Position;
import io.tskotel.tsk.internal.Printer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A parsed TSK configuration.
 *
 * <p>Values are addressed by dotted path: {@code "alerting.cpu_threshold"} is key {@code cpu_threshold} of
 * section {@code [alerting]}; {@code "$name"} is a variable. Raw values ({@link #get}) are {@code String},
 * {@code Integer} (or {@code Long} beyond the int range), {@code Double}, {@code Boolean}, {@code List},
 * {@code Map} (a table), {@link Instrument} or null, all immutable.
 *
 * <p>The typed getters treat a null value like a missing one: the variant with a default returns the
 * default, the variant without throws {@link NoSuchElementException}. A value of the wrong type throws
 * {@link IllegalArgumentException} naming the path, the file position and the expected type.
 *
 * <p>Two instances are equal when their values are ({@code Tsk.parse(x.toString()).equals(x)} holds); the
 * source name and the fujsen registry do not take part.
 */
public final class Tsk {
  private static final Object MISSING = new Object();

  private final Document document;
  private final String sourceName;
  private final FujsenRegistry fujsenRegistry;

  Tsk(Document document, String sourceName, FujsenRegistry fujsenRegistry) {
    this.document = document;
    this.sourceName = sourceName;
    this.fujsenRegistry = fujsenRegistry;
  }

  /**
   * Parses {@code text} with the process environment and the UTC system clock.
   *
   * @throws TskParseException with every error in the text
   */
  public static Tsk parse(String text) {
    return parser().build().parse(text);
  }

  /**
   * Reads and parses a UTF-8 file with the process environment and the UTC system clock.
   *
   * @throws TskParseException with every error in the file
   */
  public static Tsk load(Path path) throws IOException {
    return parser().build().load(path);
  }

  /** A builder for a parser with its own environment, clock, source name or fujsen registry. */
  public static TskParser.Builder parser() {
    return new TskParser.Builder();
  }

  /** The file (or source name) this configuration was parsed from. */
  public String sourceName() {
    return sourceName;
  }

  // ---- raw access ----

  /** The raw value at {@code path}, or null when it is missing or null. */
  public @Nullable Object get(String path) {
    Object value = lookup(path);
    return value == MISSING ? null : value;
  }

  /** Whether {@code path} is defined (possibly as null). */
  public boolean has(String path) {
    return lookup(path) != MISSING;
  }

  /** Dotted names of the sections declared by {@code [headers]}, in document order. */
  public List<String> sections() {
    return document.sections();
  }

  /**
   * The keys of the table at {@code section} in document order ({@code ""} is the top level); empty when
   * there is no such table.
   */
  public List<String> keys(String section) {
    Object value = lookup(section);
    if (value == MISSING || value == null) {
      return List.of();
    }
    if (!(value instanceof Map)) {
      throw wrongType(section, value, "a section");
    }
    return ((Map<?, ?>) value).keySet().stream().map(String::valueOf).toList();
  }

  /** The {@code $variables}, by name without the {@code $}. */
  public Map<String, @Nullable Object> variables() {
    return document.globals();
  }

  /**
   * Where the key at {@code path} is defined, as {@code file:line:col}, or just the source name when the
   * path is not defined: for messages about a value that has the right type but a wrong value.
   */
  public String location(String path) {
    requireNonNull(path, "path");
    Position position = document.position(path);
    return position == null
        ? sourceName
        : sourceName + ":" + position.line() + ":" + position.column();
  }

  // ---- typed getters ----

  public String getString(String path) {
    return require(path, getString(path, null));
  }

  public @Nullable String getString(String path, @Nullable String defaultValue) {
    String value = typed(path, "a string", v -> v instanceof String ? (String) v : null);
    return value == null ? defaultValue : value;
  }

  public int getInt(String path) {
    return require(path, getIntOrNull(path));
  }

  public int getInt(String path, int defaultValue) {
    Integer value = getIntOrNull(path);
    return value == null ? defaultValue : value;
  }

  private @Nullable Integer getIntOrNull(String path) {
    return typed(path, "an int", v -> v instanceof Integer ? (Integer) v : null);
  }

  public long getLong(String path) {
    return require(path, getLongOrNull(path));
  }

  public long getLong(String path, long defaultValue) {
    Long value = getLongOrNull(path);
    return value == null ? defaultValue : value;
  }

  private @Nullable Long getLongOrNull(String path) {
    return typed(
        path,
        "an integer",
        v -> v instanceof Integer || v instanceof Long ? ((Number) v).longValue() : null);
  }

  public double getDouble(String path) {
    return require(path, getDoubleOrNull(path));
  }

  /** Integers widen to double; a double never narrows to an int. */
  public double getDouble(String path, double defaultValue) {
    Double value = getDoubleOrNull(path);
    return value == null ? defaultValue : value;
  }

  private @Nullable Double getDoubleOrNull(String path) {
    return typed(
        path,
        "a number",
        v -> v instanceof Double || v instanceof Integer || v instanceof Long ? ((Number) v).doubleValue() : null);
  }

  public boolean getBoolean(String path) {
    return require(path, getBooleanOrNull(path));
  }

  public boolean getBoolean(String path, boolean defaultValue) {
    Boolean value = getBooleanOrNull(path);
    return value == null ? defaultValue : value;
  }

  private @Nullable Boolean getBooleanOrNull(String path) {
    return typed(path, "a boolean", v -> v instanceof Boolean ? (Boolean) v : null);
  }

  public Duration getDuration(String path) {
    return require(path, getDuration(path, null));
  }

  /** A string such as {@code "250ms"}, {@code "30s"}, {@code "5m"}, {@code "1h"}, {@code "7d"} or {@code "1h30m"}. */
  public @Nullable Duration getDuration(String path, @Nullable Duration defaultValue) {
    Duration value =
        typed(
            path,
            "a duration such as \"250ms\", \"30s\", \"5m\", \"1h\" or \"7d\"",
            v -> v instanceof String ? Durations.parse((String) v) : null);
    return value == null ? defaultValue : value;
  }

  public List<@Nullable Object> getList(String path) {
    return require(path, getList(path, null));
  }

  @SuppressWarnings("unchecked")
  public @Nullable List<@Nullable Object> getList(
      String path, @Nullable List<@Nullable Object> defaultValue) {
    List<@Nullable Object> value =
        typed(path, "an array", v -> v instanceof List ? (List<@Nullable Object>) v : null);
    return value == null ? defaultValue : value;
  }

  public Map<String, @Nullable Object> getSection(String path) {
    return require(path, getSection(path, null));
  }

  /** The table at {@code path} (a section, a block or an inline object) as an ordered, immutable map. */
  @SuppressWarnings("unchecked")
  public @Nullable Map<String, @Nullable Object> getSection(
      String path, @Nullable Map<String, @Nullable Object> defaultValue) {
    Map<String, @Nullable Object> value =
        typed(path, "a section", v -> v instanceof Map ? (Map<String, @Nullable Object>) v : null);
    return value == null ? defaultValue : value;
  }

  /**
   * The value at {@code path} as {@code convert} reads it, or null when the path is missing or null. A
   * value {@code convert} cannot read (it returns null) is an error naming the {@code expected} type.
   */
  private <T> @Nullable T typed(String path, String expected, Function<Object, @Nullable T> convert) {
    Object value = present(path);
    if (value == null) {
      return null;
    }
    T converted = convert.apply(value);
    if (converted == null) {
      throw wrongType(path, value, expected);
    }
    return converted;
  }

  // ---- instruments and fujsen ----

  /** Every {@code @metric} declaration, in document order. */
  public List<Instrument> instruments() {
    List<Instrument> instruments = new ArrayList<>();
    collectInstruments(document.root(), instruments);
    return List.copyOf(instruments);
  }

  private static void collectInstruments(Map<String, @Nullable Object> table, List<Instrument> out) {
    for (Object value : table.values()) {
      if (value instanceof Instrument) {
        out.add((Instrument) value);
      } else if (value instanceof Map) {
        @SuppressWarnings("unchecked")
        Map<String, @Nullable Object> child = (Map<String, @Nullable Object>) value;
        collectInstruments(child, out);
      }
    }
  }

  /**
   * The fujsen declared directly in the table at {@code section}: function name (the key without {@code
   * _fujsen}) to body text, in document order. Empty when there is no such table.
   */
  public Map<String, String> fujsen(String section) {
    Object value = lookup(section);
    Map<String, String> fujsen = new LinkedHashMap<>();
    if (value instanceof Map) {
      ((Map<?, ?>) value)
          .forEach(
              (key, body) -> {
                if (String.valueOf(key).endsWith("_fujsen") && body instanceof String) {
                  fujsen.put(Parser.fujsenName(String.valueOf(key)), (String) body);
                }
              });
    }
    return Collections.unmodifiableMap(fujsen);
  }

  /** The registry {@link #executeFujsen} dispatches to; register the Java implementations here. */
  public FujsenRegistry fujsenRegistry() {
    return fujsenRegistry;
  }

  /**
   * Runs the Java function registered for fujsen {@code name} of {@code section}. The declared body is
   * passed along as text; it is never executed.
   *
   * @throws FujsenException when {@code section} declares no such fujsen or no function is registered
   */
  public @Nullable Object executeFujsen(String section, String name, @Nullable Object... args) {
    requireNonNull(section, "section");
    requireNonNull(name, "name");
    Map<String, String> declared = fujsen(section);
    String body = declared.get(name);
    if (body == null) {
      throw new FujsenException(
          "[" + section + "] declares no fujsen '" + name + "' (declared: "
              + (declared.isEmpty() ? "none" : String.join(", ", declared.keySet())) + ")");
    }
    FujsenFunction function = fujsenRegistry.get(name);
    if (function == null) {
      List<String> registered = new ArrayList<>(fujsenRegistry.names());
      throw new FujsenException(
          "no Java function is registered for fujsen '" + name + "' of [" + section + "] (registered: "
              + (registered.isEmpty() ? "none" : String.join(", ", registered)) + ")");
    }
    List<@Nullable Object> arguments =
        args == null ? List.of() : Collections.unmodifiableList(Arrays.asList(args.clone()));
    return function.call(new FujsenCall(this, section, name, body, arguments));
  }

  // ---- lookup ----

  private @Nullable Object lookup(String path) {
    requireNonNull(path, "path");
    if (path.startsWith("$")) {
      String name = path.substring(1);
      return document.globals().containsKey(name) ? document.globals().get(name) : MISSING;
    }
    Object current = document.root();
    if (path.isEmpty()) {
      return current;
    }
    for (String segment : path.split("\\.", -1)) {
      if (!(current instanceof Map)) {
        return MISSING;
      }
      Map<?, ?> table = (Map<?, ?>) current;
      if (!table.containsKey(segment)) {
        return MISSING;
      }
      current = table.get(segment);
    }
    return current;
  }

  /** The value at {@code path}, or null when it is missing or null. */
  private @Nullable Object present(String path) {
    Object value = lookup(path);
    return value == MISSING ? null : value;
  }

  private <T> T require(String path, @Nullable T value) {
    if (value == null) {
      throw new NoSuchElementException(where(path) + path + ": not set");
    }
    return value;
  }

  private IllegalArgumentException wrongType(String path, Object value, String expected) {
    // The type, not the value: values may come from secret environment variables.
    return new IllegalArgumentException(
        where(path) + path + ": " + typeOf(value) + " (expected: " + expected + ")");
  }

  private static String typeOf(Object value) {
    if (value instanceof String) {
      return "a string";
    } else if (value instanceof Integer) {
      return "an int";
    } else if (value instanceof Long) {
      return "an integer beyond the int range";
    } else if (value instanceof Double) {
      return "a double";
    } else if (value instanceof Boolean) {
      return "a boolean";
    } else if (value instanceof List) {
      return "an array";
    } else if (value instanceof Map) {
      return "a section";
    } else if (value instanceof Instrument) {
      return "an @metric instrument";
    }
    return value.getClass().getSimpleName();
  }

  private String where(String path) {
    return location(path) + ": ";
  }

  // ---- value semantics ----

  /** Canonical TSK; {@code Tsk.parse(toString())} equals this. */
  @Override
  public String toString() {
    return Printer.print(document);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return this == o || (o instanceof Tsk && document.equals(((Tsk) o).document));
  }

  @Override
  public int hashCode() {
    return document.hashCode();
  }
}
