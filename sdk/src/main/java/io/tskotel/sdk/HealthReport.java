package io.tskotel.sdk;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seed's {@code check_health} answer: healthy when every check is.
 *
 * @param checks results by check name, in registration order
 */
public record HealthReport(HealthCheck.Status status, Instant timestamp, Map<String, HealthCheck.Result> checks) {
  public HealthReport {
    requireNonNull(status, "status");
    requireNonNull(timestamp, "timestamp");
    checks = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(checks, "checks")));
  }

  public boolean isHealthy() {
    return status == HealthCheck.Status.HEALTHY;
  }
}
