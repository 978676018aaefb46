package io.tskotel.exporter;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One row of {@code tskotel_alerts}: one state transition of an alert.
 *
 * @param timestamp when the transition happened
 * @param type the rule's name ({@code high_cpu})
 * @param state {@code pending}, {@code firing}, {@code resolved}, {@code inactive} (a pending alert whose
 *     condition cleared) or {@code silenced} (a silence set on the fingerprint until {@code resolvedAt})
 * @param fingerprint the alert's identity: its rule and labels, hashed
 * @param startedAt when the condition began to hold
 * @param resolvedAt when the alert ended; null while it has not
 */
public record AlertRecord(
    Instant timestamp,
    String type,
    String severity,
    String message,
    double value,
    double threshold,
    Map<String, String> labels,
    String state,
    String fingerprint,
    Instant startedAt,
    @Nullable Instant resolvedAt) {
  public AlertRecord {
    requireNonNull(timestamp, "timestamp");
    requireNonNull(type, "type");
    requireNonNull(severity, "severity");
    requireNonNull(message, "message");
    labels = Map.copyOf(requireNonNull(labels, "labels"));
    requireNonNull(state, "state");
    requireNonNull(fingerprint, "fingerprint");
    requireNonNull(startedAt, "startedAt");
  }

  /** An alert raised once, outside any evaluator: firing since {@code timestamp}, no fingerprint. */
  public AlertRecord(
      Instant timestamp,
      String type,
      String severity,
      String message,
      double value,
      double threshold,
      Map<String, String> labels) {
    this(timestamp, type, severity, message, value, threshold, labels, "firing", "", timestamp, null);
  }

  /** The stored {@code resolved_at}: the epoch stands for "not resolved". */
  public static @Nullable Instant resolvedAt(Instant stored) {
    return stored.equals(Instant.EPOCH) ? null : stored;
  }
}
