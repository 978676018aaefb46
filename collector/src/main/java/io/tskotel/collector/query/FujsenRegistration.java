package io.tskotel.collector.query;

import static java.util.Objects.requireNonNull;

import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.tsk.FujsenCall;
import io.tskotel.tsk.FujsenFunction;
import io.tskotel.tsk.FujsenRegistry;
import io.tskotel.tsk.Tsk;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The query functions as TSK fujsen, under the seed's names, so {@code tsk.executeFujsen("dashboard",
 * "generate_dashboard_data")} and alert rules call them like the seed's Python did:
 *
 * <ul>
 *   <li>{@code get_metrics(metric_name, time_range = "1h", aggregation = "avg", labels = {})} → list of numbers
 *   <li>{@code calculate_error_rate(window = "5m")} → percent
 *   <li>{@code calculate_request_rate(window = "1m")} → per second
 *   <li>{@code calculate_revenue_today()}
 *   <li>{@code calculate_payment_success_rate(window = "24h")} → percent
 *   <li>{@code get_recent_alerts(since = "1h", limit = 10)} → list of {@link io.tskotel.exporter.AlertRecord}
 *   <li>{@code generate_dashboard_data()} → {@link DashboardData}
 *   <li>{@code export_metrics()} → Prometheus text ({@link MetricsExposition})
 *   <li>every SQL fujsen, by its own name: one argument, a map of parameter values → {@link QueryResult}
 * </ul>
 *
 * <p>A window argument is a duration text ({@code "5m"}) or a {@link Duration}. A store failure surfaces as
 * an {@link IllegalStateException} whose cause is the {@link StoreException}.
 */
public final class FujsenRegistration {
  private FujsenRegistration() {}

  /** The names registered by {@link #register}, SQL fujsen aside. */
  public static final List<String> NAMES =
      List.of(
          "get_metrics",
          "calculate_error_rate",
          "calculate_request_rate",
          "calculate_revenue_today",
          "calculate_payment_success_rate",
          "get_recent_alerts",
          "generate_dashboard_data",
          "export_metrics");

  @FunctionalInterface
  private interface Body {
    @Nullable Object call(FujsenCall call) throws StoreException;
  }

  private static FujsenFunction fn(Body body) {
    return call -> {
      try {
        return body.call(call);
      } catch (StoreException e) {
        throw new IllegalStateException(call.name() + ": " + e.getMessage(), e);
      }
    };
  }

  /**
   * Registers every function in {@code registry}.
   *
   * @throws IllegalStateException when a name is already registered
   */
  public static void register(FujsenRegistry registry, QueryFunctions f) {
    requireNonNull(registry, "registry");
    requireNonNull(f, "f");
    registry.register(
        "get_metrics",
        fn(
            c ->
                f.getMetrics(
                    text(c.arg(0, null), "metric_name", null),
                    text(c.arg(1, null), "time_range", "1h"),
                    text(c.arg(2, null), "aggregation", "avg"),
                    labels(c.arg(3, null)))));
    registry.register("calculate_error_rate", fn(c -> f.errorRate(window(c.arg(0, null), "5m"))));
    registry.register("calculate_request_rate", fn(c -> f.requestRate(window(c.arg(0, null), "1m"))));
    registry.register("calculate_revenue_today", fn(c -> f.revenueToday()));
    registry.register(
        "calculate_payment_success_rate", fn(c -> f.paymentSuccessRate(window(c.arg(0, null), "24h"))));
    registry.register(
        "get_recent_alerts",
        fn(c -> f.recentAlerts(window(c.arg(0, null), "1h"), limit(c.arg(1, null)))));
    registry.register("generate_dashboard_data", fn(c -> f.dashboardData()));
    registry.register("export_metrics", fn(c -> f.exportMetrics()));
    for (SqlFujsen q : f.sqlFujsen().all()) {
      if (registry.get(q.name()) == null) {
        registry.register(
            q.name(), fn(c -> f.runSqlFujsen(c.section() + "." + c.name(), params(c.arg(0, null)))));
      }
    }
  }

  /** Every SQL fujsen of {@code tsk}, in every section. */
  public static List<SqlFujsen> sqlFujsen(Tsk tsk) {
    Map<String, Map<String, String>> bodies = new LinkedHashMap<>();
    for (String section : tsk.sections()) {
      bodies.put(section, tsk.fujsen(section));
    }
    return SqlFujsens.parseAll(bodies);
  }

  private static String text(@Nullable Object v, String name, @Nullable String defaultValue) {
    if (v == null) {
      if (defaultValue == null) {
        throw new IllegalArgumentException(name + ": missing");
      }
      return defaultValue;
    }
    return v.toString();
  }

  private static Duration window(@Nullable Object v, String defaultWindow) {
    if (v instanceof Duration d) {
      return d;
    }
    TimeRange r = TimeRange.parse(v == null ? defaultWindow : v.toString());
    if (r.isAll()) {
      throw new IllegalArgumentException("window: \"all\" (expected: a duration such as 5m)");
    }
    return r.length();
  }

  private static int limit(@Nullable Object v) {
    if (v == null) {
      return 10;
    }
    if (v instanceof Number n) {
      return n.intValue();
    }
    try {
      return Integer.parseInt(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("limit: \"" + v + "\" (expected: an integer 1..10000)", e);
    }
  }

  private static Map<String, String> labels(@Nullable Object v) {
    return params(v);
  }

  private static Map<String, String> params(@Nullable Object v) {
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("expected a map of name to value, got " + v.getClass().getSimpleName());
    }
    Map<String, String> out = new LinkedHashMap<>();
    m.forEach((k, val) -> out.put(String.valueOf(k), String.valueOf(val)));
    return out;
  }
}
