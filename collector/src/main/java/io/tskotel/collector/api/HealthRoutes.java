package io.tskotel.collector.api;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tskotel.exporter.StoreHealth;
import io.tskotel.exporter.TelemetryStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code /status}, {@code /health}, {@code /ready}, {@code /live} (paths configurable). Health follows the
 * seed's {@code check_health}: every check reports {@code status} healthy or unhealthy with details or an
 * error, and the whole is healthy only when every check is (HTTP 200, else 503). Ready asks the health checks
 * and the readiness checks (e.g. the queue replayed); live only says the process serves requests.
 *
 * <p>Health and ready are open to orchestrators without credentials, so they answer with status only: each
 * check's status and, when unhealthy, its fixed reason. Details (engine version, latency, error text) go
 * only to a caller the admin token admits ({@code admin}; everyone when no token is configured, as for
 * every other admin endpoint).
 */
final class HealthRoutes {
  private final AdminServerConfig config;
  private final TelemetryStore store;
  private final Clock clock;
  private final Map<String, HealthCheck> healthChecks;
  private final Map<String, HealthCheck> readinessChecks;
  private final Map<String, StatusSource> statusSources;
  private final String version;
  private final Instant startedAt;
  private final Predicate<Context> admin;

  HealthRoutes(
      AdminServerConfig config,
      TelemetryStore store,
      Clock clock,
      Map<String, HealthCheck> healthChecks,
      Map<String, HealthCheck> readinessChecks,
      Map<String, StatusSource> statusSources,
      String version,
      Predicate<Context> admin) {
    this.config = config;
    this.store = requireNonNull(store, "store");
    this.clock = clock;
    this.healthChecks = new LinkedHashMap<>();
    this.healthChecks.put("store", this::storeCheck);
    this.healthChecks.putAll(healthChecks);
    this.readinessChecks = Map.copyOf(readinessChecks);
    this.statusSources = new LinkedHashMap<>(statusSources);
    this.version = version;
    this.startedAt = clock.instant();
    this.admin = requireNonNull(admin, "admin");
  }

  void register(RoutesConfig routes) {
    routes.get(config.healthPath(),
        ctx -> respond(ctx, health(healthChecks, admin.test(ctx)), "healthy", "unhealthy"));
    routes.get(
        config.readyPath(),
        ctx -> {
          Map<String, HealthCheck> all = new LinkedHashMap<>(healthChecks);
          all.putAll(readinessChecks);
          respond(ctx, health(all, admin.test(ctx)), "ready", "not_ready");
        });
    routes.get(config.livePath(), ctx -> ctx.json(Map.of("status", "alive", "timestamp", now())));
    routes.get(config.statusPath(), ctx -> ctx.json(status()));
  }

  private record Outcome(boolean healthy, Map<String, Object> checks) {}

  private Outcome health(Map<String, HealthCheck> checks, boolean withDetails) {
    Map<String, Object> out = new LinkedHashMap<>();
    boolean all = true;
    for (Map.Entry<String, HealthCheck> e : checks.entrySet()) {
      HealthCheck.Result r;
      try {
        r = e.getValue().check();
      } catch (RuntimeException ex) {
        r = HealthCheck.Result.unhealthy("check failed", Map.of("exception", ex.toString()));
      }
      all &= r.healthy();
      out.put(e.getKey(), describe(r, withDetails));
    }
    return new Outcome(all, out);
  }

  private void respond(Context ctx, Outcome outcome, String good, String bad) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", outcome.healthy() ? good : bad);
    body.put("timestamp", now());
    body.put("checks", outcome.checks());
    ctx.status(outcome.healthy() ? 200 : 503).json(body);
  }

  private static Map<String, Object> describe(HealthCheck.Result r, boolean withDetails) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", r.healthy() ? "healthy" : "unhealthy");
    if (withDetails && !r.details().isEmpty()) {
      m.put("details", r.details());
    }
    if (r.error() != null) {
      m.put("error", r.error());
    }
    return m;
  }

  private HealthCheck.Result storeCheck() {
    StoreHealth h = store.health();
    if (!h.healthy()) {
      return HealthCheck.Result.unhealthy(h.reason(), Map.of("detail", h.detail()));
    }
    return HealthCheck.Result.healthy(
        Map.of("connection", "OK", "detail", h.detail(), "latency_ms", h.latencyNanos() / 1e6));
  }

  private Map<String, Object> status() {
    Instant now = clock.instant();
    StoreHealth h = store.health();
    Map<String, Object> storeStatus = new LinkedHashMap<>();
    storeStatus.put("healthy", h.healthy());
    storeStatus.put("reason", h.reason());
    storeStatus.put("detail", h.detail());
    storeStatus.put("latency_ms", h.latencyNanos() / 1e6);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("version", version);
    body.put("started_at", startedAt);
    body.put("uptime_seconds", Duration.between(startedAt, now).toMillis() / 1000.0);
    body.put("store", storeStatus);
    for (Map.Entry<String, StatusSource> e : statusSources.entrySet()) {
      Object snapshot;
      try {
        snapshot = e.getValue().snapshot();
      } catch (RuntimeException ex) {
        snapshot = Map.of("error", ex.toString());
      }
      body.put(e.getKey(), snapshot);
    }
    return body;
  }

  /**
   * Seconds since the epoch with microseconds, as the seed's {@code time.time()}: a {@link BigDecimal} so that JSON
   * shows {@code 1795000000.123456}, where a {@code double} would print {@code 1.795000000123456E9}.
   */
  private BigDecimal now() {
    Instant t = clock.instant();
    return BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano() / 1_000, 6));
  }
}
