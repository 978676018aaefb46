package io.tskotel.exporter.internal.encode;

import java.util.ArrayList;
import java.util.List;

/** The five metric tables, one per OTLP point type, with the columns their encoder writes, in order. */
public enum MetricTable {
  GAUGE("otel_metrics_gauge", List.of("Value", "Flags"), exemplars(), List.of()),
  SUM("otel_metrics_sum", List.of("Value", "Flags"), exemplars(),
      List.of("AggregationTemporality", "IsMonotonic")),
  HISTOGRAM("otel_metrics_histogram",
      List.of("Count", "Sum", "BucketCounts", "ExplicitBounds"), exemplars(),
      List.of("Flags", "Min", "Max", "AggregationTemporality")),
  EXPONENTIAL_HISTOGRAM("otel_metrics_exponential_histogram",
      List.of("Count", "Sum", "Scale", "ZeroCount", "PositiveOffset", "PositiveBucketCounts",
          "NegativeOffset", "NegativeBucketCounts"), exemplars(),
      List.of("Flags", "Min", "Max", "AggregationTemporality")),
  SUMMARY("otel_metrics_summary",
      List.of("Count", "Sum", "ValueAtQuantiles.Quantile", "ValueAtQuantiles.Value", "Flags"),
      List.of(), List.of());

  private final String table;
  private final List<String> columns;

  MetricTable(String table, List<String> own, List<String> exemplars, List<String> tail) {
    this.table = table;
    List<String> c = new ArrayList<>(common());
    c.addAll(own);
    c.addAll(exemplars);
    c.addAll(tail);
    this.columns = List.copyOf(c);
  }

  /** The columns every metric table starts with. */
  static List<String> common() {
    return List.of(
        "ResourceAttributes", "ResourceSchemaUrl", "ScopeName", "ScopeVersion", "ScopeAttributes",
        "ScopeDroppedAttrCount", "ScopeSchemaUrl", "ServiceName", "MetricName", "MetricDescription",
        "MetricUnit", "Attributes", "StartTimeUnix", "TimeUnix");
  }

  private static List<String> exemplars() {
    return List.of("Exemplars.FilteredAttributes", "Exemplars.TimeUnix", "Exemplars.Value",
        "Exemplars.SpanId", "Exemplars.TraceId");
  }

  public String table() {
    return table;
  }

  public List<String> columns() {
    return columns;
  }
}
