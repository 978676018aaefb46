package io.tskotel.collector.api;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tskotel.exporter.TelemetryStore;
import io.tskotel.collector.query.Aggregation;
import io.tskotel.collector.query.QueryFunctions;
import io.tskotel.collector.query.SqlFujsen;
import io.tskotel.collector.query.TimeRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code /api/v1/…}: the query functions as JSON over HTTP. Every parameter is checked (an unknown one is a
 * 400 naming the accepted ones) and passed to the functions as data; nothing here writes SQL.
 */
final class FunctionRoutes {
  static final String PREFIX = "/api/v1";
  private static final String LABEL_PREFIX = "label.";

  private final QueryFunctions functions;
  private final TelemetryStore store;
  private final @Nullable Supplier<Map<String, Object>> alertStatus;

  FunctionRoutes(QueryFunctions functions, TelemetryStore store, @Nullable Supplier<Map<String, Object>> alertStatus) {
    this.functions = requireNonNull(functions, "functions");
    this.store = requireNonNull(store, "store");
    this.alertStatus = alertStatus;
  }

  void register(RoutesConfig routes) {
    routes.get(PREFIX + "/metrics/{name}", ctx -> guarded(ctx, false, () -> metrics(ctx)));
    routes.get(PREFIX + "/error-rate", ctx -> guarded(ctx, false, () -> errorRate(ctx)));
    routes.get(PREFIX + "/request-rate", ctx -> guarded(ctx, false, () -> requestRate(ctx)));
    routes.get(PREFIX + "/latency", ctx -> guarded(ctx, false, () -> latency(ctx)));
    routes.get(PREFIX + "/revenue-today", ctx -> guarded(ctx, false, () -> revenueToday(ctx)));
    routes.get(
        PREFIX + "/payment-success-rate", ctx -> guarded(ctx, false, () -> paymentSuccessRate(ctx)));
    routes.get(PREFIX + "/dashboard", ctx -> guarded(ctx, false, () -> dashboard(ctx)));
    routes.get(PREFIX + "/alerts", ctx -> guarded(ctx, false, () -> alerts(ctx)));
    routes.get(PREFIX + "/query", ctx -> guarded(ctx, false, () -> listFujsen(ctx)));
    routes.get(PREFIX + "/query/{fujsen}", ctx -> guarded(ctx, true, () -> fujsen(ctx)));
  }

  @FunctionalInterface
  interface Body {
    Object get() throws Exception;
  }

  private void guarded(Context ctx, boolean userSql, Body body) {
    try {
      ctx.json(body.get());
    } catch (Exception e) {
      ApiError error = ApiError.of(e, userSql, store);
      AdminServer.logFailure(ctx, error, e);
      ctx.status(error.httpStatus()).json(Map.of("error", error.message()));
    }
  }

  private Object metrics(Context ctx) throws Exception {
    Map<String, String> params = single(ctx);
    Map<String, String> labels = new TreeMap<>();
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, String> e : params.entrySet()) {
      String k = e.getKey();
      if (k.startsWith(LABEL_PREFIX)) {
        labels.put(k.substring(LABEL_PREFIX.length()), e.getValue());
      } else if (!k.equals("range") && !k.equals("agg")) {
        unknown.add(k);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown parameters " + unknown + " (expected: range, agg, label.<name>)");
    }
    String name = ctx.pathParam("name");
    TimeRange range = TimeRange.parse(params.getOrDefault("range", "1h"));
    Aggregation agg = Aggregation.parse(params.getOrDefault("agg", "avg"));
    List<Double> values = functions.metrics().getMetrics(name, range, agg, labels);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", name);
    out.put("metric", functions.config().resolveMetric(name));
    out.put("range", params.getOrDefault("range", "1h"));
    out.put("aggregation", agg.wireName());
    out.put("labels", labels);
    out.put("values", values);
    return out;
  }

  private Object errorRate(Context ctx) throws Exception {
    String w = windowText(ctx, "5m");
    return withValue("window", w, functions.errorRate(window(w)));
  }

  private Object requestRate(Context ctx) throws Exception {
    String w = windowText(ctx, "1m");
    return withValue("window", w, functions.requestRate(window(w)));
  }

  private Object latency(Context ctx) throws Exception {
    String w = windowText(ctx, "5m");
    return Map.of("window", w, "routes", functions.latency(window(w)));
  }

  private Object revenueToday(Context ctx) throws Exception {
    allow(ctx, Set.of());
    return withValue("zone", functions.config().zone().getId(), functions.revenueToday());
  }

  private Object paymentSuccessRate(Context ctx) throws Exception {
    String w = windowText(ctx, "24h");
    return withValue("window", w, functions.paymentSuccessRate(window(w)));
  }

  /** {@code {key: keyValue, "value": value}}; a value without data stays JSON null (Map.of refuses it). */
  private static Map<String, @Nullable Object> withValue(String key, String keyValue, @Nullable Double value) {
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    out.put(key, keyValue);
    out.put("value", value);
    return out;
  }

  private Object dashboard(Context ctx) throws Exception {
    allow(ctx, Set.of());
    return functions.dashboardData();
  }

  private Object alerts(Context ctx) throws Exception {
    Map<String, String> params = allow(ctx, Set.of("since", "limit"));
    String since = params.getOrDefault("since", "1h");
    int limit = parseLimit(params.getOrDefault("limit", "10"));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("since", since);
    if (alertStatus != null) {
      out.putAll(alertStatus.get()); // firing, pending, silences: the evaluator's live state
    }
    out.put("alerts", functions.recentAlerts(window(since), limit));
    return out;
  }

  private Object listFujsen(Context ctx) {
    allow(ctx, Set.of());
    List<Map<String, Object>> out = new ArrayList<>();
    for (SqlFujsen f : functions.sqlFujsen().all()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("section", f.section());
      m.put("name", f.name());
      m.put("params", new TreeMap<>(f.params()));
      out.add(m);
    }
    return Map.of("fujsen", out);
  }

  private Object fujsen(Context ctx) throws Exception {
    String name = ctx.pathParam("fujsen");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("fujsen", name);
    out.putAll(ApiJson.result(functions.runSqlFujsen(name, single(ctx))));
    return out;
  }

  /** The query parameters, each given once. */
  static Map<String, String> single(Context ctx) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
      if (e.getValue().size() != 1) {
        throw new IllegalArgumentException(
            "parameter " + e.getKey() + " given " + e.getValue().size() + " times (expected: once)");
      }
      out.put(e.getKey(), e.getValue().get(0));
    }
    return out;
  }

  private static Map<String, String> allow(Context ctx, Set<String> allowed) {
    Map<String, String> params = single(ctx);
    List<String> unknown = params.keySet().stream().filter(k -> !allowed.contains(k)).sorted().toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown parameters "
              + unknown
              + " (expected: "
              + (allowed.isEmpty() ? "none" : String.join(", ", allowed.stream().sorted().toList()))
              + ")");
    }
    return params;
  }

  private static String windowText(Context ctx, String defaultWindow) {
    return allow(ctx, Set.of("window")).getOrDefault("window", defaultWindow);
  }

  /** A window duration; {@code all} makes no sense for a rate. */
  static Duration window(String text) {
    TimeRange r = TimeRange.parse(text);
    if (r.isAll()) {
      throw new IllegalArgumentException(
          "window: \"all\" (expected: a duration such as 1m, 5m, 1h, 24h, 7d)");
    }
    return r.length();
  }

  static int parseLimit(String text) {
    try {
      int limit = Integer.parseInt(text.trim());
      if (limit >= 1 && limit <= 10_000) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("limit: \"" + text + "\" (expected: an integer 1..10000)");
  }
}
