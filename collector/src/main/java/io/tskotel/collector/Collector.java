package io.tskotel.collector;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.config.CollectorSettings;
import io.tskotel.collector.pipeline.Pipeline;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.collector.receiver.OtlpReceiver;
import io.tskotel.collector.receiver.ReceiverMetrics;
import io.tskotel.collector.telemetry.CollectorMetrics;
import io.tskotel.collector.telemetry.SelfTelemetryReporter;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running collector: store (migrated on start), durable pipeline, self-telemetry and OTLP receivers,
 * started in that order and stopped in reverse: receivers first, then a last self-telemetry report, then
 * the batchers drain the queues into the store, then the store closes.
 */
public final class Collector implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(Collector.class);

  private final CollectorSettings settings;
  private final TelemetryStore store;
  private final CollectorMetrics metrics;
  private final Pipeline pipeline;
  private final SelfTelemetryReporter reporter;
  private final OtlpReceiver receiver;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean shutDown;

  private Collector(
      CollectorSettings settings,
      TelemetryStore store,
      CollectorMetrics metrics,
      Pipeline pipeline,
      SelfTelemetryReporter reporter,
      OtlpReceiver receiver) {
    this.settings = settings;
    this.store = store;
    this.metrics = metrics;
    this.pipeline = pipeline;
    this.reporter = reporter;
    this.receiver = receiver;
  }

  /** Opens the store named by the settings and starts everything on it. */
  public static Collector start(CollectorSettings settings) throws IOException, StoreException {
    TelemetryStore store = ClickHouseStore.open(settings.store());
    try {
      return start(settings, store);
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** Starts on an already open store, which the collector owns from now on (it closes it on shutdown). */
  public static Collector start(CollectorSettings settings, TelemetryStore store) throws IOException {
    requireNonNull(settings, "settings");
    requireNonNull(store, "store");
    CollectorMetrics metrics = new CollectorMetrics();
    Pipeline pipeline = Pipeline.builder(settings.pipeline(), store).metrics(metrics).start();
    SelfTelemetryReporter reporter = new SelfTelemetryReporter(
        metrics, pipeline.sink(), settings.selfTelemetryInterval(), resourceAttributes(), Clock.systemUTC());
    ReceiverMetrics receiverMetrics = new ReceiverMetrics();
    for (Signal signal : Signal.values()) {
      Map<String, String> labels = Map.of("signal", CollectorMetrics.signalName(signal));
      metrics.counterFunction(CollectorMetrics.REJECTED, labels, () -> receiverMetrics.rejected(signal));
    }
    OtlpReceiver receiver = OtlpReceiver.create(settings.receiver(), pipeline.sink(), receiverMetrics);
    try {
      receiver.start();
    } catch (RuntimeException e) {
      pipeline.shutdown();
      throw e;
    }
    reporter.start();
    return new Collector(settings, store, metrics, pipeline, reporter, receiver);
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

  public TelemetryStore store() {
    return store;
  }

  /** The collector's own metrics, for {@code /metrics}. */
  public CollectorMetrics metrics() {
    return metrics;
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  public int grpcPort() {
    return receiver.grpcPort();
  }

  public int httpPort() {
    return receiver.httpPort();
  }

  /** Blocks until {@link #shutdown()} finished. */
  public void awaitShutdown() throws InterruptedException {
    stopped.await();
  }

  /** Stops receiving, drains the queues into the store, closes the store. Safe to call twice. */
  public void shutdown() {
    synchronized (this) {
      if (shutDown) {
        return;
      }
      shutDown = true;
    }
    try {
      logger.info("collector stopping");
      receiver.shutdown();
      reporter.close();
      pipeline.shutdown();
      store.close();
      logger.info("collector stopped");
    } finally {
      stopped.countDown();
    }
  }

  @Override
  public void close() {
    shutdown();
  }

  @Override
  public String toString() {
    return "Collector{" + settings.receiver() + "}";
  }
}
