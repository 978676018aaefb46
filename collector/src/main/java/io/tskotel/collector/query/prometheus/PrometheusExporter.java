package io.tskotel.collector.query.prometheus;

import static java.util.Objects.requireNonNull;

import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's {@code export_metrics}: the latest value of every stored metric and the collector's own, in
 * the Prometheus text exposition format 0.0.4 ({@link #CONTENT_TYPE}).
 *
 * <p>Mapping from the OpenTelemetry data model (see {@code docs/prometheus.md}):
 *
 * <ul>
 *   <li>gauge → {@code gauge}; monotonic sum → {@code counter} named {@code …_total}; non-monotonic sum →
 *       {@code gauge}; histogram → {@code histogram} with cumulative {@code _bucket{le}}, {@code _sum},
 *       {@code _count}; cumulative exponential histogram → {@code histogram} with classic buckets; summary
 *       → {@code summary} with {@code {quantile}} series.
 *   <li>Names sanitized to {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, the unit appended in words ({@code s} →
 *       {@code _seconds}); durations are converted to seconds and multiples of bytes to bytes, the base
 *       units Prometheus expects.
 *   <li>Resource {@code service.name} (prefixed by {@code service.namespace/} when set) → label {@code
 *       job}, {@code service.instance.id} → {@code instance}, instrumentation scope → {@code
 *       otel_scope_name}; scrape with {@code honor_labels: true} to keep them. Point attributes → labels
 *       (names sanitized; attributes named like these become {@code exported_*}).
 *   <li>A series is exposed while its newest point is younger than {@link Builder#expiration(Duration)}.
 * </ul>
 *
 * Thread-safe.
 */
public final class PrometheusExporter {
  /** The Content-Type of {@link #scrape()}'s text. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final Logger logger = LoggerFactory.getLogger(PrometheusExporter.class);
  private static final long LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

  private final @Nullable StoredMetricsReader reader;
  private final List<SelfMetricSource> selfSources;
  private final Duration expiration;
  private final Clock clock;
  private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
  private final AtomicLong lastSourceLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

  private PrometheusExporter(Builder b) {
    this.reader = b.store == null ? null : new StoredMetricsReader(b.store, b.database);
    this.selfSources = List.copyOf(b.selfSources);
    this.expiration = b.expiration;
    this.clock = b.clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The current exposition. Throws when the store cannot be read, so that the scrape fails as a whole
   * (Prometheus then records {@code up 0}) rather than reporting every stored series as gone.
   */
  public String scrape() throws StoreException {
    FamilyAssembler assembler = new FamilyAssembler();
    for (SelfMetricSource source : selfSources) {
      try {
        assembler.addSelf(source.collect());
      } catch (RuntimeException e) {
        // One broken source must not take the stored metrics (or the other sources) down with it.
        logThrottled(lastSourceLog, "/metrics: a self-metric source failed (logged at most once a minute)", e);
      }
    }
    if (reader != null) {
      assembler.addStored(reader.read(clock.instant().minus(expiration)));
    }
    List<Family> families = assembler.families();
    if (assembler.dropped() > 0) {
      logThrottled(
          lastDropLog,
          "/metrics left out " + assembler.dropped() + " series whose Prometheus name or labels collide"
              + " with another's (logged at most once a minute)",
          null);
    }
    StringBuilder out = new StringBuilder(4096);
    TextFormat.write(families, out);
    return out.toString();
  }

  private static void logThrottled(AtomicLong last, String message, @Nullable Throwable e) {
    long now = System.nanoTime();
    long previous = last.get();
    if (now - previous >= LOG_INTERVAL_NANOS && last.compareAndSet(previous, now)) {
      logger.warn(message, e);
    }
  }

  /** Configures a {@link PrometheusExporter}. */
  public static final class Builder {
    private @Nullable TelemetryStore store;
    private String database = "";
    private final List<SelfMetricSource> selfSources = new ArrayList<>();
    private Duration expiration = Duration.ofMinutes(5);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Where stored metrics come from: the store and the database holding its tables. Without a store only
     * the collector's own metrics are exposed.
     */
    public Builder store(TelemetryStore store, String database) {
      this.store = requireNonNull(store, "store");
      this.database = requireNonNull(database, "database");
      return this;
    }

    /** Adds a source of the collector's own metrics; its families come before stored ones on a clash. */
    public Builder addSelfMetrics(SelfMetricSource source) {
      selfSources.add(requireNonNull(source, "source"));
      return this;
    }

    /** How long a series stays exposed after its newest point. Default 5 minutes. */
    public Builder expiration(Duration expiration) {
      requireNonNull(expiration, "expiration");
      if (expiration.isNegative() || expiration.isZero()) {
        throw new IllegalArgumentException("expiration: " + expiration + " (expected: > 0)");
      }
      this.expiration = expiration;
      return this;
    }

    /** The clock that {@link #expiration(Duration)} counts on. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    public PrometheusExporter build() {
      return new PrometheusExporter(this);
    }
  }
}
