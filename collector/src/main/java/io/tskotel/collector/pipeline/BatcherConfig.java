package io.tskotel.collector.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a {@link Batcher} groups queued requests into store writes and retries them.
 *
 * @param maxItems flush once a batch holds this many items (spans, points, log records)
 * @param maxDelay flush a non-empty batch at the latest this long after its first request arrived
 * @param maxBytes flush once a batch holds this many request bytes (bounds memory for huge requests)
 * @param initialBackoff first wait after a retryable store error; doubles per attempt, with full jitter
 * @param maxBackoff cap of the wait between retries
 * @param writers batches of one signal written to the store at once (the queue is still committed in order);
 *     1 writes on the batcher thread itself
 * @param concurrentWrites batches of all signals together written to the store at once; 0 for no limit (each
 *     signal's {@code writers})
 */
public record BatcherConfig(
    int maxItems, Duration maxDelay, long maxBytes, Duration initialBackoff, Duration maxBackoff, int writers,
    int concurrentWrites) {

  /**
   * A batch is one insert and so one part in the engine (however many blocks of {@code max_insert_bytes} it
   * needs); parts of 50-100k rows cost the engine about half the CPU per row of 20,000-row parts, mostly in the
   * merges that rewrite small parts (DrainBenchmark parts, docs/performance.md "Part size"). 50k rather than
   * 100k: the engine squashes a batch into one block before it writes the part, and 100k-item batches took the
   * collector's peak RSS past the 1.5 GB budget on a quiet machine for no measurable throughput
   * (docs/performance.md "One part per batch: what it costs in memory").
   */
  public static final int DEFAULT_MAX_ITEMS = 50_000;
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(1);
  public static final long DEFAULT_MAX_BYTES = 32L << 20;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
  /**
   * One: a second writer lets the next batch be decoded, encoded and inserted while one is inside the engine,
   * which only pays with a spare core; on the shared 2-core build machine it cost 1.15x the CPU per span for
   * 0.97x the throughput (DrainBenchmark, docs/performance.md).
   */
  public static final int DEFAULT_WRITERS = 1;
  /**
   * No limit. With the three signals at their max rate on 2 cores, two writes at once instead of three took the
   * collector's peak RSS from 1,338-1,352 to 1,255-1,292 MiB and the engine's from 435-445 to 368-385 MiB, but
   * committed 0.83x the items in the same alternated runs (docs/performance.md, "Two store writes at once on 2
   * cores"): a limit for an install short of memory, not a default.
   */
  public static final int DEFAULT_CONCURRENT_WRITES = 0;

  public BatcherConfig {
    requireNonNull(maxDelay, "maxDelay");
    requireNonNull(initialBackoff, "initialBackoff");
    requireNonNull(maxBackoff, "maxBackoff");
  }

  public static BatcherConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<String> validate() {
    List<String> errors = new ArrayList<>();
    if (maxItems <= 0) {
      errors.add("maxItems: " + maxItems + " (expected: > 0)");
    }
    if (maxDelay.isNegative()) {
      errors.add("maxDelay: " + maxDelay + " (expected: >= 0)");
    }
    if (maxBytes <= 0) {
      errors.add("maxBytes: " + maxBytes + " (expected: > 0)");
    }
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      errors.add("initialBackoff: " + initialBackoff + " (expected: > 0)");
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      errors.add("maxBackoff: " + maxBackoff + " (expected: >= initialBackoff " + initialBackoff + ")");
    }
    if (writers < 1 || writers > 16) {
      errors.add("writers: " + writers + " (expected: 1..16)");
    }
    if (concurrentWrites < 0 || concurrentWrites > 64) {
      errors.add("concurrentWrites: " + concurrentWrites + " (expected: 0 for no limit, or 1..64)");
    }
    return errors;
  }

  public static final class Builder {
    private int maxItems = DEFAULT_MAX_ITEMS;
    private Duration maxDelay = DEFAULT_MAX_DELAY;
    private long maxBytes = DEFAULT_MAX_BYTES;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private int writers = DEFAULT_WRITERS;
    private int concurrentWrites = DEFAULT_CONCURRENT_WRITES;

    private Builder() {}

    public Builder maxItems(int maxItems) {
      this.maxItems = maxItems;
      return this;
    }

    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = requireNonNull(maxDelay, "maxDelay");
      return this;
    }

    public Builder maxBytes(long maxBytes) {
      this.maxBytes = maxBytes;
      return this;
    }

    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = requireNonNull(initialBackoff, "initialBackoff");
      return this;
    }

    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = requireNonNull(maxBackoff, "maxBackoff");
      return this;
    }

    public Builder writers(int writers) {
      this.writers = writers;
      return this;
    }

    public Builder concurrentWrites(int concurrentWrites) {
      this.concurrentWrites = concurrentWrites;
      return this;
    }

    public BatcherConfig build() {
      return new BatcherConfig(maxItems, maxDelay, maxBytes, initialBackoff, maxBackoff, writers, concurrentWrites);
    }
  }
}
