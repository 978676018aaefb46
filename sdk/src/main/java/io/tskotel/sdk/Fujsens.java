package io.tskotel.sdk;

import io.tskotel.tsk.FujsenCall;
import io.tskotel.tsk.FujsenFunction;
import io.tskotel.tsk.FujsenRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The seed's function names bound to {@link TskTelemetry}'s methods, so {@code tsk.executeFujsen("metrics",
 * "record_metric", "custom_metric", 42.5, Map.of("service", "api"))} runs the Java implementation. Arguments are
 * the seed's, in its order.
 */
final class Fujsens {
  private Fujsens() {}

  /** Registers every function; returns the names (all or none: a clash rolls back and throws). */
  static List<String> register(TskTelemetry t, FujsenRegistry registry) {
    Map<String, FujsenFunction> f = new LinkedHashMap<>();
    f.put("record_metric", c -> {
      double value = number(c, 1);
      t.recordMetric(text(c, 0), value, labels(c, 2));
      return entry("name", text(c, 0), "value", value, "labels", labels(c, 2));
    });
    f.put("increment_metric", c -> {
      double by = c.args().size() > 1 ? number(c, 1) : 1;
      t.incrementMetric(text(c, 0), by, labels(c, 2));
      return entry("name", text(c, 0), "value", by, "labels", labels(c, 2));
    });
    f.put("get_metrics", c -> t.getMetrics(text(c, 0), optText(c, 1, "1h"), optText(c, 2, "avg"), stringLabels(c, 3)));
    f.put("collect_metrics", c -> t.collectMetrics());
    f.put("track_user_activity", c -> {
      Object d = c.arg(2, null);
      t.trackUserActivity(text(c, 0), text(c, 1), d == null ? null : number(c, 2));
      return entry("user_id", text(c, 0), "action", text(c, 1), "duration", d);
    });
    f.put("track_feature_usage", c -> {
      t.trackFeatureUsage(text(c, 0), text(c, 1));
      return entry("user_id", text(c, 0), "feature", text(c, 1));
    });
    f.put("track_payment", c -> {
      double amount = number(c, 0);
      boolean success = bool(c, 1);
      t.trackPayment(amount, success, text(c, 2));
      return entry("amount", amount, "success", success, "payment_method", text(c, 2));
    });
    f.put("calculate_payment_success_rate", c -> t.paymentSuccessRate());
    f.put("log_info", c -> {
      t.logInfo(text(c, 0), labels(c, 1));
      return entry("level", "INFO", "message", text(c, 0), "context", labels(c, 1));
    });
    f.put("log_error", c -> {
      Object error = c.arg(1, null);
      Throwable th = error instanceof Throwable e ? e : error == null ? null : new RuntimeException(String.valueOf(error));
      t.logError(text(c, 0), th, labels(c, 2));
      return entry("level", "ERROR", "message", text(c, 0), "error", error == null ? null : String.valueOf(error),
          "context", labels(c, 2));
    });
    f.put("log_request", c -> {
      double duration = number(c, 4);
      int status = (int) number(c, 3);
      Object user = c.arg(5, null);
      t.logRequest(text(c, 0), text(c, 1), text(c, 2), status, duration, user == null ? null : String.valueOf(user));
      return entry("level", "INFO", "message", "HTTP Request", "request_id", text(c, 0), "method", text(c, 1),
          "path", text(c, 2), "status_code", status, "duration", duration, "user_id", user);
    });
    f.put("start_trace", c -> {
      Object parent = c.arg(1, null);
      return parent instanceof Trace p ? t.startTrace(text(c, 0), p) : t.startTrace(text(c, 0));
    });
    f.put("add_trace_tag", c -> {
      Trace trace = trace(c);
      if (trace == null) {
        return null;
      }
      Object v = c.arg(2, null);
      if (v instanceof Boolean b) {
        t.addTraceTag(trace, text(c, 1), b);
      } else if (v instanceof Integer || v instanceof Long) {
        t.addTraceTag(trace, text(c, 1), ((Number) v).longValue());
      } else if (v instanceof Number n) {
        t.addTraceTag(trace, text(c, 1), n.doubleValue());
      } else {
        t.addTraceTag(trace, text(c, 1), String.valueOf(v));
      }
      return entry(text(c, 1), v);
    });
    f.put("end_trace", c -> {
      Trace trace = trace(c);
      if (trace == null) {
        return null;
      }
      String status = optText(c, 1, "OK");
      Object error = c.arg(2, null);
      Throwable th = error instanceof Throwable e ? e : error == null ? null : new RuntimeException(String.valueOf(error));
      double duration = t.endTrace(trace, status, th);
      return entry("trace_id", trace.traceId(), "span_id", trace.spanId(), "duration", duration,
          "status", th != null ? "ERROR" : status);
    });
    f.put("generate_trace_id", c -> io.opentelemetry.api.trace.TraceId.fromLongs(rnd(), rnd() | 1));
    f.put("generate_span_id", c -> io.opentelemetry.api.trace.SpanId.fromLong(rnd() | 1));
    f.put("check_health", c -> t.checkHealth());
    f.put("check_database_health", c -> one(t, "database"));
    f.put("check_cache_health", c -> one(t, "cache"));
    f.put("check_external_services", c -> {
      List<String> external = new ArrayList<>(t.healthCheckNames());
      external.removeAll(List.of("database", "cache"));
      return t.checkHealth(external).checks();
    });

    List<String> done = new ArrayList<>();
    try {
      for (Map.Entry<String, FujsenFunction> e : f.entrySet()) {
        registry.register(e.getKey(), e.getValue());
        done.add(e.getKey());
      }
    } catch (IllegalStateException e) {
      done.forEach(registry::unregister);
      throw new IllegalStateException(e.getMessage()
          + " (one TskTelemetry per Tsk: close the other first, or parse the file again)", e);
    }
    return List.copyOf(done);
  }

  private static long rnd() {
    return java.util.concurrent.ThreadLocalRandom.current().nextLong();
  }

  private static @Nullable Object one(TskTelemetry t, String name) {
    if (!t.healthCheckNames().contains(name)) {
      return HealthCheck.Result.unhealthy("no '" + name + "' check is configured");
    }
    return t.checkHealth(List.of(name)).checks().get(name);
  }

  private static @Nullable Trace trace(FujsenCall c) {
    Object v = c.arg(0, null);
    if (v == null) {
      return null; // the seed: "if not span: return"
    }
    if (!(v instanceof Trace trace)) {
      throw new IllegalArgumentException(c.name() + ": argument 1: " + v.getClass().getSimpleName()
          + " (expected: the Trace start_trace returned)");
    }
    return trace;
  }

  private static String text(FujsenCall c, int i) {
    Object v = c.arg(i, null);
    if (v == null) {
      throw new IllegalArgumentException(c.name() + ": argument " + (i + 1) + " is missing");
    }
    return String.valueOf(v);
  }

  private static String optText(FujsenCall c, int i, String def) {
    Object v = c.arg(i, null);
    return v == null ? def : String.valueOf(v);
  }

  private static double number(FujsenCall c, int i) {
    Object v = c.arg(i, null);
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException(c.name() + ": argument " + (i + 1) + ": "
        + (v == null ? "missing" : "\"" + v + "\"") + " (expected: a number)");
  }

  private static boolean bool(FujsenCall c, int i) {
    Object v = c.arg(i, null);
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Number n) {
      return n.doubleValue() != 0; // the seed stores success as 1/0
    }
    if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw new IllegalArgumentException(c.name() + ": argument " + (i + 1) + ": " + v + " (expected: a boolean)");
  }

  private static Map<String, ?> labels(FujsenCall c, int i) {
    Object v = c.arg(i, null);
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(c.name() + ": argument " + (i + 1) + ": " + v.getClass().getSimpleName()
          + " (expected: a map of labels)");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, val) -> out.put(String.valueOf(k), val));
    return out;
  }

  private static Map<String, String> stringLabels(FujsenCall c, int i) {
    Map<String, String> out = new LinkedHashMap<>();
    labels(c, i).forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }

  private static Map<String, @Nullable Object> entry(@Nullable Object... kv) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(String.valueOf(kv[i]), kv[i + 1]);
    }
    m.put("timestamp", System.currentTimeMillis() / 1000.0);
    return m;
  }
}
