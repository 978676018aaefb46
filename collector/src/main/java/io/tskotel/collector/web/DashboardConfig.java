package io.tskotel.collector.web;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.api.AdminServerConfig;
import io.tskotel.tsk.SettingsReader;
import io.tskotel.tsk.ValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The dashboard page's settings (TSK {@code [dashboard]}).
 *
 * @param path where the page is served, e.g. {@code /dashboard} (the seed's {@code dashboard_endpoint})
 * @param apiBase the query API the page calls for {@code {apiBase}/dashboard}
 * @param refresh the page's auto-refresh interval; zero turns it off (the page can still change it)
 * @param defaultRange the chart range the page opens with, e.g. {@code 1h}
 */
public record DashboardConfig(String path, String apiBase, Duration refresh, String defaultRange) {
  private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9_.-]+)+");

  public static final DashboardConfig DEFAULT =
      new DashboardConfig("/dashboard", "/api/v1", Duration.ofSeconds(5), "1h");

  public DashboardConfig {
    requireNonNull(path, "path");
    requireNonNull(apiBase, "apiBase");
    requireNonNull(refresh, "refresh");
    requireNonNull(defaultRange, "defaultRange");
  }

  /**
   * From TSK {@code [dashboard]}: {@code refresh} (a duration, {@code "0s"} turns auto-refresh off) and {@code
   * default_range}; the page where the admin server serves it ({@code dashboard_endpoint}), the query API
   * under {@code /api/v1}. A bad value is an error in {@code r} and yields the default.
   */
  public static DashboardConfig read(SettingsReader r, AdminServerConfig admin) {
    SettingsReader.Section s = r.section("dashboard");
    DashboardConfig config = new DashboardConfig(
        admin.dashboardPath(),
        DEFAULT.apiBase(),
        s.get("refresh", ValueType.DURATION, DEFAULT.refresh()),
        s.get("default_range", ValueType.STRING, DEFAULT.defaultRange()));
    config.validate().forEach(e -> r.error("[dashboard] " + e));
    return config;
  }

  /** Every problem with these settings, empty when they are valid. */
  public List<String> validate() {
    List<String> errors = new ArrayList<>();
    if (!PATH.matcher(path).matches()) {
      errors.add("path: '" + path + "' (expected: /segment[/segment...] of letters, digits, _ . -)");
    }
    if (!PATH.matcher(apiBase).matches()) {
      errors.add("apiBase: '" + apiBase + "' (expected: /segment[/segment...] of letters, digits, _ . -)");
    }
    if (refresh.isNegative() || refresh.toMillis() % 1000 != 0 || refresh.toSeconds() > 3600) {
      errors.add("refresh: " + refresh + " (expected: whole seconds from 0 (off) to 1h)");
    }
    try {
      ChartRange.parse(defaultRange);
    } catch (IllegalArgumentException e) {
      errors.add("defaultRange: " + e.getMessage());
    }
    return errors;
  }
}
