package io.tskotel.collector.alert.internal;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one notification says about one alert.
 *
 * @param status {@code firing} or {@code resolved}
 * @param channels where it goes (email, slack, pagerduty, webhook)
 */
public record Notice(
    String status,
    String fingerprint,
    String type,
    String severity,
    String message,
    double value,
    double threshold,
    Map<String, String> labels,
    Instant startedAt,
    @Nullable Instant resolvedAt,
    List<String> channels) {
  public Notice {
    requireNonNull(status, "status");
    requireNonNull(fingerprint, "fingerprint");
    requireNonNull(type, "type");
    requireNonNull(severity, "severity");
    requireNonNull(message, "message");
    labels = Map.copyOf(labels);
    requireNonNull(startedAt, "startedAt");
    channels = List.copyOf(channels);
  }

  public boolean firing() {
    return status.equals("firing");
  }

  /** One line for chat and mail: {@code [FIRING] high_cpu (warning): CPU usage is 91% {host=a}}. */
  public String line() {
    return "[" + status.toUpperCase(java.util.Locale.ROOT) + "] " + type + " (" + severity + "): " + message
        + (labels.isEmpty() ? "" : " " + new java.util.TreeMap<>(labels));
  }
}
