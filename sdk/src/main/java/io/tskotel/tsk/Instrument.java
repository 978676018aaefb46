package io.tskotel.tsk;

import static java.util.Objects.requireNonNull;

/**
 * An instrument declared with {@code key: @metric(kind, name[, unit[, description]])}.
 *
 * @param section dotted path of the table holding the key ({@code "metrics"})
 * @param key the key ({@code "request_count"})
 * @param kind the instrument kind
 * @param name the OpenTelemetry instrument name ({@code "requests_total"})
 * @param unit the unit, {@code ""} when not given
 * @param description the description, {@code ""} when not given
 */
public record Instrument(
    String section, String key, InstrumentKind kind, String name, String unit, String description) {
  public Instrument {
    requireNonNull(section, "section");
    requireNonNull(key, "key");
    requireNonNull(kind, "kind");
    requireNonNull(name, "name");
    requireNonNull(unit, "unit");
    requireNonNull(description, "description");
  }

  /** The dotted path of the declaring key. */
  public String path() {
    return section.isEmpty() ? key : section + "." + key;
  }
}
