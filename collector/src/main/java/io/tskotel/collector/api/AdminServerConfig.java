package io.tskotel.collector.api;

import static java.util.Objects.requireNonNull;

import static io.tskotel.tsk.ValueType.INT;
import static io.tskotel.tsk.ValueType.STRING;

import io.tskotel.tsk.SettingsReader;
import io.tskotel.tsk.Tsk;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The admin surfaces: where the HTTP server and the gRPC QueryService listen (loopback by default), the
 * optional bearer token (read from the environment by whoever builds this; never logged), and the endpoint
 * paths of the TSK {@code [dashboard]} and {@code [health_checks]} sections. {@link Builder#build()} reports
 * every invalid field at once.
 *
 * @param grpcPort the gRPC QueryService's port on {@code host}; 0 picks a free one, -1 turns it off
 */
public record AdminServerConfig(
    String host,
    int port,
    int grpcPort,
    @Nullable String bearerToken,
    String metricsPath,
    String dashboardPath,
    String statusPath,
    String healthPath,
    String readyPath,
    String livePath) {

  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_GRPC_PORT = QueryGrpcServer.DEFAULT_PORT;

  public AdminServerConfig {
    requireNonNull(host, "host");
    requireNonNull(metricsPath, "metricsPath");
    requireNonNull(dashboardPath, "dashboardPath");
    requireNonNull(statusPath, "statusPath");
    requireNonNull(healthPath, "healthPath");
    requireNonNull(readyPath, "readyPath");
    requireNonNull(livePath, "livePath");
    List<String> errors = new ArrayList<>();
    if (host.isBlank()) {
      errors.add("host: \"\" (expected: an address such as 127.0.0.1)");
    }
    if (port < 0 || port > 65535) {
      errors.add("port: " + port + " (expected: 0..65535, 0 = any free port)");
    }
    if (grpcPort < -1 || grpcPort > 65535) {
      errors.add("grpcPort: " + grpcPort + " (expected: 0..65535, 0 = any free port, -1 = off)");
    }
    if (bearerToken != null && bearerToken.isBlank()) {
      errors.add("bearerToken: blank (expected: unset, or a non-blank token)");
    }
    Set<String> seen = new LinkedHashSet<>();
    String[][] paths = {
      {"metricsPath", metricsPath},
      {"dashboardPath", dashboardPath},
      {"statusPath", statusPath},
      {"healthPath", healthPath},
      {"readyPath", readyPath},
      {"livePath", livePath}
    };
    for (String[] p : paths) {
      if (!p[1].matches("/[A-Za-z0-9._~/-]*")) {
        errors.add(p[0] + ": \"" + p[1] + "\" (expected: a path starting with /)");
      } else if (p[1].startsWith("/api/")) {
        errors.add(p[0] + ": \"" + p[1] + "\" (expected: outside /api/, which the query API owns)");
      } else if (!seen.add(p[1])) {
        errors.add(p[0] + ": \"" + p[1] + "\" is used twice");
      }
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid admin server config: " + String.join("; ", errors));
    }
  }

  /**
   * From a TSK document: {@code [admin] host, port, grpc_port, token} (write the token as {@code
   * @env("TSKOTEL_ADMIN_TOKEN", "")}: empty means no auth), the {@code [dashboard]} {@code metrics_endpoint},
   * {@code dashboard_endpoint}, {@code status_endpoint} and the {@code [health_checks]} {@code
   * health_endpoint}, {@code ready_endpoint}, {@code live_endpoint}; each defaults as {@link #defaults()}.
   *
   * @throws io.tskotel.tsk.SettingsException listing every bad value
   */
  public static AdminServerConfig fromTsk(Tsk tsk) {
    return SettingsReader.readOnly(tsk, AdminServerConfig::read);
  }

  /** Reads the keys {@link #fromTsk} names; a bad value is an error in {@code r} and yields the default. */
  public static AdminServerConfig read(SettingsReader r) {
    AdminServerConfig d = defaults();
    SettingsReader.Section admin = r.section("admin");
    SettingsReader.Section dashboard = r.section("dashboard");
    SettingsReader.Section health = r.section("health_checks");
    r.section("collector").moved("admin_host", "[admin] host");
    r.section("collector").moved("admin_port", "[admin] port");
    r.section("query").moved("admin_token", "[admin] token");
    r.section("query").moved("grpc_port", "[admin] grpc_port");
    String token = admin.get("token", STRING, "");
    Builder b = builder()
        .host(admin.get("host", STRING, d.host()))
        .port(admin.get("port", INT, d.port()))
        .grpcPort(admin.get("grpc_port", INT, d.grpcPort()))
        .bearerToken(token.isEmpty() ? null : token)
        .metricsPath(dashboard.get("metrics_endpoint", STRING, d.metricsPath()))
        .dashboardPath(dashboard.get("dashboard_endpoint", STRING, d.dashboardPath()))
        .statusPath(dashboard.get("status_endpoint", STRING, d.statusPath()))
        .healthPath(health.get("health_endpoint", STRING, d.healthPath()))
        .readyPath(health.get("ready_endpoint", STRING, d.readyPath()))
        .livePath(health.get("live_endpoint", STRING, d.livePath()));
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      r.error("[admin] " + e.getMessage());
      return d;
    }
  }

  public static AdminServerConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String toString() {
    // The token is a secret: never printed.
    return "AdminServerConfig[host="
        + host
        + ", port="
        + port
        + ", grpcPort="
        + grpcPort
        + ", auth="
        + (bearerToken == null ? "none" : "bearer")
        + ", paths="
        + List.of(metricsPath, dashboardPath, statusPath, healthPath, readyPath, livePath)
        + "]";
  }

  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = DEFAULT_PORT;
    private int grpcPort = DEFAULT_GRPC_PORT;
    private @Nullable String bearerToken;
    private String metricsPath = "/metrics";
    private String dashboardPath = "/dashboard";
    private String statusPath = "/status";
    private String healthPath = "/health";
    private String readyPath = "/ready";
    private String livePath = "/live";

    private Builder() {}

    public Builder host(String v) {
      this.host = v;
      return this;
    }

    public Builder port(int v) {
      this.port = v;
      return this;
    }

    /** The gRPC QueryService's port: 0 picks a free one, -1 turns it off. */
    public Builder grpcPort(int v) {
      this.grpcPort = v;
      return this;
    }

    /** Requests then need {@code Authorization: Bearer <token>}; null turns auth off. */
    public Builder bearerToken(@Nullable String v) {
      this.bearerToken = v;
      return this;
    }

    public Builder metricsPath(String v) {
      this.metricsPath = v;
      return this;
    }

    public Builder dashboardPath(String v) {
      this.dashboardPath = v;
      return this;
    }

    public Builder statusPath(String v) {
      this.statusPath = v;
      return this;
    }

    public Builder healthPath(String v) {
      this.healthPath = v;
      return this;
    }

    public Builder readyPath(String v) {
      this.readyPath = v;
      return this;
    }

    public Builder livePath(String v) {
      this.livePath = v;
      return this;
    }

    public AdminServerConfig build() {
      return new AdminServerConfig(
          host, port, grpcPort, bearerToken, metricsPath, dashboardPath, statusPath, healthPath, readyPath, livePath);
    }
  }
}
