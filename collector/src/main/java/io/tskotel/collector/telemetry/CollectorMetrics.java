package io.tskotel.collector.telemetry;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.opentelemetry.sdk.metrics.ExemplarFilter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.resources.Resource;
import io.tskotel.collector.pipeline.Signal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The collector's own metrics, recorded through the OpenTelemetry metrics SDK as the upstream Collector
 * does: one {@link SdkMeterProvider} per collector, every instrument created once, and the hot paths call
 * {@code add}/{@code record} with attributes built ahead. {@link #collect()} reads everything once through
 * a cumulative pull reader; {@code /metrics} (web's {@code CollectorMetricsSource}), {@code /status} and
 * the self-telemetry report ({@link SelfTelemetryReporter}, which stores it as OTLP under {@code
 * service.name=tskotel-collector}) each take what they need from that one read. Recording never throws.
 */
public final class CollectorMetrics {
  public static final String SERVICE_NAME = "tskotel-collector";
  static final String SCOPE_NAME = "io.tskotel.collector";

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
  public static final String ENGINE_CALLS_CPU = "tskotel_engine_calls_cpu_seconds_total";
  public static final String ENGINE_MEMORY = "tskotel_engine_memory_bytes";
  public static final String ENGINE_MEMORY_LIMIT = "tskotel_engine_memory_limit_bytes";
  /** {@link #refusedRequest} reasons. */
  public static final String REFUSED_MEMORY_LIMIT = "memory_limit";
  public static final String REFUSED_BYTES_IN_FLIGHT = "request_bytes_in_flight";

  private static final List<Double> ITEM_BOUNDS =
      List.of(1.0, 10.0, 100.0, 1_000.0, 5_000.0, 10_000.0, 50_000.0, 100_000.0);
  private static final List<Double> LATENCY_BOUNDS =
      List.of(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0);

  private static final AttributeKey<String> SIGNAL = AttributeKey.stringKey("signal");
  private static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
  private static final AttributeKey<String> KIND = AttributeKey.stringKey("kind");
  private static final Map<Signal, Attributes> BY_SIGNAL = bySignal(KIND, null);
  private static final Map<Signal, Attributes> RETRYABLE = bySignal(KIND, "retryable");
  private static final Map<Signal, Attributes> PERMANENT = bySignal(KIND, "permanent");

  /** One instrument of the collector's: what {@code /metrics} and the store show of it. */
  public record Instrument(String name, Kind kind, String help) {
    public enum Kind {
      COUNTER,
      GAUGE,
      HISTOGRAM
    }
  }

  private final PullReader reader = new PullReader();
  private final Meter meter;
  private final Map<String, Instrument> instruments = new LinkedHashMap<>(); // guarded by itself
  private final ConcurrentMap<String, DoubleCounter> counters = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Observed> observed = new ConcurrentHashMap<>();

  private final DoubleCounter accepted;
  private final DoubleCounter refused;
  private final DoubleCounter rejected;
  private final DoubleCounter failedRequests;
  private final DoubleCounter unauthenticated;
  private final DoubleCounter written;
  private final DoubleCounter dropped;
  private final DoubleCounter storeErrors;
  private final DoubleCounter queueCorruptions;
  private final DoubleCounter batcherFailures;
  private final DoubleHistogram batchItems;
  private final DoubleHistogram batchLatency;
  private final LabelCache refusedLabels = new LabelCache(REASON);
  private final DoubleCounter refusedRequests;
  private final LabelCache refusedRequestLabels = new LabelCache(REASON);
  private final LabelCache droppedLabels = new LabelCache(REASON);
  private final LabelCache corruptionLabels = new LabelCache(KIND);

  /** Timestamps from the system clock. */
  public CollectorMetrics() {
    this(io.opentelemetry.sdk.common.Clock.getDefault());
  }

  /** Timestamps (the start of the cumulative sums, each read's time) from {@code clock}. */
  public CollectorMetrics(Clock clock) {
    this(sdkClock(requireNonNull(clock, "clock")));
  }

  private CollectorMetrics(io.opentelemetry.sdk.common.Clock clock) {
    SdkMeterProvider provider =
        SdkMeterProvider.builder()
            .setClock(clock)
            .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), SERVICE_NAME)))
            .setExemplarFilter(ExemplarFilter.alwaysOff())
            .registerMetricReader(reader)
            .build();
    // Nothing to shut down: the provider has no thread and the reader only runs when pulled.
    this.meter = provider.get(SCOPE_NAME);
    accepted = counter(ACCEPTED, "Items (spans, points, log records) durably accepted.");
    refused = counter(REFUSED, "Items refused with a retryable answer (queue full, I/O error, shutting down).");
    rejected = counter(REJECTED, "Invalid items rejected in a partial success.");
    failedRequests =
        counter(FAILED_REQUESTS, "Whole OTLP requests answered with an error (malformed, oversized, internal).");
    unauthenticated = counter(UNAUTHENTICATED, "OTLP requests refused for a missing or wrong token.");
    observedCounter(STORE_EXPIRED_ON_ARRIVAL,
        "Items already older than their signal's retention when written: the engine's TTL dropped them on insert.");
    observedCounter(STORE_REPAIRED,
        "Odd values the store's encoders wrote with a default instead of rejecting the item, by kind.");
    written = counter(WRITTEN, "Items written to the store.");
    dropped = counter(DROPPED, "Items the store refused permanently, kept in the dead-letter file.");
    storeErrors = counter(STORE_ERRORS, "Failed store writes, by kind (retryable or permanent).");
    queueCorruptions =
        counter(QUEUE_CORRUPTIONS, "Damaged queue regions repaired (truncated tails, skipped regions).");
    batcherFailures = counter(BATCHER_FAILURES,
        "Unexpected failures of a batcher; it keeps its batch and starts again after a backoff.");
    observedGauge(QUEUE_BYTES, "Bytes queued and not yet written to the store.");
    observedGauge(QUEUE_RECORDS, "Requests queued and not yet written to the store.");
    batchItems = histogram(BATCH_ITEMS, "Items per batch written to the store.", ITEM_BOUNDS);
    batchLatency = histogram(BATCH_LATENCY,
        "Time to write one batch to the store, retries included, in seconds.", LATENCY_BOUNDS);
    refusedRequests = counter(REFUSED_REQUESTS,
        "Whole OTLP requests refused retryably before they were read (memory_limit: the memory guard is over its"
            + " soft limit; request_bytes_in_flight: the receivers hold their whole byte budget); their items"
            + " were never counted.");
    observedGauge(BYTES_IN_FLIGHT,
        "Bytes of OTLP requests being read or ingested (a request not yet read counts the largest allowed size).");
    observedGauge(BYTES_IN_FLIGHT_LIMIT, "The receivers' budget of request bytes in flight.");
    observedGauge(MEMORY_HEAP_USED,
        "Heap bytes the latest garbage collection left, as the memory guard read them at its latest check.");
    observedGauge(MEMORY_HEAP_LIMIT,
        "The memory guard's heap limits: over soft, receivers refuse new data; over hard, it also asks for a GC.");
    observedGauge(MEMORY_RESIDENT, "The process's resident bytes at the guard's latest check.");
    observedGauge(MEMORY_REFUSING, "1 while the memory guard makes receivers refuse new data.");
    observedCounter(MEMORY_FORCED_GCS, "Garbage collections the memory guard asked for.");
    observedGauge(ENGINE_MEMORY,
        "The embedded engine's tracked memory (its inserts, merges, queries and caches), read when collected; NaN"
            + " when the engine does not answer.");
    observedGauge(ENGINE_MEMORY_LIMIT, "The embedded engine's memory limit (engine_memory_limit).");
    observedCounter(ENGINE_CALLS_CPU,
        "CPU seconds the collector's Java threads spent inside calls into the embedded engine (inserts,"
            + " queries): the engine's work, counted in the JVM's thread CPU; the collector's own is the rest.");
  }

  // ------------------------------------------------------------------ recording

  public void accepted(Signal signal, long items) {
    accepted.add(items, BY_SIGNAL.get(signal));
  }

  public void refused(Signal signal, String reason, long items) {
    refused.add(items, refusedLabels.get(signal, reason));
  }

  /** For receivers: items dropped as invalid and reported in {@code partial_success}. */
  public void rejected(Signal signal, long items) {
    rejected.add(items, BY_SIGNAL.get(signal));
  }

  /** For receivers: a whole request answered with an error (malformed, oversized, internal). */
  public void failedRequest(Signal signal) {
    failedRequests.add(1, BY_SIGNAL.get(signal));
  }

  /**
   * For receivers: a whole request refused retryably before it was read ({@link #REFUSED_MEMORY_LIMIT},
   * {@link #REFUSED_BYTES_IN_FLIGHT}); its items are unknown.
   */
  public void refusedRequest(Signal signal, String reason) {
    refusedRequests.add(1, refusedRequestLabels.get(signal, reason));
  }

  /** For receivers: a request refused for a missing or wrong token. */
  public void unauthenticated() {
    unauthenticated.add(1);
  }

  /**
   * Shows the receivers' counts at 0 before anything happened, so that {@code /metrics} lists them (and
   * an alert on them has a series) from the start.
   */
  public void receiverCountsFromZero() {
    for (Signal signal : Signal.values()) {
      rejected.add(0, BY_SIGNAL.get(signal));
      failedRequests.add(0, BY_SIGNAL.get(signal));
      refusedRequests.add(0, refusedRequestLabels.get(signal, REFUSED_MEMORY_LIMIT));
      refusedRequests.add(0, refusedRequestLabels.get(signal, REFUSED_BYTES_IN_FLIGHT));
    }
    unauthenticated.add(0);
  }

  public void written(Signal signal, long items) {
    written.add(items, BY_SIGNAL.get(signal));
  }

  public void dropped(Signal signal, String reason, long items) {
    dropped.add(items, droppedLabels.get(signal, reason));
  }

  public void storeError(Signal signal, boolean retryable) {
    storeErrors.add(1, (retryable ? RETRYABLE : PERMANENT).get(signal));
  }

  public void batcherFailure(Signal signal) {
    batcherFailures.add(1, BY_SIGNAL.get(signal));
  }

  /** {@code kind} is {@code truncated_tail} or {@code skipped_region}. */
  public void queueCorruption(Signal signal, String kind) {
    queueCorruptions.add(1, corruptionLabels.get(signal, kind));
  }

  public void batch(Signal signal, long items, long writeNanos) {
    Attributes attributes = BY_SIGNAL.get(signal);
    batchItems.record(items, attributes);
    batchLatency.record(writeNanos / 1e9, attributes);
  }

  /** Registers the queue gauges of {@code signal}, read at every {@link #collect()}. */
  public void queueGauges(Signal signal, DoubleSupplier bytes, DoubleSupplier records) {
    gauge(QUEUE_BYTES, Map.of("signal", signalName(signal)), bytes);
    gauge(QUEUE_RECORDS, Map.of("signal", signalName(signal)), records);
  }

  /**
   * Registers a series of a counter whose value another component keeps (the store's own counts), read at
   * every {@link #collect()}; the same labels again replace the earlier series.
   */
  public void counterFunction(String name, Map<String, String> labels, DoubleSupplier value) {
    requireNonNull(observed.get(name), name).series.put(attributes(labels), value);
  }

  /** Registers a series of a gauge, of an existing or new instrument (whose help is then its name). */
  public void gauge(String name, Map<String, String> labels, DoubleSupplier value) {
    Observed instrument = observed.get(name);
    if (instrument == null) {
      instrument = observedGauge(name, name);
    }
    instrument.series.put(attributes(labels), value);
  }

  /**
   * The counter named {@code name}, created on the first call (another component's, e.g. alerting's);
   * the caller keeps it and records with attributes it built once.
   */
  public DoubleCounter counter(String name, String help) {
    return counters.computeIfAbsent(name, n -> {
      register(n, Instrument.Kind.COUNTER, help);
      return meter.counterBuilder(n).ofDoubles().setDescription(help).build();
    });
  }

  // ------------------------------------------------------------------ reading

  /** Every instrument, in the order created. */
  public List<Instrument> instruments() {
    synchronized (instruments) {
      return List.copyOf(instruments.values());
    }
  }

  /**
   * Every instrument's series now, cumulative since this object was created; instruments never recorded
   * are left out. One read serves one consumer's whole view (a scrape, a report, a status page).
   */
  public Collection<MetricData> collect() {
    return reader.collect();
  }

  /**
   * The value of one counter or gauge series (a histogram's count), 0 when it was never recorded. For
   * tests and health.
   */
  public double value(String name, Map<String, String> labels) {
    for (MetricData metric : collect()) {
      if (metric.getName().equals(name)) {
        for (PointData point : metric.getData().getPoints()) {
          if (labels(point.getAttributes()).equals(labels)) {
            return number(point);
          }
        }
      }
    }
    return 0;
  }

  /** Sum of a counter over all its series whose labels include {@code match}. */
  public double total(String name, Map<String, String> match) {
    return total(collect(), name, match);
  }

  /** {@link #total(String, Map)} over one earlier {@link #collect()}. */
  public static double total(Collection<MetricData> read, String name, Map<String, String> match) {
    double sum = 0;
    for (MetricData metric : read) {
      if (metric.getName().equals(name)
          && (metric.getType() == MetricDataType.DOUBLE_SUM || metric.getType() == MetricDataType.LONG_SUM)) {
        for (PointData point : metric.getData().getPoints()) {
          if (labels(point.getAttributes()).entrySet().containsAll(match.entrySet())) {
            sum += number(point);
          }
        }
      }
    }
    return sum;
  }

  /** A point's attributes as Prometheus labels (all the collector's are strings). */
  public static Map<String, String> labels(Attributes attributes) {
    Map<String, String> labels = new LinkedHashMap<>();
    attributes.forEach((key, value) -> labels.put(key.getKey(), String.valueOf(value)));
    return labels;
  }

  public static String signalName(Signal signal) {
    return signal.name().toLowerCase(Locale.ROOT);
  }

  // ------------------------------------------------------------------ internals

  private static double number(PointData point) {
    return switch (point) {
      case DoublePointData d -> d.getValue();
      case LongPointData l -> l.getValue();
      case HistogramPointData h -> h.getCount();
      default -> 0;
    };
  }

  private void register(String name, Instrument.Kind kind, String help) {
    synchronized (instruments) {
      instruments.putIfAbsent(name, new Instrument(name, kind, help));
    }
  }

  private DoubleHistogram histogram(String name, String help, List<Double> bounds) {
    register(name, Instrument.Kind.HISTOGRAM, help);
    return meter.histogramBuilder(name).setDescription(help).setExplicitBucketBoundariesAdvice(bounds).build();
  }

  private void observedCounter(String name, String help) {
    observed.computeIfAbsent(name, n -> {
      register(n, Instrument.Kind.COUNTER, help);
      Observed o = new Observed();
      meter.counterBuilder(n).ofDoubles().setDescription(help).buildWithCallback(o::observe);
      return o;
    });
  }

  private Observed observedGauge(String name, String help) {
    return observed.computeIfAbsent(name, n -> {
      register(n, Instrument.Kind.GAUGE, help);
      Observed o = new Observed();
      meter.gaugeBuilder(n).setDescription(help).buildWithCallback(o::observe);
      return o;
    });
  }

  private static Attributes attributes(Map<String, String> labels) {
    AttributesBuilder builder = Attributes.builder();
    labels.forEach(builder::put);
    return builder.build();
  }

  private static Map<Signal, Attributes> bySignal(AttributeKey<String> key, @Nullable String value) {
    Map<Signal, Attributes> map = new EnumMap<>(Signal.class);
    for (Signal signal : Signal.values()) {
      map.put(signal, value == null
          ? Attributes.of(SIGNAL, signalName(signal))
          : Attributes.of(SIGNAL, signalName(signal), key, value));
    }
    return map;
  }

  private static io.opentelemetry.sdk.common.Clock sdkClock(Clock clock) {
    return new io.opentelemetry.sdk.common.Clock() {
      @Override
      public long now() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
      }

      @Override
      public long nanoTime() {
        return System.nanoTime();
      }
    };
  }

  /**
   * The series of an asynchronous instrument: each read asks every supplier. A supplier that throws (a
   * component closing) is left out of that read; the others are not.
   */
  private static final class Observed {
    final ConcurrentMap<Attributes, DoubleSupplier> series = new ConcurrentHashMap<>();

    void observe(ObservableDoubleMeasurement measurement) {
      series.forEach((attributes, supplier) -> {
        double value;
        try {
          value = supplier.getAsDouble();
        } catch (RuntimeException e) {
          return;
        }
        measurement.record(value, attributes);
      });
    }
  }

  /**
   * Attributes of (signal, one more label) built on first use and reused, so that counting allocates
   * nothing; the label's values are a handful of fixed reasons or kinds.
   */
  private static final class LabelCache {
    private final AttributeKey<String> key;
    private final Map<Signal, ConcurrentMap<String, Attributes>> bySignal = new EnumMap<>(Signal.class);

    LabelCache(AttributeKey<String> key) {
      this.key = key;
      for (Signal signal : Signal.values()) {
        bySignal.put(signal, new ConcurrentHashMap<>());
      }
    }

    Attributes get(Signal signal, String value) {
      ConcurrentMap<String, Attributes> cache = bySignal.get(signal);
      Attributes attributes = cache.get(value);
      if (attributes == null) {
        attributes = cache.computeIfAbsent(value, v -> Attributes.of(SIGNAL, signalName(signal), key, v));
      }
      return attributes;
    }
  }
}
