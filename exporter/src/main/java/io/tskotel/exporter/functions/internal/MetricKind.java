package io.tskotel.exporter.functions.internal;

/** The OTel metric point types, each stored in its own table of the clickhouseexporter schema. */
public enum MetricKind {
  GAUGE("otel_metrics_gauge"),
  SUM("otel_metrics_sum"),
  HISTOGRAM("otel_metrics_histogram"),
  EXPONENTIAL_HISTOGRAM("otel_metrics_exponential_histogram"),
  SUMMARY("otel_metrics_summary");

  private final String table;

  MetricKind(String table) {
    this.table = table;
  }

  public String table() {
    return table;
  }
}
