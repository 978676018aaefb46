package io.tskotel.collector.api;

import static java.util.Objects.requireNonNull;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.tskotel.collector.internal.ThrottledLog;
import io.tskotel.collector.receiver.internal.BearerAuth;
import io.tskotel.exporter.TelemetryStore;
import io.tskotel.collector.query.QueryFunctions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP server (Javalin): the query API under {@code /api/v1}, {@code /status}, the health
 * endpoints, {@code /metrics} (Prometheus text from {@link QueryFunctions#exportMetrics()}), and whatever
 * {@link Builder#routes} adds (the dashboard page). Loopback on 8080 by default.
 *
 * <p>With a bearer token configured, every request needs {@code Authorization: Bearer <token>} except the
 * liveness, readiness and health probes, which orchestrators call without credentials: those answer with
 * status and fixed reasons only, their details (engine version, error text) need the token.
 *
 * <p>{@link #start()} and {@link #shutdown()} are each safe to call twice.
 */
public final class AdminServer {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  private static final ThrottledLog failureLog = new ThrottledLog(log, Duration.ofSeconds(1));

  private final AdminServerConfig config;
  private final Javalin app;
  private boolean started;
  private boolean stopped;

  private AdminServer(Builder b) {
    this.config = b.config;
    FunctionRoutes query = new FunctionRoutes(b.functions, b.store, b.alertStatus);
    ExplorerRoutes explorer = new ExplorerRoutes(b.functions, b.store);
    Set<String> open = Set.of(config.healthPath(), config.readyPath(), config.livePath());
    BearerAuth auth = config.bearerToken() == null ? null : new BearerAuth(config.bearerToken());
    HealthRoutes health =
        new HealthRoutes(
            config, b.store, b.clock, b.healthChecks, b.readinessChecks, b.statusSources, b.version,
            ctx -> auth == null || auth.allows(ctx.header("Authorization")));
    QueryFunctions functions = b.functions;
    TelemetryStore store = b.store;
    List<Consumer<RoutesConfig>> extensions = List.copyOf(b.extensions);
    this.app =
        Javalin.create(
            c -> {
              c.jetty.host = config.host();
              c.jetty.port = config.port();
              c.startup.showJavalinBanner = false;
              c.startup.showOldJavalinVersionWarning = false;
              c.jsonMapper(new JavalinJackson(ApiJson.mapper(), false));
              if (auth != null) {
                c.routes.before(ctx -> authorize(ctx, auth, open));
              }
              query.register(c.routes);
              explorer.register(c.routes);
              health.register(c.routes);
              c.routes.get(
                  config.metricsPath(),
                  ctx -> {
                    try {
                      ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                          .result(functions.exportMetrics());
                    } catch (Exception e) {
                      ApiError error = ApiError.of(e, false, store);
                      logFailure(ctx, error, e);
                      ctx.status(error.httpStatus()).json(Map.of("error", error.message()));
                    }
                  });
              extensions.forEach(x -> x.accept(c.routes));
              c.routes.error(
                  404,
                  ctx -> {
                    String type = ctx.res().getContentType();
                    if (type == null || !type.startsWith("application/json")) {
                      ctx.json(Map.of("error", "no such endpoint: " + ctx.method() + " " + ctx.path()));
                    }
                  });
              c.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    ApiError error = ApiError.of(e, false);
                    logFailure(ctx, error, e);
                    ctx.status(error.httpStatus()).json(Map.of("error", error.message()));
                  });
            });
  }

  public static Builder builder(AdminServerConfig config, TelemetryStore store, QueryFunctions functions) {
    return new Builder(config, store, functions);
  }

  public synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    app.start();
    log.info("admin API listening on http://{}:{}", config.host(), app.port());
  }

  /** The port listened on (the chosen one when configured as 0). */
  public int port() {
    return app.port();
  }

  public AdminServerConfig config() {
    return config;
  }

  public synchronized void shutdown() {
    if (!started || stopped) {
      return;
    }
    stopped = true;
    app.stop();
    log.info("admin API stopped");
  }

  private static void authorize(Context ctx, BearerAuth auth, Set<String> open) {
    if (open.contains(ctx.path())) {
      return;
    }
    if (!auth.allows(ctx.header("Authorization"))) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"tskotel\"");
      ctx.status(401).json(Map.of("error", "unauthorized: a valid bearer token is required"));
      ctx.skipRemainingHandlers();
    }
  }

  /** 5xx failures are ours: logged, at most once a second. 4xx are the caller's: not logged. */
  static void logFailure(Context ctx, ApiError error, Throwable e) {
    logFailure(ctx.method() + " " + ctx.path(), error, e);
  }

  /** Logs a server-side failure (5xx) with its exception, at most once a second: never per request. */
  static void logFailure(String what, ApiError error, Throwable e) {
    if (error.httpStatus() < 500) {
      return;
    }
    failureLog.warnWithStackTrace(what + " failed with " + error.httpStatus() + ": " + error.message(), e);
  }

  public static final class Builder {
    private final AdminServerConfig config;
    private final TelemetryStore store;
    private final QueryFunctions functions;
    private Clock clock = Clock.systemUTC();
    private String version = defaultVersion();
    private final Map<String, HealthCheck> healthChecks = new LinkedHashMap<>();
    private final Map<String, HealthCheck> readinessChecks = new LinkedHashMap<>();
    private final Map<String, StatusSource> statusSources = new LinkedHashMap<>();
    private final List<Consumer<RoutesConfig>> extensions = new ArrayList<>();
    private @Nullable Supplier<Map<String, Object>> alertStatus;

    private Builder(AdminServerConfig config, TelemetryStore store, QueryFunctions functions) {
      this.config = requireNonNull(config, "config");
      this.store = requireNonNull(store, "store");
      this.functions = requireNonNull(functions, "functions");
    }

    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    public Builder version(String version) {
      this.version = requireNonNull(version, "version");
      return this;
    }

    /** Adds a check to {@code /health} and {@code /ready} ({@code store} is built in). */
    public Builder healthCheck(String name, HealthCheck check) {
      healthChecks.put(requireNonNull(name, "name"), requireNonNull(check, "check"));
      return this;
    }

    /** Adds a check to {@code /ready} only (e.g. "the queue has been replayed"). */
    public Builder readinessCheck(String name, HealthCheck check) {
      readinessChecks.put(requireNonNull(name, "name"), requireNonNull(check, "check"));
      return this;
    }

    /** Adds an entry to {@code /status} (e.g. {@code pipeline}: queue depth, ingest rates). */
    public Builder statusSource(String name, StatusSource source) {
      statusSources.put(requireNonNull(name, "name"), requireNonNull(source, "source"));
      return this;
    }

    /**
     * Adds routes (e.g. the dashboard page at {@link AdminServerConfig#dashboardPath()} and its assets). They
     * sit behind the same bearer auth and JSON error handling.
     */
    public Builder routes(Consumer<RoutesConfig> routes) {
      extensions.add(requireNonNull(routes, "routes"));
      return this;
    }

    /** The live alert state (firing, pending, silences) that {@code GET /api/v1/alerts} adds to the recent. */
    public Builder alertStatus(Supplier<Map<String, Object>> alertStatus) {
      this.alertStatus = requireNonNull(alertStatus, "alertStatus");
      return this;
    }

    public AdminServer build() {
      return new AdminServer(this);
    }

    private static String defaultVersion() {
      @Nullable String v = AdminServer.class.getPackage().getImplementationVersion();
      return v != null ? v : "0.1.0-SNAPSHOT";
    }
  }
}
