package io.tskotel.collector.alert.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.tskotel.collector.telemetry.CollectorMetrics;
import java.util.Map;
import java.util.function.IntSupplier;

/** The alerting's outcomes in the collector's own metrics ({@code /metrics}, self-telemetry). */
public final class AlertCounters {
  public static final String NOTIFICATIONS = "tskotel_alert_notifications_total";
  public static final String EVALUATIONS = "tskotel_alert_evaluations_total";
  public static final String ALERTS = "tskotel_alerts";

  private static final AttributeKey<String> CHANNEL = AttributeKey.stringKey("channel");
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");

  private final CollectorMetrics metrics;
  private final DoubleCounter notifications;
  private final DoubleCounter evaluations;

  public AlertCounters(CollectorMetrics metrics) {
    this.metrics = metrics;
    notifications = metrics.counter(NOTIFICATIONS,
        "Alert notifications by channel and outcome (sent, retried, failed, dropped).");
    evaluations = metrics.counter(EVALUATIONS, "Alert rule evaluations by outcome (ok, failed).");
  }

  /** The gauges of how many alerts are firing and pending. */
  public void states(IntSupplier firing, IntSupplier pending) {
    metrics.gauge(ALERTS, Map.of("state", "firing"), firing::getAsInt);
    metrics.gauge(ALERTS, Map.of("state", "pending"), pending::getAsInt);
  }

  /** Once per notification attempt, not per item: building the attributes here costs nothing that matters. */
  public void notification(String channel, String outcome) {
    notifications.add(1, Attributes.of(CHANNEL, channel, OUTCOME, outcome));
  }

  public void evaluation(String outcome) {
    evaluations.add(1, Attributes.of(OUTCOME, outcome));
  }
}
