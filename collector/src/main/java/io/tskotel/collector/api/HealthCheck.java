package io.tskotel.collector.api;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One dependency the collector needs (the store, the queue…), asked by {@code /health} and {@code /ready}
 * as the seed's {@code check_health} asks each of its checks. Must not throw; a check that does anyway
 * counts as unhealthy. The {@code error} of a result is shown to unauthenticated callers; its {@code details}
 * only to callers with the admin token.
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

    /** {@code error} is shown to anyone: a few fixed words, never an engine's or the OS's text. */
    public static Result unhealthy(String error) {
      return new Result(false, Map.of(), requireNonNull(error, "error"));
    }

    /** Unhealthy with details (error text, versions) that only a caller with the admin token sees. */
    public static Result unhealthy(String error, Map<String, Object> details) {
      return new Result(false, details, requireNonNull(error, "error"));
    }
  }
}
