package io.tskotel.exporter.functions;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/** One row of {@code tskotel_alerts}, as the seed's {@code get_recent_alerts} returns it (plus value,
 * threshold and labels). */
public record Alert(
    String type,
    String severity,
    String message,
    double value,
    double threshold,
    Instant timestamp,
    Map<String, String> labels) {
  public Alert {
    requireNonNull(type, "type");
    requireNonNull(severity, "severity");
    requireNonNull(message, "message");
    requireNonNull(timestamp, "timestamp");
    labels = Map.copyOf(requireNonNull(labels, "labels"));
  }
}
