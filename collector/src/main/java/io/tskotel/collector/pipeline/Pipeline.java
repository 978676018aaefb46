package io.tskotel.collector.pipeline;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.pipeline.internal.DeadLetterFile;
import io.tskotel.collector.queue.DurableQueue;
import io.tskotel.collector.queue.QueueListener;
import io.tskotel.collector.telemetry.CollectorMetrics;
import io.tskotel.exporter.TelemetryStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable ingest path, assembled: one {@link DurableQueue} and one {@link Batcher} per signal behind a
 * {@link DurableIngestSink}. {@link #shutdown()} refuses new requests, drains the queues into the store and
 * closes them.
 */
public final class Pipeline {
  private static final Logger logger = LoggerFactory.getLogger(Pipeline.class);

  private final PipelineConfig config;
  private final CollectorMetrics metrics;
  private final Map<Signal, DurableQueue> queues;
  private final Map<Signal, Batcher> batchers;
  private final Map<Signal, DeadLetterFile> deadLetters;
  private final DurableIngestSink sink;
  private boolean stopped;

  private Pipeline(
      PipelineConfig config,
      CollectorMetrics metrics,
      Map<Signal, DurableQueue> queues,
      Map<Signal, Batcher> batchers,
      Map<Signal, DeadLetterFile> deadLetters) {
    this.config = config;
    this.metrics = metrics;
    this.queues = queues;
    this.batchers = batchers;
    this.deadLetters = deadLetters;
    this.sink = new DurableIngestSink(queues, metrics, config.retryAfter());
  }

  public static Builder builder(PipelineConfig config, TelemetryStore store) {
    return new Builder(config, store);
  }

  public IngestSink sink() {
    return sink;
  }

  public DurableQueue queue(Signal signal) {
    return queues.get(signal);
  }

  /** What {@code signal}'s queue holds that is not yet in the store. */
  public QueueDepth depth(Signal signal) {
    DurableQueue queue = queues.get(signal);
    return new QueueDepth(queue.pendingBytes(), queue.pendingRecords(), config.queueMaxBytes());
  }

  /** Whether {@code signal}'s batcher moves its queue into the store now, and if not, why. */
  public DrainStatus drainStatus(Signal signal) {
    return batchers.get(signal).status();
  }

  public CollectorMetrics metrics() {
    return metrics;
  }

  public PipelineConfig config() {
    return config;
  }

  /**
   * Refuses new requests, writes what is queued (up to the drain timeout; the rest is replayed on the next
   * start) and closes the queues. Returns whether every queue was drained. Safe to call twice.
   */
  public synchronized boolean shutdown() {
    if (stopped) {
      return true;
    }
    stopped = true;
    sink.close();
    long deadline = System.nanoTime() + config.drainTimeout().toNanos();
    // Every batcher starts its final flush now; the joins below then share one drain timeout.
    batchers.values().forEach(Batcher::requestStop);
    boolean drained = true;
    for (Batcher batcher : batchers.values()) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      drained &= batcher.shutdown(left);
    }
    queues.values().forEach(DurableQueue::close);
    deadLetters.values().forEach(DeadLetterFile::close);
    logger.info("pipeline stopped ({})", drained ? "queues drained" : "undrained data kept for the next start");
    return drained;
  }

  public static final class Builder {
    private final PipelineConfig config;
    private final TelemetryStore store;
    private CollectorMetrics metrics = new CollectorMetrics();
    private Sleeper sleeper = Sleeper.SYSTEM;
    private Ticker ticker = Ticker.SYSTEM;
    private RandomGenerator random = RandomGenerator.getDefault();

    private Builder(PipelineConfig config, TelemetryStore store) {
      this.config = requireNonNull(config, "config");
      this.store = requireNonNull(store, "store");
    }

    public Builder metrics(CollectorMetrics metrics) {
      this.metrics = requireNonNull(metrics, "metrics");
      return this;
    }

    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = requireNonNull(sleeper, "sleeper");
      return this;
    }

    public Builder ticker(Ticker ticker) {
      this.ticker = requireNonNull(ticker, "ticker");
      return this;
    }

    public Builder random(RandomGenerator random) {
      this.random = requireNonNull(random, "random");
      return this;
    }

    /** Opens the queues (replaying what they hold), starts the batchers. */
    public Pipeline start() throws IOException {
      List<String> errors = config.validate();
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException("invalid pipeline config: " + String.join("; ", errors));
      }
      Map<Signal, DurableQueue> queues = new EnumMap<>(Signal.class);
      Map<Signal, DeadLetterFile> deadLetters = new EnumMap<>(Signal.class);
      Map<Signal, Batcher> batchers = new EnumMap<>(Signal.class);
      // Fair: a signal waiting for a slot gets the next one, whatever the others' rates.
      int slots = config.batch().concurrentWrites();
      Semaphore writeSlots = new Semaphore(slots > 0 ? slots : Integer.MAX_VALUE, true);
      try {
        for (Signal signal : Signal.values()) {
          DurableQueue queue = DurableQueue.open(config.queueConfig(signal), listener(signal));
          queues.put(signal, queue);
          metrics.queueGauges(signal, queue::pendingBytes, queue::pendingRecords);
          String name = CollectorMetrics.signalName(signal);
          DeadLetterFile dead = new DeadLetterFile(config.deadLetterDirectory(), name);
          deadLetters.put(signal, dead);
          batchers.put(signal, Batcher.builder(signal, queue, store, dead)
              .config(config.batch()).metrics(metrics).sleeper(sleeper).ticker(ticker).random(random)
              .writeSlots(writeSlots).build());
        }
      } catch (IOException | RuntimeException e) {
        queues.values().forEach(DurableQueue::close);
        throw e;
      }
      batchers.values().forEach(Batcher::start);
      Path dir = config.queueDirectory();
      logger.info("pipeline started: queues in {} (fsync {}, {} bytes per signal), store writes at once: {}", dir,
          config.fsync(), config.queueMaxBytes(), slots > 0 ? slots : "no limit");
      return new Pipeline(config, metrics, queues, batchers, deadLetters);
    }

    private QueueListener listener(Signal signal) {
      return new QueueListener() {
        @Override
        public void tailTruncated(Path segment, long offset, long bytes) {
          metrics.queueCorruption(signal, "truncated_tail");
        }

        @Override
        public void corruptRegionSkipped(Path segment, long offset, long bytes) {
          metrics.queueCorruption(signal, "skipped_region");
        }
      };
    }
  }
}
