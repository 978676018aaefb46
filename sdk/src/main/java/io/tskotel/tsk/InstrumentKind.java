package io.tskotel.tsk;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The OpenTelemetry instrument kinds {@code @metric} can declare. */
public enum InstrumentKind {
  COUNTER,
  UPDOWNCOUNTER,
  HISTOGRAM,
  GAUGE;

  /** The spelling used in TSK ({@code "counter"}, ...). */
  public String tskName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind spelled {@code name} in TSK, or null when there is none. */
  public static @Nullable InstrumentKind fromTskName(String name) {
    for (InstrumentKind kind : values()) {
      if (kind.tskName().equals(name)) {
        return kind;
      }
    }
    return null;
  }
}
