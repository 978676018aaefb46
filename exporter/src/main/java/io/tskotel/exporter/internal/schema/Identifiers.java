package io.tskotel.exporter.internal.schema;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The only values ever spliced into SQL text: identifiers from configuration, checked against a strict
 * pattern so no quoting can be escaped. Everything else travels as bound parameters.
 */
public final class Identifiers {
  private Identifiers() {}

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  // ReplicatedMergeTree parameters: ZooKeeper paths and replica names with server macros like {shard}.
  private static final Pattern ENGINE_PARAM = Pattern.compile("[A-Za-z0-9_{}/.\\-]{1,200}");
  private static final Pattern ENGINE_NAME = Pattern.compile("([A-Z][A-Za-z]{0,54})?MergeTree");

  /** Null when valid, else why not, in the "field: value (expected: ...)" style. */
  public static @Nullable String checkIdentifier(String field, @Nullable String value) {
    if (value == null || !IDENTIFIER.matcher(value).matches()) {
      return field + ": " + show(value) + " (expected: letters, digits and _, not starting with a digit, 1-63 chars)";
    }
    return null;
  }

  public static @Nullable String checkEngineName(String field, @Nullable String value) {
    if (value == null || !ENGINE_NAME.matcher(value).matches()) {
      return field + ": " + show(value) + " (expected: a MergeTree-family engine such as MergeTree or ReplicatedMergeTree)";
    }
    return null;
  }

  public static @Nullable String checkEngineParam(String field, @Nullable String value) {
    if (value == null || !ENGINE_PARAM.matcher(value).matches()) {
      return field + ": " + show(value) + " (expected: letters, digits and _ { } / . -)";
    }
    return null;
  }

  static String requireIdentifier(String field, String value) {
    String err = checkIdentifier(field, value);
    if (err != null) {
      throw new IllegalArgumentException(err);
    }
    return value;
  }

  private static String show(@Nullable String value) {
    return value == null ? "null" : '"' + value + '"';
  }
}
