package io.tskotel.collector.queue;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration of one {@link DurableQueue}.
 *
 * @param directory where the segment files, the commit file and the lock live (one directory per queue)
 * @param maxBytes bound on bytes appended but not yet committed; beyond it appends answer {@code FULL}.
 *     Disk use stays below {@code maxBytes + segmentBytes}
 * @param segmentBytes size at which the active segment is sealed and a new one started; also the largest
 *     record the queue takes
 * @param fsync when appends reach stable storage
 * @param fsyncInterval the group-commit period of {@link FsyncPolicy#INTERVAL}
 */
public record QueueConfig(
    Path directory, long maxBytes, long segmentBytes, FsyncPolicy fsync, Duration fsyncInterval) {

  public static final long DEFAULT_MAX_BYTES = 1L << 30;
  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
  public static final Duration DEFAULT_FSYNC_INTERVAL = Duration.ofMillis(10);

  public QueueConfig {
    requireNonNull(directory, "directory");
    requireNonNull(fsync, "fsync");
    requireNonNull(fsyncInterval, "fsyncInterval");
  }

  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /** A builder holding this configuration, for a queue in {@code directory}. */
  public Builder toBuilder(Path directory) {
    return new Builder(directory).maxBytes(maxBytes).segmentBytes(segmentBytes).fsync(fsync)
        .fsyncInterval(fsyncInterval);
  }

  /** Every problem of this configuration, empty when valid. */
  public List<String> validate() {
    List<String> errors = new ArrayList<>();
    if (segmentBytes < 4096) {
      errors.add("segmentBytes: " + segmentBytes + " (expected: >= 4096)");
    }
    if (segmentBytes > Integer.MAX_VALUE) {
      errors.add("segmentBytes: " + segmentBytes + " (expected: <= " + Integer.MAX_VALUE + ")");
    }
    if (maxBytes < segmentBytes) {
      errors.add("maxBytes: " + maxBytes + " (expected: >= segmentBytes " + segmentBytes + ")");
    }
    if (fsync == FsyncPolicy.INTERVAL && (fsyncInterval.isNegative() || fsyncInterval.isZero())) {
      errors.add("fsyncInterval: " + fsyncInterval + " (expected: > 0 with fsync interval)");
    }
    return errors;
  }

  /** Builds a {@link QueueConfig}; defaults: 1 GiB bound, 64 MiB segments, fsync always, 10 ms interval. */
  public static final class Builder {
    private final Path directory;
    private long maxBytes = DEFAULT_MAX_BYTES;
    private long segmentBytes = DEFAULT_SEGMENT_BYTES;
    private FsyncPolicy fsync = FsyncPolicy.ALWAYS;
    private Duration fsyncInterval = DEFAULT_FSYNC_INTERVAL;

    private Builder(Path directory) {
      this.directory = requireNonNull(directory, "directory");
    }

    public Builder maxBytes(long maxBytes) {
      this.maxBytes = maxBytes;
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

    public QueueConfig build() {
      return new QueueConfig(directory, maxBytes, segmentBytes, fsync, fsyncInterval);
    }
  }
}
