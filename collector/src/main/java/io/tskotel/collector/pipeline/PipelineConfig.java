package io.tskotel.collector.pipeline;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.queue.FsyncPolicy;
import io.tskotel.collector.queue.QueueConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Configuration of the path receiver → queue → batcher → store.
 *
 * @param queue the queues' settings; its directory is the root of the queues: each signal gets a
 *     sub-directory, dead letters go to {@code deadletter/}
 * @param batch batching and retry settings, the same for every signal
 * @param retryAfter the wait suggested to clients that are refused
 * @param drainTimeout how long shutdown waits for the batchers to write what is queued
 */
public record PipelineConfig(QueueConfig queue, BatcherConfig batch, Duration retryAfter, Duration drainTimeout) {

  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

  public PipelineConfig {
    requireNonNull(queue, "queue");
    requireNonNull(batch, "batch");
    requireNonNull(retryAfter, "retryAfter");
    requireNonNull(drainTimeout, "drainTimeout");
  }

  public static Builder builder(Path queueDirectory) {
    return new Builder(queueDirectory);
  }

  /** Root of the queues. */
  public Path queueDirectory() {
    return queue.directory();
  }

  /** Bound of each signal's queue. */
  public long queueMaxBytes() {
    return queue.maxBytes();
  }

  public long segmentBytes() {
    return queue.segmentBytes();
  }

  public FsyncPolicy fsync() {
    return queue.fsync();
  }

  /** The queue of one signal: {@link #queue()} in its own sub-directory. */
  public QueueConfig queueConfig(Signal signal) {
    return queue.toBuilder(queue.directory().resolve(signal.name().toLowerCase(Locale.ROOT))).build();
  }

  public Path deadLetterDirectory() {
    return queue.directory().resolve("deadletter");
  }

  public List<String> validate() {
    List<String> errors = new ArrayList<>(queue.validate());
    errors.addAll(batch.validate());
    if (retryAfter.isNegative()) {
      errors.add("retryAfter: " + retryAfter + " (expected: >= 0)");
    }
    if (drainTimeout.isNegative()) {
      errors.add("drainTimeout: " + drainTimeout + " (expected: >= 0)");
    }
    return errors;
  }

  /** Builds a {@link PipelineConfig}; the queue setters go to the {@link QueueConfig} it holds. */
  public static final class Builder {
    private final QueueConfig.Builder queue;
    private BatcherConfig batch = BatcherConfig.defaults();
    private Duration retryAfter = DEFAULT_RETRY_AFTER;
    private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

    private Builder(Path queueDirectory) {
      this.queue = QueueConfig.builder(queueDirectory);
    }

    public Builder queueMaxBytes(long queueMaxBytes) {
      queue.maxBytes(queueMaxBytes);
      return this;
    }

    public Builder segmentBytes(long segmentBytes) {
      queue.segmentBytes(segmentBytes);
      return this;
    }

    public Builder fsync(FsyncPolicy fsync) {
      queue.fsync(fsync);
      return this;
    }

    public Builder fsyncInterval(Duration fsyncInterval) {
      queue.fsyncInterval(fsyncInterval);
      return this;
    }

    public Builder batch(BatcherConfig batch) {
      this.batch = requireNonNull(batch, "batch");
      return this;
    }

    public Builder retryAfter(Duration retryAfter) {
      this.retryAfter = requireNonNull(retryAfter, "retryAfter");
      return this;
    }

    public Builder drainTimeout(Duration drainTimeout) {
      this.drainTimeout = requireNonNull(drainTimeout, "drainTimeout");
      return this;
    }

    public PipelineConfig build() {
      return new PipelineConfig(queue.build(), batch, retryAfter, drainTimeout);
    }
  }
}
