package io.tskotel.collector.memory;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The collector's memory budget ({@code [collector] memory_*} keys): how much the whole process may use, the
 * share of it that is the JVM heap (the launcher turns it into {@code -Xmx}; the rest is the engine's and
 * {@link #NATIVE_RESERVE_BYTES} of the JVM's own native memory), how often freed native memory goes back to the
 * system, and the memory guard's limits, which refuse new data (retryably) before the heap fills.
 *
 * @param limitBytes what the whole process may use; 0 leaves the heap to the JVM's default (a quarter of the
 *     machine) and checks no resident memory
 * @param heapPercent the share of {@code limitBytes} given to the JVM heap
 * @param checkInterval how often the guard reads memory use; zero turns the guard off
 * @param softPercent over this share of the heap (or of {@code limitBytes} for resident memory), receivers
 *     refuse new requests
 * @param hardPercent over this share, the guard also asks for a full garbage collection
 * @param checkResident whether the guard also checks the process's resident memory against {@code limitBytes}
 * @param nativeTrimInterval how often the JVM returns the C heap's free memory to the system
 *     ({@code -XX:TrimNativeHeapInterval}); zero leaves it to the C library
 */
public record MemoryConfig(
    long limitBytes,
    int heapPercent,
    Duration checkInterval,
    int softPercent,
    int hardPercent,
    boolean checkResident,
    Duration nativeTrimInterval) {

  public static final long DEFAULT_LIMIT_BYTES = 1536L << 20;
  /**
   * 460 MiB of the default 1.5 GiB. Under load G1 commits the whole heap while what is live stays ~220 MiB
   * (requests in flight, the writers' buffers), so this share is what the heap costs in resident memory; at 50 %
   * the storm peaked at 1.75 GB. 30 rather than 40 %: the 154 MiB go to the engine, whose 512 MiB made 3-6 % of the
   * batch writes fail under sustained load (an insert and the merges beside it passing its limit;
   * docs/performance.md, "The engine's share").
   */
  public static final int DEFAULT_HEAP_PERCENT = 30;
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(1);
  public static final int DEFAULT_SOFT_PERCENT = 85;
  public static final int DEFAULT_HARD_PERCENT = 95;
  /** The least heap worth running with: below it the collector spends its time collecting garbage. */
  public static final long MIN_HEAP_BYTES = 128L << 20;
  /**
   * What the process holds beyond the heap and the engine's own limit, measured with the JVM's native memory
   * tracking at the peak of the storm: the JVM's own memory (GC structures ~53 MiB, metaspace ~40, code ~17,
   * thread stacks ~15, class data and symbols ~25), the engine's code pages (50-180 MiB resident, file-backed),
   * gRPC's direct buffers (35 MiB at their peak), the C heap's slack and what the engine freed that its own
   * allocator (jemalloc, inside libchdb.so) still holds.
   */
  public static final long NATIVE_RESERVE_BYTES = 384L << 20;
  /**
   * The JVM's C heap (glibc's malloc: its compilers', collector's and direct buffers' memory) keeps what was
   * freed in its arenas: after the storm the process held ~550 MiB beyond the JVM's own at idle. A trim each
   * second returned ~150-200 MiB of the peak (docs/performance.md, "Memory"). The engine's own allocator is
   * jemalloc, which this does not reach ({@code engine_memory_purge_threshold} does).
   */
  public static final Duration DEFAULT_NATIVE_TRIM_INTERVAL = Duration.ofSeconds(1);
  private static final Duration MIN_NATIVE_TRIM_INTERVAL = Duration.ofMillis(100);

  public MemoryConfig {
    requireNonNull(checkInterval, "checkInterval");
    requireNonNull(nativeTrimInterval, "nativeTrimInterval");
  }

  public static MemoryConfig defaults() {
    return new MemoryConfig(DEFAULT_LIMIT_BYTES, DEFAULT_HEAP_PERCENT, DEFAULT_CHECK_INTERVAL,
        DEFAULT_SOFT_PERCENT, DEFAULT_HARD_PERCENT, false, DEFAULT_NATIVE_TRIM_INTERVAL);
  }

  /** The heap the launcher gives the JVM ({@code -Xmx}), or 0 when {@code limitBytes} is 0. */
  public long heapBytes() {
    return limitBytes * heapPercent / 100 / (1 << 20) * (1 << 20);
  }

  public boolean guardEnabled() {
    return !checkInterval.isZero();
  }

  /** The heap's share of the guard's soft limit: what the heap may hold before receivers refuse. */
  public long heapSoftBytes() {
    return heapBytes() * softPercent / 100;
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
    if (nativeTrimInterval.isNegative()
        || !nativeTrimInterval.isZero() && nativeTrimInterval.compareTo(MIN_NATIVE_TRIM_INTERVAL) < 0) {
      errors.add("native_trim_interval: " + nativeTrimInterval + " (expected: 0 to leave it to the C library, or >= "
          + MIN_NATIVE_TRIM_INTERVAL + ")");
    }
    return errors;
  }
}
