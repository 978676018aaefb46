package io.tskotel.collector.alert;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One alerting rule: a value measured every evaluation ({@link Source}), compared with a threshold, firing
 * once the comparison held for {@code forDuration}.
 *
 * @param name the alert's type ({@code high_cpu}); unique among the rules
 * @param source what is measured
 * @param comparator one of {@code > >= < <= == !=}: the alert holds when {@code value comparator threshold}
 * @param threshold the value compared with
 * @param forDuration how long the condition must hold before the alert fires (0: at the first breach)
 * @param severity {@code critical}, {@code warning} or {@code info}
 * @param labels added to every alert of the rule
 * @param groupBy one alert per value of these labels ({@code service}, a metric attribute, a SQL column)
 * @param message the template of the alert's message: {@code {rule} {value} {threshold} {comparator}
 *     {severity} {labels.KEY}}
 * @param channels where its notifications go; null routes by severity
 * @param location where the rule is defined ({@code file:line:col}), for messages about it
 */
public record AlertRule(
    String name,
    Source source,
    String comparator,
    double threshold,
    Duration forDuration,
    String severity,
    Map<String, String> labels,
    List<String> groupBy,
    String message,
    @Nullable List<String> channels,
    String location) {

  public static final Set<String> COMPARATORS = Set.of(">", ">=", "<", "<=", "==", "!=");
  public static final List<String> SEVERITIES = List.of("critical", "warning", "info");
  public static final List<String> CHANNELS = List.of("email", "slack", "pagerduty", "webhook");

  public AlertRule {
    requireNonNull(name, "name");
    requireNonNull(source, "source");
    requireNonNull(comparator, "comparator");
    requireNonNull(forDuration, "forDuration");
    requireNonNull(severity, "severity");
    labels = Map.copyOf(requireNonNull(labels, "labels"));
    groupBy = List.copyOf(requireNonNull(groupBy, "groupBy"));
    requireNonNull(message, "message");
    channels = channels == null ? null : List.copyOf(channels);
    requireNonNull(location, "location");
  }

  /** What a rule measures. */
  public sealed interface Source {}

  /**
   * A metric folded over a window, in the vocabulary of {@code getMetrics}.
   *
   * @param filters label filters, as {@code getMetrics} takes them
   */
  public record Metric(String metric, String aggregation, String range, Map<String, String> filters)
      implements Source {
    public Metric {
      requireNonNull(metric, "metric");
      requireNonNull(aggregation, "aggregation");
      requireNonNull(range, "range");
      filters = Map.copyOf(requireNonNull(filters, "filters"));
    }
  }

  /**
   * A SQL fujsen returning one value (its last column); with {@code group_by}, one row per group whose
   * other columns name the group. The parameters {@code from_ns}, {@code to_ns} (Int64) are bound to the
   * window {@code range} ending at the evaluation's time.
   */
  public record Sql(String section, String fujsen, String sql, String range) implements Source {
    public Sql {
      requireNonNull(section, "section");
      requireNonNull(fujsen, "fujsen");
      requireNonNull(sql, "sql");
      requireNonNull(range, "range");
    }
  }

  /** The percentage of failed requests over the window (the seed's {@code calculate_error_rate}). */
  public record ErrorRate(Duration window) implements Source {
    public ErrorRate {
      requireNonNull(window, "window");
    }
  }
}
