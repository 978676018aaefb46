package io.tskotel.collector.api;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One dependency the collector needs (the store, the queue…), asked by {@code /health} and {@code /ready}
 * as the seed's {@code check_health} asks each of its checks. Must not throw; a check that does anyway
 * counts as unhealthy.
 */
@FunctionalInterface
public interface HealthCheck {

  Result check();

  /** The seed's check result: {@code status} healthy or unhealthy, with details or an error. */
  record Result(boolean healthy, Map<String, Object> details, @Nullable String error) {
    public Result {
      details = Map.copyOf(requireNonNull(details, "details"));
    }

    public static Result healthy(Map<String, Object> details) {
      return new Result(true, details, null);
    }

    public static Result unhealthy(String error) {
      return new Result(false, Map.of(), requireNonNull(error, "error"));
    }
  }
}
