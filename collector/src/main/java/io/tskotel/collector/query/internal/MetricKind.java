package io.tskotel.collector.query.internal;

/**
 * The OTel metric point types, each stored in its own table of the clickhouseexporter schema; {@link #table}
 * names it in the database bound to the {@code db} parameter.
 */
public enum MetricKind {
  GAUGE("{db:Identifier}.otel_metrics_gauge"),
  SUM("{db:Identifier}.otel_metrics_sum"),
  HISTOGRAM("{db:Identifier}.otel_metrics_histogram"),
  EXPONENTIAL_HISTOGRAM("{db:Identifier}.otel_metrics_exponential_histogram"),
  SUMMARY("{db:Identifier}.otel_metrics_summary");

  private final String table;

  MetricKind(String table) {
    this.table = table;
  }

  public String table() {
    return table;
  }
}
