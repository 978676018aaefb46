package io.tskotel.collector.api;

import static java.util.Objects.requireNonNull;

import io.tskotel.tsk.Tsk;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The admin HTTP server: where it listens (loopback by default), the optional bearer token (read from the
 * environment by whoever builds this; never logged), and the endpoint paths of the TSK {@code [dashboard]}
 * and {@code [health_checks]} sections. {@link Builder#build()} reports every invalid field at once.
 */
public record AdminServerConfig(
    String host,
    int port,
    @Nullable String bearerToken,
    String metricsPath,
    String dashboardPath,
    String statusPath,
    String healthPath,
    String readyPath,
    String livePath) {

  public static final int DEFAULT_PORT = 8080;

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
   * From a TSK document: {@code [collector] admin_host} and {@code admin_port}, {@code [query] admin_token}
   * (write it as {@code @env("TSKOTEL_ADMIN_TOKEN", "")}: empty means no auth), the {@code [dashboard]} {@code
   * metrics_endpoint}, {@code dashboard_endpoint}, {@code status_endpoint} and the {@code [health_checks]}
   * {@code health_endpoint}, {@code ready_endpoint}, {@code live_endpoint}; each defaults as {@link
   * #defaults()}.
   */
  public static AdminServerConfig fromTsk(Tsk tsk) {
    AdminServerConfig d = defaults();
    String token = tsk.getString("query.admin_token", "");
    return builder()
        .host(tsk.getString("collector.admin_host", d.host()))
        .port(tsk.getInt("collector.admin_port", d.port()))
        .bearerToken(token == null || token.isEmpty() ? null : token)
        .metricsPath(tsk.getString("dashboard.metrics_endpoint", d.metricsPath()))
        .dashboardPath(tsk.getString("dashboard.dashboard_endpoint", d.dashboardPath()))
        .statusPath(tsk.getString("dashboard.status_endpoint", d.statusPath()))
        .healthPath(tsk.getString("health_checks.health_endpoint", d.healthPath()))
        .readyPath(tsk.getString("health_checks.ready_endpoint", d.readyPath()))
        .livePath(tsk.getString("health_checks.live_endpoint", d.livePath()))
        .build();
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
        + ", auth="
        + (bearerToken == null ? "none" : "bearer")
        + ", paths="
        + List.of(metricsPath, dashboardPath, statusPath, healthPath, readyPath, livePath)
        + "]";
  }

  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = DEFAULT_PORT;
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
          host, port, bearerToken, metricsPath, dashboardPath, statusPath, healthPath, readyPath, livePath);
    }
  }
}
