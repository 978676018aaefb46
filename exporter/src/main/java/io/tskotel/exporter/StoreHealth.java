package io.tskotel.exporter;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of {@link TelemetryStore#health()}: whether the engine answered, and how. {@code reason} is a
 * few fixed words safe for anyone ("ok", "authentication failed"); {@code detail} may carry the engine's
 * version or error text and is for the admin only.
 */
public record StoreHealth(boolean healthy, String reason, String detail, long latencyNanos) {
  public StoreHealth {
    requireNonNull(reason, "reason");
    requireNonNull(detail, "detail");
  }

  public StoreHealth(boolean healthy, String detail, long latencyNanos) {
    this(healthy, healthy ? "ok" : "store unavailable", detail, latencyNanos);
  }
}
