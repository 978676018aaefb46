package io.tskotel.collector.telemetry;

import io.tskotel.collector.pipeline.Signal;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What counting costs on the hot paths through the OpenTelemetry SDK instruments, next to the cheapest
 * counter there is ({@code baseline}: a {@link LongAdder} per signal), and one {@link CollectorMetrics#collect()}
 * (a scrape's or report's read). Add {@code -prof gc} to see the bytes allocated per call (none expected).
 *
 * <p>Run: {@code mvn -o -pl collector -am -Pbench -Dchdb.skipFetch test-compile
 * -Djmh.args="CollectorMetricsBenchmark -f 1 -prof gc"}. Not run by {@code verify}.
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class CollectorMetricsBenchmark {
  CollectorMetrics metrics;
  Map<Signal, LongAdder> adders;

  @Setup
  public void setUp() {
    metrics = new CollectorMetrics();
    metrics.queueGauges(Signal.TRACES, () -> 1, () -> 1);
    adders = new EnumMap<>(Signal.class);
    for (Signal signal : Signal.values()) {
      adders.put(signal, new LongAdder());
      metrics.accepted(signal, 1);
      metrics.refused(signal, "queue_full", 1);
      metrics.batch(signal, 1, 1);
    }
  }

  @Benchmark
  public void baseline() {
    adders.get(Signal.TRACES).add(1);
  }

  @Benchmark
  public void accepted() {
    metrics.accepted(Signal.TRACES, 1);
  }

  @Benchmark
  public void refused() {
    metrics.refused(Signal.TRACES, "queue_full", 1);
  }

  @Benchmark
  public void batch() {
    metrics.batch(Signal.TRACES, 100, 5_000_000);
  }

  @Benchmark
  public Collection<?> collect() {
    return metrics.collect();
  }
}
