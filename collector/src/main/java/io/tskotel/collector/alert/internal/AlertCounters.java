package io.tskotel.collector.alert.internal;

import io.tskotel.collector.telemetry.CollectorMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** The alerting's outcomes in the collector's own metrics ({@code /metrics}, self-telemetry). */
public final class AlertCounters {
  public static final String NOTIFICATIONS = "tskotel_alert_notifications_total";
  public static final String EVALUATIONS = "tskotel_alert_evaluations_total";
  public static final String ALERTS = "tskotel_alerts";

  private final CollectorMetrics metrics;
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

  public AlertCounters(CollectorMetrics metrics) {
    this.metrics = metrics;
    metrics.counterFamily(NOTIFICATIONS,
        "Alert notifications by channel and outcome (sent, retried, failed, dropped).");
    metrics.counterFamily(EVALUATIONS, "Alert rule evaluations by outcome (ok, failed).");
  }

  /** The gauges of how many alerts are firing and pending. */
  public void states(IntSupplier firing, IntSupplier pending) {
    metrics.gauge(ALERTS, Map.of("state", "firing"), firing::getAsInt);
    metrics.gauge(ALERTS, Map.of("state", "pending"), pending::getAsInt);
  }

  public void notification(String channel, String outcome) {
    count(NOTIFICATIONS, Map.of("channel", channel, "outcome", outcome));
  }

  public void evaluation(String outcome) {
    count(EVALUATIONS, Map.of("outcome", outcome));
  }

  /** The current count (for tests and the status view). */
  public long value(String name, Map<String, String> labels) {
    LongAdder a = counters.get(key(name, labels));
    return a == null ? 0 : a.sum();
  }

  private void count(String name, Map<String, String> labels) {
    counters.computeIfAbsent(key(name, labels), k -> {
      LongAdder adder = new LongAdder();
      metrics.counterFunction(name, labels, adder::sum);
      return adder;
    }).increment();
  }

  private static String key(String name, Map<String, String> labels) {
    return name + new java.util.TreeMap<>(labels);
  }
}
