package io.tskotel.collector.pipeline;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.queue.FsyncPolicy;
import io.tskotel.collector.queue.QueueConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration of the path receiver → queue → batcher → store.
 *
 * @param queueDirectory root of the queues; each signal gets a sub-directory, dead letters go to
 *     {@code deadletter/}
 * @param queueMaxBytes bound of each signal's queue
 * @param segmentBytes queue segment size (and largest request the queue takes)
 * @param fsync queue fsync policy
 * @param fsyncInterval group-commit period of {@link FsyncPolicy#INTERVAL}
 * @param batch batching and retry settings, the same for every signal
 * @param retryAfter the wait suggested to clients that are refused
 * @param drainTimeout how long shutdown waits for the batchers to write what is queued
 */
public record PipelineConfig(
    Path queueDirectory,
    long queueMaxBytes,
    long segmentBytes,
    FsyncPolicy fsync,
    Duration fsyncInterval,
    BatcherConfig batch,
    Duration retryAfter,
    Duration drainTimeout) {

  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

  public PipelineConfig {
    requireNonNull(queueDirectory, "queueDirectory");
    requireNonNull(fsync, "fsync");
    requireNonNull(fsyncInterval, "fsyncInterval");
    requireNonNull(batch, "batch");
    requireNonNull(retryAfter, "retryAfter");
    requireNonNull(drainTimeout, "drainTimeout");
  }

  public static Builder builder(Path queueDirectory) {
    return new Builder(queueDirectory);
  }

  public QueueConfig queueConfig(Signal signal) {
    return QueueConfig.builder(queueDirectory.resolve(signal.name().toLowerCase(java.util.Locale.ROOT)))
        .maxBytes(queueMaxBytes)
        .segmentBytes(segmentBytes)
        .fsync(fsync)
        .fsyncInterval(fsyncInterval)
        .build();
  }

  public Path deadLetterDirectory() {
    return queueDirectory.resolve("deadletter");
  }

  public List<String> validate() {
    List<String> errors = new ArrayList<>(queueConfig(Signal.TRACES).validate());
    errors.addAll(batch.validate());
    if (retryAfter.isNegative()) {
      errors.add("retryAfter: " + retryAfter + " (expected: >= 0)");
    }
    if (drainTimeout.isNegative()) {
      errors.add("drainTimeout: " + drainTimeout + " (expected: >= 0)");
    }
    return errors;
  }

  public Builder toBuilder() {
    return new Builder(queueDirectory).queueMaxBytes(queueMaxBytes).segmentBytes(segmentBytes)
        .fsync(fsync).fsyncInterval(fsyncInterval).batch(batch).retryAfter(retryAfter)
        .drainTimeout(drainTimeout);
  }

  public static final class Builder {
    private final Path queueDirectory;
    private long queueMaxBytes = QueueConfig.DEFAULT_MAX_BYTES;
    private long segmentBytes = QueueConfig.DEFAULT_SEGMENT_BYTES;
    private FsyncPolicy fsync = FsyncPolicy.ALWAYS;
    private Duration fsyncInterval = QueueConfig.DEFAULT_FSYNC_INTERVAL;
    private BatcherConfig batch = BatcherConfig.defaults();
    private Duration retryAfter = DEFAULT_RETRY_AFTER;
    private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

    private Builder(Path queueDirectory) {
      this.queueDirectory = requireNonNull(queueDirectory, "queueDirectory");
    }

    public Builder queueMaxBytes(long queueMaxBytes) {
      this.queueMaxBytes = queueMaxBytes;
      return this;
    }

    public Builder segmentBytes(long segmentBytes) {
      this.segmentBytes = segmentBytes;
      return this;
    }

    public Builder fsync(FsyncPolicy fsync) {
      this.fsync = requireNonNull(fsync, "fsync");
      return this;
    }

    public Builder fsyncInterval(Duration fsyncInterval) {
      this.fsyncInterval = requireNonNull(fsyncInterval, "fsyncInterval");
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
      return new PipelineConfig(queueDirectory, queueMaxBytes, segmentBytes, fsync, fsyncInterval, batch,
          retryAfter, drainTimeout);
    }
  }
}
