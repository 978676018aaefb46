package io.tskotel.collector.memory;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The collector's memory budget ({@code [collector] memory_*} keys): how much the whole process may use, the
 * share of it that is the JVM heap (the launcher turns it into {@code -Xmx}; the rest is the engine's and the
 * JVM's own native memory), and the memory guard's limits, which refuse new data (retryably) before the heap
 * fills.
 *
 * @param limitBytes what the whole process may use; 0 leaves the heap to the JVM's default (a quarter of the
 *     machine) and checks no resident memory
 * @param heapPercent the share of {@code limitBytes} given to the JVM heap
 * @param checkInterval how often the guard reads memory use; zero turns the guard off
 * @param softPercent over this share of the heap (or of {@code limitBytes} for resident memory), receivers
 *     refuse new requests
 * @param hardPercent over this share, the guard also asks for a full garbage collection
 * @param checkResident whether the guard also checks the process's resident memory against {@code limitBytes}
 */
public record MemoryConfig(
    long limitBytes,
    int heapPercent,
    Duration checkInterval,
    int softPercent,
    int hardPercent,
    boolean checkResident) {

  public static final long DEFAULT_LIMIT_BYTES = 1536L << 20;
  public static final int DEFAULT_HEAP_PERCENT = 50;
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(1);
  public static final int DEFAULT_SOFT_PERCENT = 85;
  public static final int DEFAULT_HARD_PERCENT = 95;
  /** The least heap worth running with: below it the collector spends its time collecting garbage. */
  public static final long MIN_HEAP_BYTES = 128L << 20;

  public MemoryConfig {
    requireNonNull(checkInterval, "checkInterval");
  }

  public static MemoryConfig defaults() {
    return new MemoryConfig(DEFAULT_LIMIT_BYTES, DEFAULT_HEAP_PERCENT, DEFAULT_CHECK_INTERVAL,
        DEFAULT_SOFT_PERCENT, DEFAULT_HARD_PERCENT, false);
  }

  /** The heap the launcher gives the JVM ({@code -Xmx}), or 0 when {@code limitBytes} is 0. */
  public long heapBytes() {
    return limitBytes * heapPercent / 100 / (1 << 20) * (1 << 20);
  }

  public boolean guardEnabled() {
    return !checkInterval.isZero();
  }

  /** Every problem at once, each as {@code "field: value (expected: …)"}; empty when valid. */
  public List<String> validate() {
    List<String> errors = new ArrayList<>();
    if (limitBytes < 0) {
      errors.add("limit: " + limitBytes + " (expected: >= 0; 0 for the JVM's default heap)");
    }
    if (heapPercent < 10 || heapPercent > 90) {
      errors.add("heap_percent: " + heapPercent + " (expected: 10..90)");
    } else if (limitBytes > 0 && heapBytes() < MIN_HEAP_BYTES) {
      errors.add("limit: " + limitBytes + " (expected: a heap_percent share of at least " + MIN_HEAP_BYTES
          + " bytes)");
    }
    if (checkInterval.isNegative()) {
      errors.add("check_interval: " + checkInterval + " (expected: >= 0; 0 turns the guard off)");
    }
    if (softPercent < 1 || softPercent > 99) {
      errors.add("soft_limit_percent: " + softPercent + " (expected: 1..99)");
    }
    if (hardPercent < 1 || hardPercent > 100 || hardPercent < softPercent) {
      errors.add("hard_limit_percent: " + hardPercent + " (expected: soft_limit_percent.." + 100 + ")");
    }
    if (checkResident && limitBytes == 0) {
      errors.add("check_resident: true (expected: false when limit is 0)");
    }
    return errors;
  }
}
