package io.tskotel.collector.query;

import static java.util.Objects.requireNonNull;

/**
 * An explorer filter {@code key=value}: matches a span or log whose own attribute, or whose resource's
 * attribute, {@code key} equals {@code value}.
 */
public record AttributeFilter(String key, String value) {
  public AttributeFilter {
    requireNonNull(key, "key");
    requireNonNull(value, "value");
  }

  /**
   * Parses {@code key=value} (the first {@code =} splits; the value may be empty or hold more {@code =}).
   *
   * @throws IllegalArgumentException when there is no {@code =} or the key is empty
   */
  public static AttributeFilter parse(String text) {
    requireNonNull(text, "text");
    int eq = text.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("attr: \"" + text + "\" (expected: key=value)");
    }
    return new AttributeFilter(text.substring(0, eq), text.substring(eq + 1));
  }

  @Override
  public String toString() {
    return key + "=" + value;
  }
}
