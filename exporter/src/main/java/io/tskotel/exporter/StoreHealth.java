package io.tskotel.exporter;

import static java.util.Objects.requireNonNull;

/** The outcome of {@link TelemetryStore#health()}: whether the engine answered, and how. */
public record StoreHealth(boolean healthy, String detail, long latencyNanos) {
  public StoreHealth {
    requireNonNull(detail, "detail");
  }
}
