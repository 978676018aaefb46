package io.tskotel.collector.query.bench;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.StoreException;
import io.tskotel.collector.query.QueryConfig;
import io.tskotel.collector.query.QueryFunctions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the metric semantics cost: {@code getMetrics} (window functions over series for counters and
 * histograms, type detection, parameter binding) against the plainest aggregate over the very same rows
 * ({@code sum(Value)}, {@code avg(Value)}, {@code sumForEach(BucketCounts)}), in the same process and run.
 * Not a test: run it by hand.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp collector/target/test-classes:collector/target/classes:$(deps) \
 *     io.tskotel.collector.query.bench.QueryBenchmark [points per metric] [series] [rounds]
 * </pre>
 */
public final class QueryBenchmark {
  private QueryBenchmark() {}

  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  public static void main(String[] args) throws Exception {
    int points = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int series = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    Path dir = Files.createTempDirectory("tskotel-query-bench-");
    StoreConfig.Builder b = StoreConfig.builder().dataPath(dir).database("bench");
    for (String signal : List.of("traces", "logs", "metrics", "alerts")) {
      b.ttl(signal, Duration.ZERO);
    }
    try (ClickHouseStore store = ClickHouseStore.embedded(b.build())) {
      long t0 = System.nanoTime();
      write(store, points, series);
      System.out.printf("wrote 3 x %,d points (%d series each) in %.1f s%n", points, series, (System.nanoTime() - t0) / 1e9);
      QueryFunctions f =
          QueryFunctions.builder(store)
              .clock(Clock.fixed(NOW, ZoneOffset.UTC))
              .config(QueryConfig.builder().database("bench").build())
              .build();
      Map<String, Object> window =
          Map.of("db", "bench", "from", NOW.minus(Duration.ofDays(1)), "to", NOW);
      String where = " WHERE MetricName = {name:String} AND TimeUnix >= {from:DateTime64(9)} AND TimeUnix <= {to:DateTime64(9)}";
      compare(rounds, "counter sum (increase)",
          () -> f.getMetrics("bench_counter", "24h", "sum", Map.of()),
          () -> store.query("SELECT sum(Value) FROM {db:Identifier}.otel_metrics_sum" + where, with(window, "bench_counter")));
      Map<String, Object> last5m = new java.util.HashMap<>(with(window, "bench_counter"));
      last5m.put("from", NOW.minus(Duration.ofMinutes(5)));
      compare(rounds, "counter sum 5m of 24h",
          () -> f.getMetrics("bench_counter", "5m", "sum", Map.of()),
          () -> store.query("SELECT sum(Value) FROM {db:Identifier}.otel_metrics_sum" + where, last5m));
      compare(rounds, "gauge avg",
          () -> f.getMetrics("bench_gauge", "24h", "avg", Map.of()),
          () -> store.query("SELECT avg(Value) FROM {db:Identifier}.otel_metrics_gauge" + where, with(window, "bench_gauge")));
      compare(rounds, "gauge p99 (quantileExact)",
          () -> f.getMetrics("bench_gauge", "24h", "p99", Map.of()),
          () -> store.query("SELECT avg(Value) FROM {db:Identifier}.otel_metrics_gauge" + where, with(window, "bench_gauge")));
      compare(rounds, "histogram p99 (increases)",
          () -> f.getMetrics("bench_histogram", "24h", "p99", Map.of()),
          () -> store.query("SELECT sumForEach(BucketCounts) FROM {db:Identifier}.otel_metrics_histogram" + where, with(window, "bench_histogram")));
    }
  }

  private static Map<String, Object> with(Map<String, Object> window, String name) {
    Map<String, Object> m = new java.util.HashMap<>(window);
    m.put("name", name);
    return m;
  }

  @FunctionalInterface
  interface Query {
    Object run() throws StoreException;
  }

  private static void compare(int rounds, String what, Query ours, Query baseline) throws StoreException {
    ours.run();
    baseline.run();
    long[] a = new long[rounds];
    long[] z = new long[rounds];
    for (int i = 0; i < rounds; i++) {
      long s = System.nanoTime();
      ours.run();
      a[i] = System.nanoTime() - s;
      s = System.nanoTime();
      baseline.run();
      z[i] = System.nanoTime() - s;
    }
    Arrays.sort(a);
    Arrays.sort(z);
    double ma = a[rounds / 2] / 1e6;
    double mz = z[rounds / 2] / 1e6;
    System.out.printf("%-28s median %8.2f ms   baseline %8.2f ms   ratio %5.2f%n", what, ma, mz, ma / mz);
  }

  private static void write(ClickHouseStore store, int points, int series) throws StoreException {
    long step = Duration.ofDays(1).toNanos() / (points / series);
    long end = NOW.getEpochSecond() * 1_000_000_000L;
    long start = end - Duration.ofDays(1).toNanos();
    List<Double> bounds = List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);
    int batch = 10_000;
    for (int done = 0; done < points; done += batch) {
      List<NumberDataPoint> counter = new ArrayList<>();
      List<NumberDataPoint> gauge = new ArrayList<>();
      List<HistogramDataPoint> hist = new ArrayList<>();
      for (int i = done; i < Math.min(points, done + batch); i++) {
        int s = i % series;
        int n = i / series;
        long time = start + n * step;
        KeyValue attr = KeyValue.newBuilder().setKey("series").setValue(AnyValue.newBuilder().setStringValue("s" + s)).build();
        counter.add(NumberDataPoint.newBuilder().setStartTimeUnixNano(start).setTimeUnixNano(time).setAsDouble(n * 3.0).addAttributes(attr).build());
        gauge.add(NumberDataPoint.newBuilder().setTimeUnixNano(time).setAsDouble((i * 7919L) % 1000).addAttributes(attr).build());
        HistogramDataPoint.Builder h = HistogramDataPoint.newBuilder().setStartTimeUnixNano(start).setTimeUnixNano(time)
            .addAllExplicitBounds(bounds).addAttributes(attr).setMin(0.001).setMax(20);
        long count = 0;
        for (int k = 0; k <= bounds.size(); k++) {
          long c = (long) n * (k + 1);
          h.addBucketCounts(c);
          count += c;
        }
        hist.add(h.setCount(count).setSum(count * 0.3).build());
      }
      Metric c = Metric.newBuilder().setName("bench_counter").setSum(Sum.newBuilder().setIsMonotonic(true)
          .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).addAllDataPoints(counter)).build();
      Metric g = Metric.newBuilder().setName("bench_gauge").setGauge(Gauge.newBuilder().addAllDataPoints(gauge)).build();
      Metric hm = Metric.newBuilder().setName("bench_histogram").setHistogram(Histogram.newBuilder()
          .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).addAllDataPoints(hist)).build();
      store.writeMetrics(List.of(ResourceMetrics.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("bench"))))
          .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(c).addMetrics(g).addMetrics(hm)).build()));
    }
  }
}
