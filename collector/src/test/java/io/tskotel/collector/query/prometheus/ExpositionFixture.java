package io.tskotel.collector.query.prometheus;

import java.util.List;
import java.util.Map;

/** Series covering every mapping rule, with the exact text they must produce. */
final class ExpositionFixture {
  private ExpositionFixture() {}

  static List<SelfMetric> self() {
    return List.of(
        new SelfMetric(
            "tskotel.receiver.accepted_spans",
            "Spans accepted by the OTLP receivers.",
            SelfMetric.Type.COUNTER,
            Map.of("transport", "grpc"),
            1200),
        new SelfMetric(
            "tskotel_queue_depth",
            "Batches waiting in the durable queue.",
            SelfMetric.Type.GAUGE,
            Map.of(),
            3));
  }

  static List<StoredSeries> stored() {
    return List.of(
        new StoredSeries(
            "cpu_usage", "%", "CPU usage", PromType.GAUGE, "api", "host-1", "", Map.of(),
            new StoredSeries.Value(42.5)),
        new StoredSeries(
            "requests_total", "", "Requests served.\nAll of them.", PromType.COUNTER, "shop/api", "",
            "io.tskotel.app",
            Map.of("http.route", "/pay\\now", "label\"q", "say \"hi\"\nbye", "job", "batch"),
            new StoredSeries.Value(1234)),
        new StoredSeries(
            "requests_total", "", "", PromType.COUNTER, "web", "", "", Map.of("http.route", "/"),
            new StoredSeries.Value(7)),
        new StoredSeries(
            "queue.size", "{item}", "", PromType.GAUGE, "api", "", "", Map.of("0shard", "a"),
            new StoredSeries.Value(-2)),
        new StoredSeries(
            "response_time", "s", "Response time.", PromType.HISTOGRAM, "api", "", "",
            Map.of("le", "x"),
            new StoredSeries.Histogram(List.of(0.1, 0.5, 1.0), List.of(2L, 3L, 4L, 1L), 5.75, 10)),
        new StoredSeries(
            "rpc.latency", "ms", "", PromType.SUMMARY, "api", "", "", Map.of(),
            new StoredSeries.Summary(List.of(0.5, 0.99), List.of(12.0, 80.5), 300, 20)),
        new StoredSeries(
            "process.heap", "KiBy", "", PromType.GAUGE, "api", "", "", Map.of(),
            new StoredSeries.Value(3)),
        // Collides with requests_total after sanitizing but is a gauge: left out.
        new StoredSeries(
            "requests.total", "", "", PromType.GAUGE, "x", "", "", Map.of(),
            new StoredSeries.Value(1)),
        // Would write tskotel_queue_depth, which the collector's own gauge holds: left out.
        new StoredSeries(
            "tskotel.queue.depth", "", "", PromType.GAUGE, "x", "", "", Map.of(),
            new StoredSeries.Value(99)),
        // "a.b" and "a_b" both sanitize to a_b: the values join in key order.
        new StoredSeries(
            "joined", "", "", PromType.GAUGE, "api", "", "", Map.of("a.b", "1", "a_b", "2"),
            new StoredSeries.Value(0.125)));
  }

  static final String TEXT =
      """
      # HELP cpu_usage_percent CPU usage
      # TYPE cpu_usage_percent gauge
      cpu_usage_percent{instance="host-1",job="api"} 42.5
      # HELP joined OpenTelemetry metric joined
      # TYPE joined gauge
      joined{a_b="1;2",job="api"} 0.125
      # HELP process_heap_bytes OpenTelemetry metric process.heap
      # TYPE process_heap_bytes gauge
      process_heap_bytes{job="api"} 3072
      # HELP queue_size OpenTelemetry metric queue.size
      # TYPE queue_size gauge
      queue_size{job="api",key_0shard="a"} -2
      # HELP requests_total Requests served.\\nAll of them.
      # TYPE requests_total counter
      requests_total{exported_job="batch",http_route="/pay\\\\now",job="shop/api",label_q="say \\"hi\\"\\nbye",otel_scope_name="io.tskotel.app"} 1234
      requests_total{http_route="/",job="web"} 7
      # HELP response_time_seconds Response time.
      # TYPE response_time_seconds histogram
      response_time_seconds_bucket{exported_le="x",job="api",le="0.1"} 2
      response_time_seconds_bucket{exported_le="x",job="api",le="0.5"} 5
      response_time_seconds_bucket{exported_le="x",job="api",le="1"} 9
      response_time_seconds_bucket{exported_le="x",job="api",le="+Inf"} 10
      response_time_seconds_sum{exported_le="x",job="api"} 5.75
      response_time_seconds_count{exported_le="x",job="api"} 10
      # HELP rpc_latency_seconds OpenTelemetry metric rpc.latency
      # TYPE rpc_latency_seconds summary
      rpc_latency_seconds{job="api",quantile="0.5"} 0.012
      rpc_latency_seconds{job="api",quantile="0.99"} 0.0805
      rpc_latency_seconds_sum{job="api"} 0.3
      rpc_latency_seconds_count{job="api"} 20
      # HELP tskotel_queue_depth Batches waiting in the durable queue.
      # TYPE tskotel_queue_depth gauge
      tskotel_queue_depth 3
      # HELP tskotel_receiver_accepted_spans_total Spans accepted by the OTLP receivers.
      # TYPE tskotel_receiver_accepted_spans_total counter
      tskotel_receiver_accepted_spans_total{transport="grpc"} 1200
      """;

  static String render(List<SelfMetric> self, List<StoredSeries> stored) {
    FamilyAssembler assembler = new FamilyAssembler();
    assembler.addSelf(self);
    assembler.addStored(stored);
    StringBuilder out = new StringBuilder();
    TextFormat.write(assembler.families(), out);
    return out.toString();
  }
}
