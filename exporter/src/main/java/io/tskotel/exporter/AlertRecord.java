package io.tskotel.exporter;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/** One row of {@code tskotel_alerts}: an alert raised by an alerting function. */
public record AlertRecord(
    Instant timestamp,
    String type,
    String severity,
    String message,
    double value,
    double threshold,
    Map<String, String> labels) {
  public AlertRecord {
    requireNonNull(timestamp, "timestamp");
    requireNonNull(type, "type");
    requireNonNull(severity, "severity");
    requireNonNull(message, "message");
    labels = Map.copyOf(requireNonNull(labels, "labels"));
  }
}
