package io.tskotel.collector.api;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.TelemetryStore;
import io.tskotel.collector.query.MetricsExposition;
import io.tskotel.collector.query.QueryConfig;
import io.tskotel.collector.query.FujsenRegistration;
import io.tskotel.collector.query.QueryFunctions;
import io.tskotel.collector.query.SqlFujsens;
import io.tskotel.tsk.Tsk;
import java.time.Clock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The query side of the collector as one component, built from the TSK configuration and the store: the
 * query functions (registered in the TSK fujsen registry under the seed's names), the admin HTTP server and
 * the QueryService gRPC server ({@link AdminApiComponent} is what {@code tskotel run} starts after the store):
 *
 * <pre>{@code
 * AdminApi api = AdminApi.builder(tsk, store)
 *     .statusSource("pipeline", new PipelineStatus(collector, clock))
 *     .readinessCheck("replica", () -> HealthCheck.Result.healthy(Map.of()))
 *     .build();
 * api.start();
 * ...
 * api.shutdown();
 * }</pre>
 *
 * <p>TSK keys: {@code [admin]} and the endpoint paths of {@code [dashboard]} and {@code [health_checks]} (see
 * {@link AdminServerConfig#read}), and {@code [query]} (see {@link QueryConfig#read}). {@link #start()} and
 * {@link #shutdown()} are each safe to call twice.
 */
public final class AdminApi {
  private final QueryFunctions functions;
  private final AdminServer admin;
  private final @Nullable QueryGrpcServer grpc;
  private boolean started;
  private boolean stopped;

  private AdminApi(Builder b) {
    QueryConfig config = b.config != null ? b.config : QueryConfig.fromTsk(b.tsk, b.database);
    QueryFunctions.Builder fb =
        QueryFunctions.builder(b.store)
            .clock(b.clock)
            .config(config)
            .sqlFujsen(SqlFujsens.of(FujsenRegistration.sqlFujsen(b.tsk), b.store, config));
    if (b.exposition != null) {
      fb.exposition(b.exposition);
    }
    this.functions = fb.build();
    FujsenRegistration.register(b.tsk.fujsenRegistry(), functions);
    AdminServerConfig adminConfig = b.adminConfig != null ? b.adminConfig : AdminServerConfig.fromTsk(b.tsk);
    AdminServer.Builder ab = AdminServer.builder(adminConfig, b.store, functions).clock(b.clock);
    b.admin.accept(ab);
    this.admin = ab.build();
    this.grpc =
        adminConfig.grpcPort() < 0
            ? null
            : QueryGrpcServer.create(
                adminConfig.host(), adminConfig.grpcPort(), adminConfig.bearerToken(), functions, b.store);
  }

  public static Builder builder(Tsk tsk, ClickHouseStore store) {
    return new Builder(tsk, store, store.config().database());
  }

  /** For any store; {@code database} is the one holding its OTel tables. */
  public static Builder builder(Tsk tsk, TelemetryStore store, String database) {
    return new Builder(tsk, store, database);
  }

  public QueryFunctions functions() {
    return functions;
  }

  public AdminServer admin() {
    return admin;
  }

  /** The gRPC port, or -1 when the gRPC server is off. */
  public int grpcPort() {
    return grpc == null ? -1 : grpc.port();
  }

  public synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    admin.start();
    if (grpc != null) {
      try {
        grpc.start();
      } catch (RuntimeException e) {
        admin.shutdown();
        throw e;
      }
    }
  }

  public synchronized void shutdown() {
    if (!started || stopped) {
      return;
    }
    stopped = true;
    if (grpc != null) {
      grpc.shutdown();
    }
    admin.shutdown();
  }

  public static final class Builder {
    private final Tsk tsk;
    private final TelemetryStore store;
    private final String database;
    private Clock clock = Clock.systemUTC();
    private @Nullable MetricsExposition exposition;
    private @Nullable AdminServerConfig adminConfig;
    private @Nullable QueryConfig config;
    private Consumer<AdminServer.Builder> admin = a -> {};

    private Builder(Tsk tsk, TelemetryStore store, String database) {
      this.tsk = requireNonNull(tsk, "tsk");
      this.store = requireNonNull(store, "store");
      this.database = requireNonNull(database, "database");
    }

    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** The Prometheus renderer behind {@code /metrics} and {@code export_metrics} (default: the seed's). */
    public Builder exposition(MetricsExposition exposition) {
      this.exposition = requireNonNull(exposition, "exposition");
      return this;
    }

    /** The admin surfaces' settings, already read (default: read from the document). */
    public Builder adminConfig(AdminServerConfig adminConfig) {
      this.adminConfig = requireNonNull(adminConfig, "adminConfig");
      return this;
    }

    /** The query functions' settings, already read (default: read from the document). */
    public Builder config(QueryConfig config) {
      this.config = requireNonNull(config, "config");
      return this;
    }

    public Builder healthCheck(String name, HealthCheck check) {
      return admin(a -> a.healthCheck(name, check));
    }

    public Builder readinessCheck(String name, HealthCheck check) {
      return admin(a -> a.readinessCheck(name, check));
    }

    public Builder statusSource(String name, StatusSource source) {
      return admin(a -> a.statusSource(name, source));
    }

    /** Extra admin routes: the dashboard page and its assets. */
    public Builder routes(Consumer<RoutesConfig> routes) {
      return admin(a -> a.routes(routes));
    }

    /** The live alert state {@code GET /api/v1/alerts} shows besides the recent alerts. */
    public Builder alertStatus(java.util.function.Supplier<java.util.Map<String, Object>> alertStatus) {
      return admin(a -> a.alertStatus(alertStatus));
    }

    public Builder version(String version) {
      return admin(a -> a.version(version));
    }

    private Builder admin(Consumer<AdminServer.Builder> step) {
      this.admin = this.admin.andThen(step);
      return this;
    }

    public AdminApi build() {
      return new AdminApi(this);
    }
  }
}
