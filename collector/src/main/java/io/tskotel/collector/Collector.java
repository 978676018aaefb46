package io.tskotel.collector;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.config.CollectorSettings;
import io.tskotel.collector.internal.EngineMemoryReader;
import io.tskotel.collector.memory.MemoryGuard;
import io.tskotel.collector.pipeline.Pipeline;
import io.tskotel.collector.pipeline.QueueDepth;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.collector.receiver.OtlpReceiver;
import io.tskotel.collector.receiver.RequestBudget;
import io.tskotel.collector.telemetry.CollectorMetrics;
import io.tskotel.collector.telemetry.SelfTelemetryReporter;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running collector: store (migrated on start), durable pipeline, OTLP receivers, self-telemetry, then
 * any extra {@link CollectorComponent}s (admin API, dashboard, ...), started in that order. {@link
 * #shutdown()} stops in reverse: receivers first (no new data), then the components, a last self-telemetry
 * report, the batchers drain the queues into the store, and the store closes.
 *
 * <pre>{@code
 * Collector collector = Collector.builder(settings)
 *     .component(c -> new AdminServer(c.store(), c.metrics(), ...))
 *     .start();
 * }</pre>
 */
public final class Collector implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(Collector.class);

  private final CollectorSettings settings;
  private final TelemetryStore store;
  private final CollectorMetrics metrics;
  private final Pipeline pipeline;
  private final SelfTelemetryReporter reporter;
  private final OtlpReceiver receiver;
  private final MemoryGuard memoryGuard;
  private final List<CollectorComponent> components = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean shutDown;
  private boolean drained;

  private Collector(
      CollectorSettings settings,
      TelemetryStore store,
      CollectorMetrics metrics,
      Pipeline pipeline,
      SelfTelemetryReporter reporter,
      OtlpReceiver receiver,
      MemoryGuard memoryGuard) {
    this.settings = settings;
    this.memoryGuard = memoryGuard;
    this.store = store;
    this.metrics = metrics;
    this.pipeline = pipeline;
    this.reporter = reporter;
    this.receiver = receiver;
  }

  public static Builder builder(CollectorSettings settings) {
    return new Builder(settings);
  }

  /** Opens the store named by the settings and starts everything on it. */
  public static Collector start(CollectorSettings settings) throws IOException, StoreException {
    return builder(settings).start();
  }

  private static Map<String, String> resourceAttributes() {
    Map<String, String> attributes = new LinkedHashMap<>();
    try {
      attributes.put("host.name", InetAddress.getLocalHost().getHostName());
    } catch (IOException e) {
      // no host name: the attribute is optional
    }
    attributes.put("process.pid", Long.toString(ManagementFactory.getRuntimeMXBean().getPid()));
    return attributes;
  }

  public CollectorSettings settings() {
    return settings;
  }

  /** The store everything is written to; queries for the admin API go here. */
  public TelemetryStore store() {
    return store;
  }

  /** The collector's own metrics (for {@code /metrics} and the store); receiver counts are included. */
  public CollectorMetrics metrics() {
    return metrics;
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  /** The memory guard the receivers ask before reading a request. */
  public MemoryGuard memoryGuard() {
    return memoryGuard;
  }

  /** What each signal's queue holds that is not yet in the store. */
  public Map<Signal, QueueDepth> queueDepths() {
    Map<Signal, QueueDepth> depths = new EnumMap<>(Signal.class);
    for (Signal signal : Signal.values()) {
      depths.put(signal, pipeline.depth(signal));
    }
    return depths;
  }

  /** The bound gRPC port (useful after configuring port 0). */
  public int grpcPort() {
    return receiver.grpcPort();
  }

  /** The bound HTTP port (useful after configuring port 0). */
  public int httpPort() {
    return receiver.httpPort();
  }

  /** Blocks until {@link #shutdown()} finished. */
  public void awaitShutdown() throws InterruptedException {
    stopped.await();
  }

  /**
   * Stops receiving, stops the components, drains the queues into the store (up to the drain timeout) and
   * closes the store. Returns whether every queue was drained; what was not stays queued for the next
   * start. Safe to call twice and from several threads: later calls wait for the first to finish.
   */
  public boolean shutdown() {
    synchronized (this) {
      if (shutDown) {
        try {
          stopped.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return drained;
      }
      shutDown = true;
    }
    boolean result = false;
    try {
      logger.info("collector stopping");
      receiver.shutdown();
      memoryGuard.close();
      stopComponents(components);
      reporter.close();
      result = pipeline.shutdown();
      store.close();
      logger.info("collector stopped{}", result ? "" : " (undrained data stays queued for the next start)");
    } finally {
      drained = result;
      stopped.countDown();
    }
    return result;
  }

  private static void stopComponents(List<CollectorComponent> started) {
    for (int i = started.size() - 1; i >= 0; i--) {
      CollectorComponent component = started.get(i);
      try {
        component.shutdown();
      } catch (RuntimeException e) {
        logger.warn("stopping {} failed", component.name(), e);
      }
    }
  }

  @Override
  public void close() {
    shutdown();
  }

  @Override
  public String toString() {
    return "Collector{" + settings.receiver() + ", components=" + components.size() + "}";
  }

  /** Assembles a collector; {@link #start()} opens and starts everything. */
  public static final class Builder {
    private final CollectorSettings settings;
    private @Nullable TelemetryStore store;
    private final List<CollectorComponent.Factory> factories = new ArrayList<>();
    private Clock clock = Clock.systemUTC();

    private Builder(CollectorSettings settings) {
      this.settings = requireNonNull(settings, "settings");
    }

    /**
     * Runs on this already open store instead of opening the one the settings name. The collector owns it
     * from now on (it closes it on shutdown, also after a failed start).
     */
    public Builder store(TelemetryStore store) {
      this.store = requireNonNull(store, "store");
      return this;
    }

    /** Adds a component, created and started after the receivers, in the order added. */
    public Builder component(CollectorComponent.Factory factory) {
      factories.add(requireNonNull(factory, "factory"));
      return this;
    }

    /** The clock of the self-telemetry timestamps ({@link CollectorMetrics}'s). */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Opens the store (unless given), replays the queues, binds the receivers and starts the components.
     * On failure everything already started is stopped again (queued data stays on disk).
     *
     * @throws StoreException if the store cannot be opened or migrated
     * @throws IOException if a queue cannot be opened
     * @throws IllegalStateException if a listener cannot bind or a component fails to start
     */
    public Collector start() throws IOException, StoreException {
      TelemetryStore openStore = store != null ? store : ClickHouseStore.open(settings.store());
      Pipeline pipeline = null;
      OtlpReceiver receiver = null;
      MemoryGuard memoryGuard = MemoryGuard.create(settings.memory());
      try {
        CollectorMetrics metrics = new CollectorMetrics(clock);
        pipeline = Pipeline.builder(settings.pipeline(), openStore).metrics(metrics).start();
        if (openStore instanceof ClickHouseStore clickHouse) {
          storeCounters(metrics, clickHouse);
        }
        memoryGuard.start();
        receiver = OtlpReceiver.create(settings.receiver(), pipeline.sink(), metrics, memoryGuard);
        memoryMetrics(metrics, receiver, memoryGuard);
        receiver.start();
        SelfTelemetryReporter reporter = new SelfTelemetryReporter(
            metrics, pipeline.sink(), settings.selfTelemetryInterval(), resourceAttributes());
        reporter.start();
        Collector collector =
            new Collector(settings, openStore, metrics, pipeline, reporter, receiver, memoryGuard);
        startComponents(collector);
        return collector;
      } catch (IOException | RuntimeException e) {
        if (receiver != null) {
          receiver.shutdown();
        }
        memoryGuard.close();
        if (pipeline != null) {
          pipeline.shutdown();
        }
        openStore.close();
        throw e;
      }
    }

    /** The bytes in flight and what the memory guard sees (refused requests are counted by the receivers). */
    private static void memoryMetrics(CollectorMetrics metrics, OtlpReceiver receiver, MemoryGuard guard) {
      RequestBudget budget = receiver.budget();
      metrics.gauge(CollectorMetrics.BYTES_IN_FLIGHT, Map.of(), budget::inUse);
      metrics.gauge(CollectorMetrics.BYTES_IN_FLIGHT_LIMIT, Map.of(), budget::limit);
      if (guard.config().guardEnabled()) {
        metrics.gauge(CollectorMetrics.MEMORY_HEAP_USED, Map.of(), guard::heapUsed);
        metrics.gauge(CollectorMetrics.MEMORY_HEAP_LIMIT, Map.of("limit", "soft"), guard::heapSoftLimit);
        metrics.gauge(CollectorMetrics.MEMORY_HEAP_LIMIT, Map.of("limit", "hard"), guard::heapHardLimit);
        metrics.gauge(CollectorMetrics.MEMORY_REFUSING, Map.of(), () -> guard.refusal() == null ? 0 : 1);
        metrics.counterFunction(CollectorMetrics.MEMORY_FORCED_GCS, Map.of(), guard::forcedGcs);
        if (guard.config().checkResident()) {
          metrics.gauge(CollectorMetrics.MEMORY_RESIDENT, Map.of(), guard::residentBytes);
        }
      }
    }

    /** The store's own counts ({@link ClickHouseStore#stats()}) as the collector's metrics. */
    private static void storeCounters(CollectorMetrics metrics, ClickHouseStore store) {
      metrics.counterFunction(CollectorMetrics.ENGINE_CALLS_CPU, Map.of(),
          () -> ClickHouseStore.engineCallsCpuNanos() / 1e9);
      EngineMemoryReader engine = EngineMemoryReader.of(store);
      if (engine != null) {
        metrics.gauge(CollectorMetrics.ENGINE_MEMORY, Map.of(), () -> {
          EngineMemoryReader.Reading r = engine.read();
          return r == null ? Double.NaN : r.memoryBytes();
        });
        if (engine.limitBytes() > 0) {
          metrics.gauge(CollectorMetrics.ENGINE_MEMORY_LIMIT, Map.of(), engine::limitBytes);
        }
      }
      for (String key : store.stats().keySet()) {
        if (key.startsWith("expired_on_arrival.")) {
          metrics.counterFunction(CollectorMetrics.STORE_EXPIRED_ON_ARRIVAL,
              Map.of("signal", key.substring("expired_on_arrival.".length())), () -> store.stats().get(key));
        } else if (key.startsWith("repaired.")) {
          metrics.counterFunction(CollectorMetrics.STORE_REPAIRED,
              Map.of("kind", key.substring("repaired.".length())), () -> store.stats().get(key));
        }
      }
    }

    private void startComponents(Collector collector) {
      for (CollectorComponent.Factory factory : factories) {
        CollectorComponent component = null;
        try {
          component = factory.create(collector);
          component.start();
          collector.components.add(component);
          logger.info("{} started", component.name());
        } catch (Exception e) {
          if (component != null) {
            component.shutdown();
          }
          collector.shutdown();
          String name = component != null ? component.name() : "a component";
          throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
        }
      }
    }
  }
}
