package io.tskotel.collector.query.bench;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreException;
import io.tskotel.collector.query.prometheus.PrometheusExporter;
import io.tskotel.exporter.testing.TestStores;
import io.tskotel.exporter.testing.VizTelemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one {@code /metrics} scrape against the store, next to the cheapest round trip to the same
 * engine ({@code baseline}: one {@code count()} over the gauge table). {@code series} gauge series, as many
 * cumulative counters and a tenth as many histograms, 10 points each.
 *
 * <p>Run: {@code mvn -o -pl exporter -am -Pbench -Dchdb.skipFetch test-compile
 * -Djmh.args="PrometheusScrape -f 1"}. Not run by {@code verify}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PrometheusScrapeBenchmark {
  @Param({"1000", "10000"})
  int series;

  ClickHouseStore store;
  PrometheusExporter exporter;
  Map<String, String> params;

  @Setup(Level.Trial)
  public void setUp() throws StoreException {
    store = TestStores.newStore(PrometheusScrapeBenchmark.class);
    Instant now = Instant.now();
    List<Metric> metrics = new ArrayList<>();
    for (int s = 0; s < series; s++) {
      Gauge.Builder g = Gauge.newBuilder();
      Sum.Builder c =
          Sum.newBuilder()
              .setIsMonotonic(true)
              .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      Histogram.Builder h =
          Histogram.newBuilder()
              .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      for (int p = 0; p < 10; p++) {
        long t = VizTelemetry.nanos(now.minus(Duration.ofSeconds(10L * (10 - p))));
        g.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(t).setAsDouble(s + p)
            .addAttributes(VizTelemetry.kv("series", Integer.toString(s))));
        c.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(t).setAsDouble(100 * p)
            .addAttributes(VizTelemetry.kv("series", Integer.toString(s))));
        if (s % 10 == 0) {
          h.addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(t).setCount(6).setSum(3)
              .addAllExplicitBounds(List.of(0.1, 0.5, 1.0)).addAllBucketCounts(List.of(1L, 2L, 3L, 0L))
              .addAttributes(VizTelemetry.kv("series", Integer.toString(s))));
        }
      }
      metrics.add(Metric.newBuilder().setName("bench_gauge_" + (s % 50)).setGauge(g).build());
      metrics.add(Metric.newBuilder().setName("bench_counter_" + (s % 50)).setSum(c).build());
      if (s % 10 == 0) {
        metrics.add(Metric.newBuilder().setName("bench_histogram_" + (s % 5)).setHistogram(h).build());
      }
    }
    store.writeMetrics(
        List.of(
            ResourceMetrics.newBuilder()
                .setResource(VizTelemetry.apiResource())
                .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(metrics))
                .build()));
    exporter = PrometheusExporter.builder().store(store, store.config().database()).build();
    params = Map.of("db", store.config().database());
  }

  @Benchmark
  public Object baseline() throws StoreException {
    return store.query("SELECT count() FROM {db:Identifier}.otel_metrics_gauge", params);
  }

  @Benchmark
  public String scrape() throws StoreException {
    return exporter.scrape();
  }
}
