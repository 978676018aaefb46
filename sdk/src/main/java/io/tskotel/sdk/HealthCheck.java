package io.tskotel.sdk;

import static java.util.Objects.requireNonNull;

import io.tskotel.sdk.internal.HealthChecks;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * One dependency check of {@link TskTelemetry#checkHealth()}. A check that throws or outlives {@code
 * health_checks.timeout} counts as unhealthy with the error as its message; the factories below are the seed's
 * three kinds (database, cache, external HTTP services).
 */
@FunctionalInterface
public interface HealthCheck {
  Result check() throws Exception;

  /** Whether a check, or the whole report, is healthy. */
  enum Status {
    HEALTHY,
    UNHEALTHY;

    /** {@code "healthy"} or {@code "unhealthy"}, as the seed writes it. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A check's outcome.
   *
   * @param details what the check saw ({@code connection: OK}, ...)
   * @param error why it is unhealthy; null when healthy
   * @param responseTime how long the check took (set by the runner)
   */
  record Result(Status status, Map<String, Object> details, @Nullable String error, @Nullable Duration responseTime) {
    public Result {
      requireNonNull(status, "status");
      details = Map.copyOf(requireNonNull(details, "details"));
    }

    public static Result healthy(Map<String, Object> details) {
      return new Result(Status.HEALTHY, details, null, null);
    }

    public static Result unhealthy(String error) {
      return new Result(Status.UNHEALTHY, Map.of(), requireNonNull(error, "error"), null);
    }

    public boolean isHealthy() {
      return status == Status.HEALTHY;
    }

    public Result withResponseTime(Duration responseTime) {
      return new Result(status, details, error, responseTime);
    }
  }

  /** The seed's {@code check_database_health}: a connection from {@code dataSource} that answers {@code isValid}. */
  static HealthCheck jdbc(DataSource dataSource, Duration timeout) {
    return HealthChecks.jdbc(requireNonNull(dataSource, "dataSource"), requireNonNull(timeout, "timeout"));
  }

  /**
   * The seed's {@code check_cache_health}: a write and read back through {@code redis}, a client the
   * application keeps (Jedis is an optional dependency of the sdk: bring it to use this).
   */
  static HealthCheck redis(redis.clients.jedis.UnifiedJedis redis) {
    return HealthChecks.redis(requireNonNull(redis, "redis"));
  }

  /** The seed's {@code check_external_services}, one service: {@code GET url} answers 2xx within the timeout. */
  static HealthCheck http(URI url, Duration timeout) {
    return HealthChecks.http(requireNonNull(url, "url"), requireNonNull(timeout, "timeout"));
  }
}
