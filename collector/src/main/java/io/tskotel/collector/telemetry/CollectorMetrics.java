package io.tskotel.collector.telemetry;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
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
import io.tskotel.collector.pipeline.Signal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * The collector's own metrics, in one place: what was accepted, refused, queued, written and dropped per
 * signal, the queue's size, batch sizes and latencies, store errors and queue repairs. Recording is
 * lock-free and never throws; {@link #samples()} reads everything for {@code /metrics}, and
 * {@link #toResourceMetrics} turns it into OTLP so the collector stores its metrics like any service's.
 */
public final class CollectorMetrics {
  public static final String SERVICE_NAME = "tskotel-collector";

  public static final String ACCEPTED = "tskotel_accepted_items_total";
  public static final String REFUSED = "tskotel_refused_items_total";
  public static final String REJECTED = "tskotel_rejected_items_total";
  public static final String FAILED_REQUESTS = "tskotel_failed_requests_total";
  public static final String UNAUTHENTICATED = "tskotel_unauthenticated_requests_total";
  public static final String STORE_EXPIRED_ON_ARRIVAL = "tskotel_store_expired_on_arrival_total";
  public static final String STORE_REPAIRED = "tskotel_store_repaired_values_total";
  public static final String WRITTEN = "tskotel_written_items_total";
  public static final String DROPPED = "tskotel_dropped_items_total";
  public static final String STORE_ERRORS = "tskotel_store_errors_total";
  public static final String QUEUE_CORRUPTIONS = "tskotel_queue_corruptions_total";
  public static final String BATCHER_FAILURES = "tskotel_batcher_failures_total";
  public static final String QUEUE_BYTES = "tskotel_queue_bytes";
  public static final String QUEUE_RECORDS = "tskotel_queue_records";
  public static final String BATCH_ITEMS = "tskotel_batch_items";
  public static final String BATCH_LATENCY = "tskotel_batch_write_seconds";
  public static final String REFUSED_REQUESTS = "tskotel_refused_requests_total";
  public static final String BYTES_IN_FLIGHT = "tskotel_request_bytes_in_flight";
  public static final String BYTES_IN_FLIGHT_LIMIT = "tskotel_request_bytes_in_flight_limit";
  public static final String MEMORY_HEAP_USED = "tskotel_memory_heap_used_bytes";
  public static final String MEMORY_HEAP_LIMIT = "tskotel_memory_heap_limit_bytes";
  public static final String MEMORY_RESIDENT = "tskotel_memory_resident_bytes";
  public static final String MEMORY_REFUSING = "tskotel_memory_refusing";
  public static final String MEMORY_FORCED_GCS = "tskotel_memory_forced_gcs_total";

  private static final double[] ITEM_BOUNDS = {1, 10, 100, 1_000, 5_000, 10_000, 50_000, 100_000};
  private static final double[] LATENCY_BOUNDS = {
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
  };

  private final ConcurrentMap<String, Family> families = new ConcurrentHashMap<>();
  private final List<String> order = Collections.synchronizedList(new ArrayList<>());

  public CollectorMetrics() {
    family(ACCEPTED, MetricSample.Type.COUNTER, "Items (spans, points, log records) durably accepted.");
    family(REFUSED, MetricSample.Type.COUNTER,
        "Items refused with a retryable answer (queue full, I/O error, shutting down).");
    family(REJECTED, MetricSample.Type.COUNTER, "Invalid items rejected in a partial success.");
    family(FAILED_REQUESTS, MetricSample.Type.COUNTER,
        "Whole OTLP requests answered with an error (malformed, oversized, internal).");
    family(UNAUTHENTICATED, MetricSample.Type.COUNTER, "OTLP requests refused for a missing or wrong token.");
    family(STORE_EXPIRED_ON_ARRIVAL, MetricSample.Type.COUNTER,
        "Items already older than their signal's retention when written: the engine's TTL dropped them on insert.");
    family(STORE_REPAIRED, MetricSample.Type.COUNTER,
        "Odd values the store's encoders wrote with a default instead of rejecting the item, by kind.");
    family(WRITTEN, MetricSample.Type.COUNTER, "Items written to the store.");
    family(DROPPED, MetricSample.Type.COUNTER, "Items the store refused permanently, kept in the dead-letter file.");
    family(STORE_ERRORS, MetricSample.Type.COUNTER, "Failed store writes, by kind (retryable or permanent).");
    family(QUEUE_CORRUPTIONS, MetricSample.Type.COUNTER,
        "Damaged queue regions repaired (truncated tails, skipped regions).");
    family(BATCHER_FAILURES, MetricSample.Type.COUNTER,
        "Unexpected failures of a batcher; it keeps its batch and starts again after a backoff.");
    family(REFUSED_REQUESTS, MetricSample.Type.COUNTER,
        "Whole OTLP requests refused retryably before they were read (memory_limit: the memory guard is over its"
            + " soft limit; request_bytes_in_flight: the receivers hold their whole byte budget); their items"
            + " were never counted.");
    family(BYTES_IN_FLIGHT, MetricSample.Type.GAUGE,
        "Bytes of OTLP requests being read or ingested (a request not yet read counts the largest allowed size).");
    family(BYTES_IN_FLIGHT_LIMIT, MetricSample.Type.GAUGE, "The receivers' budget of request bytes in flight.");
    family(MEMORY_HEAP_USED, MetricSample.Type.GAUGE,
        "Heap bytes the latest garbage collection left, as the memory guard read them at its latest check.");
    family(MEMORY_HEAP_LIMIT, MetricSample.Type.GAUGE,
        "The memory guard's heap limits: over soft, receivers refuse new data; over hard, it also asks for a GC.");
    family(MEMORY_RESIDENT, MetricSample.Type.GAUGE, "The process's resident bytes at the guard's latest check.");
    family(MEMORY_REFUSING, MetricSample.Type.GAUGE, "1 while the memory guard makes receivers refuse new data.");
    family(MEMORY_FORCED_GCS, MetricSample.Type.COUNTER, "Garbage collections the memory guard asked for.");
    family(QUEUE_BYTES, MetricSample.Type.GAUGE, "Bytes queued and not yet written to the store.");
    family(QUEUE_RECORDS, MetricSample.Type.GAUGE, "Requests queued and not yet written to the store.");
    family(BATCH_ITEMS, MetricSample.Type.HISTOGRAM, "Items per batch written to the store.");
    family(BATCH_LATENCY, MetricSample.Type.HISTOGRAM,
        "Time to write one batch to the store, retries included, in seconds.");
  }

  // ------------------------------------------------------------------ recording

  public void accepted(Signal signal, long items) {
    counter(ACCEPTED, signalLabel(signal)).add(items);
  }

  public void refused(Signal signal, String reason, long items) {
    counter(REFUSED, signalLabel(signal, "reason", reason)).add(items);
  }

  /** For receivers: items dropped as invalid and reported in {@code partial_success}. */
  public void rejected(Signal signal, long items) {
    counter(REJECTED, signalLabel(signal)).add(items);
  }

  public void written(Signal signal, long items) {
    counter(WRITTEN, signalLabel(signal)).add(items);
  }

  public void dropped(Signal signal, String reason, long items) {
    counter(DROPPED, signalLabel(signal, "reason", reason)).add(items);
  }

  public void storeError(Signal signal, boolean retryable) {
    counter(STORE_ERRORS, signalLabel(signal, "kind", retryable ? "retryable" : "permanent")).add(1);
  }

  public void batcherFailure(Signal signal) {
    counter(BATCHER_FAILURES, signalLabel(signal)).add(1);
  }

  /** {@code kind} is {@code truncated_tail} or {@code skipped_region}. */
  public void queueCorruption(Signal signal, String kind) {
    counter(QUEUE_CORRUPTIONS, signalLabel(signal, "kind", kind)).add(1);
  }

  public void batch(Signal signal, long items, long writeNanos) {
    Map<String, String> labels = signalLabel(signal);
    histogram(BATCH_ITEMS, labels, ITEM_BOUNDS).record(items);
    histogram(BATCH_LATENCY, labels, LATENCY_BOUNDS).record(writeNanos / 1e9);
  }

  /** Registers the queue gauges of {@code signal}, read at every {@link #samples()}. */
  public void queueGauges(Signal signal, DoubleSupplier bytes, DoubleSupplier records) {
    gauge(QUEUE_BYTES, signalLabel(signal), bytes);
    gauge(QUEUE_RECORDS, signalLabel(signal), records);
  }

  /**
   * Registers a counter series whose value another component keeps (e.g. the receivers' own counts), read
   * at every {@link #samples()}.
   */
  public void counterFunction(String name, Map<String, String> labels, DoubleSupplier value) {
    Family family = requireNonNull(families.get(name), name);
    family.series.put(Map.copyOf(labels), new FunctionSeries(value));
  }

  /** Declares a counter family another component fills with {@link #counterFunction}; idempotent. */
  public void counterFamily(String name, String help) {
    family(name, MetricSample.Type.COUNTER, help);
  }

  /** Registers a gauge of an existing or new family. */
  public void gauge(String name, Map<String, String> labels, DoubleSupplier value) {
    Family family = families.computeIfAbsent(name, n -> newFamily(n, MetricSample.Type.GAUGE, n));
    family.series.put(Map.copyOf(labels), new FunctionSeries(value));
  }

  // ------------------------------------------------------------------ reading

  /** Every series, families in registration order, series sorted by labels. */
  public List<MetricSample> samples() {
    List<MetricSample> out = new ArrayList<>();
    for (String name : List.copyOf(order)) {
      Family family = families.get(name);
      for (Map.Entry<Map<String, String>, Series> e : family.sortedSeries()) {
        e.getValue().appendSamples(family, sorted(e.getKey()), out);
      }
    }
    return out;
  }

  /** The value of one counter or gauge series, 0 when it was never recorded. For tests and health. */
  public double value(String name, Map<String, String> labels) {
    Family family = families.get(name);
    Series series = family == null ? null : family.series.get(labels);
    if (series instanceof CounterSeries c) {
      return c.adder.sum();
    }
    if (series instanceof FunctionSeries f) {
      return f.read();
    }
    if (series instanceof HistogramSeries h) {
      return h.count.sum();
    }
    return 0;
  }

  /** Sum of a counter family over all its series whose labels include {@code match}. */
  public double total(String name, Map<String, String> match) {
    Family family = families.get(name);
    if (family == null) {
      return 0;
    }
    double sum = 0;
    for (Map.Entry<Map<String, String>, Series> e : family.series.entrySet()) {
      if (e.getKey().entrySet().containsAll(match.entrySet())) {
        if (e.getValue() instanceof CounterSeries c) {
          sum += c.adder.sum();
        } else if (e.getValue() instanceof FunctionSeries f && family.type == MetricSample.Type.COUNTER) {
          sum += f.read();
        }
      }
    }
    return sum;
  }

  /**
   * The metrics as OTLP, cumulative since {@code startEpochNanos}, under the resource
   * {@code service.name=tskotel-collector} plus {@code resourceAttributes}.
   */
  public ResourceMetrics toResourceMetrics(
      long startEpochNanos, long nowEpochNanos, Map<String, String> resourceAttributes) {
    Resource.Builder resource = Resource.newBuilder().addAttributes(attr("service.name", SERVICE_NAME));
    resourceAttributes.forEach((k, v) -> resource.addAttributes(attr(k, v)));
    ScopeMetrics.Builder scope =
        ScopeMetrics.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("io.tskotel.collector").build());
    for (String name : List.copyOf(order)) {
      Family family = families.get(name);
      List<Map.Entry<Map<String, String>, Series>> series = family.sortedSeries();
      if (series.isEmpty()) {
        continue;
      }
      Metric.Builder metric = Metric.newBuilder().setName(name).setDescription(family.help);
      switch (family.type) {
        case COUNTER -> {
          Sum.Builder sum = Sum.newBuilder().setIsMonotonic(true)
              .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
          for (var e : series) {
            double value = e.getValue() instanceof CounterSeries c ? c.adder.sum()
                : ((FunctionSeries) e.getValue()).read();
            sum.addDataPoints(numberPoint(e.getKey(), value, startEpochNanos, nowEpochNanos));
          }
          metric.setSum(sum);
        }
        case GAUGE -> {
          Gauge.Builder gauge = Gauge.newBuilder();
          for (var e : series) {
            gauge.addDataPoints(numberPoint(e.getKey(), ((FunctionSeries) e.getValue()).read(), 0,
                nowEpochNanos));
          }
          metric.setGauge(gauge);
        }
        case HISTOGRAM -> {
          Histogram.Builder histogram = Histogram.newBuilder()
              .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
          for (var e : series) {
            histogram.addDataPoints(((HistogramSeries) e.getValue())
                .toPoint(e.getKey(), startEpochNanos, nowEpochNanos));
          }
          metric.setHistogram(histogram);
        }
      }
      scope.addMetrics(metric);
    }
    return ResourceMetrics.newBuilder().setResource(resource).addScopeMetrics(scope).build();
  }

  // ------------------------------------------------------------------ internals

  private static Map<String, String> signalLabel(Signal signal) {
    return Map.of("signal", signalName(signal));
  }

  private static Map<String, String> signalLabel(Signal signal, String key, String value) {
    return Map.of("signal", signalName(signal), key, value);
  }

  public static String signalName(Signal signal) {
    return signal.name().toLowerCase(Locale.ROOT);
  }

  private static Map<String, String> sorted(Map<String, String> labels) {
    Map<String, String> out = new LinkedHashMap<>();
    labels.keySet().stream().sorted().forEach(k -> out.put(k, labels.get(k)));
    return Collections.unmodifiableMap(out);
  }

  private static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static NumberDataPoint numberPoint(
      Map<String, String> labels, double value, long start, long now) {
    NumberDataPoint.Builder point = NumberDataPoint.newBuilder().setTimeUnixNano(now).setAsDouble(value);
    if (start > 0) {
      point.setStartTimeUnixNano(start);
    }
    sorted(labels).forEach((k, v) -> point.addAttributes(attr(k, v)));
    return point.build();
  }

  private void family(String name, MetricSample.Type type, String help) {
    families.computeIfAbsent(name, n -> newFamily(n, type, help));
  }

  private Family newFamily(String name, MetricSample.Type type, String help) {
    order.add(name);
    return new Family(name, type, help);
  }

  private LongAdder counter(String name, Map<String, String> labels) {
    Family family = requireNonNull(families.get(name), name);
    return ((CounterSeries) family.series.computeIfAbsent(labels, l -> new CounterSeries())).adder;
  }

  private HistogramSeries histogram(String name, Map<String, String> labels, double[] bounds) {
    Family family = requireNonNull(families.get(name), name);
    return (HistogramSeries) family.series.computeIfAbsent(labels, l -> new HistogramSeries(bounds));
  }

  private static final class Family {
    final String name;
    final MetricSample.Type type;
    final String help;
    final ConcurrentMap<Map<String, String>, Series> series = new ConcurrentHashMap<>();

    Family(String name, MetricSample.Type type, String help) {
      this.name = name;
      this.type = type;
      this.help = help;
    }

    List<Map.Entry<Map<String, String>, Series>> sortedSeries() {
      List<Map.Entry<Map<String, String>, Series>> list = new ArrayList<>(series.entrySet());
      list.sort((a, b) -> sorted(a.getKey()).toString().compareTo(sorted(b.getKey()).toString()));
      return list;
    }
  }

  private sealed interface Series permits CounterSeries, FunctionSeries, HistogramSeries {
    void appendSamples(Family family, Map<String, String> labels, List<MetricSample> out);
  }

  private static final class CounterSeries implements Series {
    final LongAdder adder = new LongAdder();

    @Override
    public void appendSamples(Family family, Map<String, String> labels, List<MetricSample> out) {
      out.add(new MetricSample(family.name, family.name, family.type, family.help, labels, adder.sum()));
    }
  }

  /** A counter or gauge whose value another component keeps; its family says which. */
  private static final class FunctionSeries implements Series {
    final DoubleSupplier supplier;

    FunctionSeries(DoubleSupplier supplier) {
      this.supplier = supplier;
    }

    double read() {
      try {
        return supplier.getAsDouble();
      } catch (RuntimeException e) {
        return Double.NaN;
      }
    }

    @Override
    public void appendSamples(Family family, Map<String, String> labels, List<MetricSample> out) {
      out.add(new MetricSample(family.name, family.name, family.type, family.help, labels, read()));
    }
  }

  private static final class HistogramSeries implements Series {
    final double[] bounds;
    final LongAdder[] buckets; // non-cumulative; the last one is (+Inf)
    final DoubleAdder sum = new DoubleAdder();
    final LongAdder count = new LongAdder();

    HistogramSeries(double[] bounds) {
      this.bounds = bounds;
      this.buckets = new LongAdder[bounds.length + 1];
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }

    void record(double value) {
      int i = 0;
      while (i < bounds.length && value > bounds[i]) {
        i++;
      }
      buckets[i].increment();
      sum.add(value);
      count.increment();
    }

    @Override
    public void appendSamples(Family family, Map<String, String> labels, List<MetricSample> out) {
      long cumulative = 0;
      for (int i = 0; i <= bounds.length; i++) {
        cumulative += buckets[i].sum();
        Map<String, String> withLe = new LinkedHashMap<>(labels);
        withLe.put("le", i < bounds.length ? formatBound(bounds[i]) : "+Inf");
        out.add(new MetricSample(family.name + "_bucket", family.name, family.type, family.help,
            Collections.unmodifiableMap(withLe), cumulative));
      }
      out.add(new MetricSample(family.name + "_sum", family.name, family.type, family.help, labels,
          sum.sum()));
      out.add(new MetricSample(family.name + "_count", family.name, family.type, family.help, labels,
          count.sum()));
    }

    HistogramDataPoint toPoint(Map<String, String> labels, long start, long now) {
      HistogramDataPoint.Builder point = HistogramDataPoint.newBuilder()
          .setStartTimeUnixNano(start).setTimeUnixNano(now)
          .setCount(count.sum()).setSum(sum.sum());
      for (double bound : bounds) {
        point.addExplicitBounds(bound);
      }
      for (LongAdder bucket : buckets) {
        point.addBucketCounts(bucket.sum());
      }
      sorted(labels).forEach((k, v) -> point.addAttributes(attr(k, v)));
      return point.build();
    }

    private static String formatBound(double bound) {
      return bound == Math.rint(bound) && Math.abs(bound) < 1e15
          ? Long.toString((long) bound) + ".0"
          : Double.toString(bound);
    }
  }
}
