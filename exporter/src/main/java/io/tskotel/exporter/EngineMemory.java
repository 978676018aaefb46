package io.tskotel.exporter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded engine's memory, bounded through its own settings ({@code [storage]} keys in
 * docs/operations.md). Left alone, chDB sizes itself for a server of its own: up to 90 % of the machine's
 * memory, 5 GiB for each of its mark and primary-index caches. Inside the collector it shares the process with
 * the JVM, so it gets a budget; a query or merge that would pass it fails (a retryable store error for a
 * write, which the batcher retries) instead of the process growing.
 *
 * @param serverMemoryLimit all of the engine's tracked memory ({@code max_server_memory_usage}); 0 for the
 *     engine's default (90 % of the machine)
 * @param markCacheSize the cache of column marks ({@code mark_cache_size})
 * @param indexCacheSize each of the primary-index, skip-index-mark and query-condition caches
 * @param uncompressedCacheSize the cache of uncompressed blocks ({@code uncompressed_cache_size}); 0 is off
 * @param queryMemoryLimit one statement's memory, inserts included ({@code max_memory_usage}); 0 for no limit
 *     but the server's
 * @param purgeThreshold memory the engine freed that its allocator may hold before it is returned to the system
 *     ({@code SYSTEM JEMALLOC PURGE}, checked every 250 ms); 0 leaves it to the allocator, which keeps freed
 *     pages for 5 s
 */
public record EngineMemory(
    long serverMemoryLimit,
    long markCacheSize,
    long indexCacheSize,
    long uncompressedCacheSize,
    long queryMemoryLimit,
    long purgeThreshold) {

  /**
   * Under sustained ingest one batch's insert and the merges beside it needed this much with 1 MiB compression
   * blocks (an insert ~200 MiB for 50,000 realistic spans; at 512 MiB 3-6 % of the writes failed on it and were
   * done again: docs/performance.md, "The engine's share"). Since migration 10's 256 KiB blocks an insert holds
   * about half; the engine peaked at 285-435 MiB with the signals in turn (load generator bursts; tskotel
   * bench) and at 410-530 MiB with all three at once, which is what this limit now leaves room for.
   */
  public static final long DEFAULT_SERVER_MEMORY_LIMIT = 640L << 20;
  public static final long DEFAULT_MARK_CACHE_SIZE = 64L << 20;
  public static final long DEFAULT_INDEX_CACHE_SIZE = 32L << 20;
  public static final long DEFAULT_UNCOMPRESSED_CACHE_SIZE = 0;
  public static final long DEFAULT_QUERY_MEMORY_LIMIT = 384L << 20;
  /**
   * Off: the engine's allocator (chDB's own jemalloc) keeps freed pages for 5 s, and an insert or a merge frees
   * 50-300 MiB at once (under all three signals 55-76 MiB held on average, up to 330). Purged past 128 MiB (the
   * ClickHouse server's own 20 % of its limit) the average fell ~0.7x, but the collector's peak RSS did not
   * move (its peaks come with the engine's inserts and merges at their largest) and the engine paid ~1.1x CPU
   * per row: docs/performance.md, "The engine's allocator".
   */
  public static final long DEFAULT_PURGE_THRESHOLD = 0;
  /** Below this the purges would run nearly all the time, each one paid for in page faults. */
  public static final long MIN_PURGE_THRESHOLD = 16L << 20;
  /** Below this the engine cannot even merge the parts of a small table. */
  public static final long MIN_SERVER_MEMORY_LIMIT = 128L << 20;

  /** These bounds, with the allocator left to itself ({@link #DEFAULT_PURGE_THRESHOLD}). */
  public EngineMemory(long serverMemoryLimit, long markCacheSize, long indexCacheSize, long uncompressedCacheSize,
      long queryMemoryLimit) {
    this(serverMemoryLimit, markCacheSize, indexCacheSize, uncompressedCacheSize, queryMemoryLimit,
        DEFAULT_PURGE_THRESHOLD);
  }

  public static EngineMemory defaults() {
    return new EngineMemory(DEFAULT_SERVER_MEMORY_LIMIT, DEFAULT_MARK_CACHE_SIZE, DEFAULT_INDEX_CACHE_SIZE,
        DEFAULT_UNCOMPRESSED_CACHE_SIZE, DEFAULT_QUERY_MEMORY_LIMIT, DEFAULT_PURGE_THRESHOLD);
  }

  /** Every problem at once, each as {@code "field: value (expected: …)"}; empty when valid. */
  public List<String> validate() {
    List<String> errors = new ArrayList<>();
    if (serverMemoryLimit != 0 && serverMemoryLimit < MIN_SERVER_MEMORY_LIMIT) {
      errors.add("engineMemoryLimit: " + serverMemoryLimit + " (expected: 0 for the engine's default, or >= "
          + MIN_SERVER_MEMORY_LIMIT + ")");
    }
    if (markCacheSize < 0) {
      errors.add("markCacheSize: " + markCacheSize + " (expected: >= 0)");
    }
    if (indexCacheSize < 0) {
      errors.add("indexCacheSize: " + indexCacheSize + " (expected: >= 0)");
    }
    if (uncompressedCacheSize < 0) {
      errors.add("uncompressedCacheSize: " + uncompressedCacheSize + " (expected: >= 0)");
    }
    if (queryMemoryLimit < 0) {
      errors.add("queryMemoryLimit: " + queryMemoryLimit + " (expected: >= 0; 0 for no limit but the engine's)");
    } else if (serverMemoryLimit > 0 && queryMemoryLimit > serverMemoryLimit) {
      errors.add("queryMemoryLimit: " + queryMemoryLimit + " (expected: at most engine_memory_limit "
          + serverMemoryLimit + ")");
    }
    if (purgeThreshold != 0 && purgeThreshold < MIN_PURGE_THRESHOLD) {
      errors.add("engineMemoryPurgeThreshold: " + purgeThreshold + " (expected: 0 to leave it to the engine's"
          + " allocator, or >= " + MIN_PURGE_THRESHOLD + ")");
    }
    return errors;
  }

  /** The engine-wide settings, fixed when the engine starts. */
  public Map<String, String> serverSettings() {
    Map<String, String> m = new LinkedHashMap<>();
    if (serverMemoryLimit > 0) {
      m.put("max_server_memory_usage", Long.toString(serverMemoryLimit));
    }
    m.put("mark_cache_size", Long.toString(markCacheSize));
    m.put("primary_index_cache_size", Long.toString(indexCacheSize));
    m.put("index_mark_cache_size", Long.toString(indexCacheSize));
    m.put("query_condition_cache_size", Long.toString(indexCacheSize));
    m.put("uncompressed_cache_size", Long.toString(uncompressedCacheSize));
    return m;
  }

  /** The settings of every statement. */
  public Map<String, String> sessionSettings() {
    return queryMemoryLimit > 0 ? Map.of("max_memory_usage", Long.toString(queryMemoryLimit)) : Map.of();
  }
}
