package io.tskotel.collector.query;

import io.tskotel.exporter.StoreException;

/**
 * Renders stored metrics in the Prometheus text exposition format: the seam behind the {@code export_metrics}
 * fujsen and the {@code /metrics} endpoint. {@link QueryFunctions} ships {@link #seed} (the seed's four
 * lines); a full renderer (every metric, HELP/TYPE, histograms) plugs in through {@link
 * QueryFunctions.Builder#exposition}.
 */
@FunctionalInterface
public interface MetricsExposition {

  /** The exposition text, ending with a newline when not empty. */
  String render() throws StoreException;

  /**
   * The seed's {@code export_metrics}: {@code cpu_usage} and {@code memory_usage} (1m averages),
   * {@code requests_total} and {@code errors_total} (1m sums), each line only when the metric has data.
   */
  static MetricsExposition seed(QueryFunctions functions) {
    return () -> {
      StringBuilder sb = new StringBuilder();
      String[][] lines = {
        {"cpu_usage", "avg"}, {"memory_usage", "avg"}, {"requests_total", "sum"}, {"errors_total", "sum"}
      };
      for (String[] line : lines) {
        var values = functions.getMetrics(line[0], "1m", line[1], java.util.Map.of());
        if (!values.isEmpty()) {
          sb.append(line[0]).append(' ').append(values.get(0)).append('\n');
        }
      }
      return sb.toString();
    };
  }
}
