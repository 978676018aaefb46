package io.tskotel.collector.internal;

import static java.util.Objects.requireNonNull;

import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the embedded engine's own memory account: what it tracks against {@code engine_memory_limit}, and the
 * merges running now with their memory. The engine shares the process with the JVM, and this is the part of
 * the memory budget the JVM's figures do not show (docs/performance.md, "Memory"). One small statement on the
 * engine per reading; {@code /status} and {@code /metrics} read it when they are asked. Not the allocator's own
 * figures ({@code system.jemalloc_stats}): printing jemalloc's report while the engine inserts cost the bench's
 * traces 0.8x the items committed when {@code /status} was polled twice a second (docs/performance.md, "The
 * engine's allocator").
 */
public final class EngineMemoryReader {
  private static final String SQL = "SELECT (SELECT value FROM system.metrics WHERE metric = 'MemoryTracking'),"
      + " count(), sum(memory_usage) FROM system.merges";

  /** One reading: the engine's tracked bytes, and the merges running with the bytes they hold. */
  public record Reading(long memoryBytes, long merges, long mergesMemoryBytes) {}

  private final TelemetryStore store;
  private final long limitBytes;

  private EngineMemoryReader(TelemetryStore store, long limitBytes) {
    this.store = requireNonNull(store, "store");
    this.limitBytes = limitBytes;
  }

  /** A reader of {@code store}'s engine when it is the embedded one; null for a remote server (it has its own). */
  public static @Nullable EngineMemoryReader of(TelemetryStore store) {
    return store instanceof ClickHouseStore s && s.config().engine() == StoreConfig.EngineKind.EMBEDDED
        ? new EngineMemoryReader(s, s.config().engineMemory().serverMemoryLimit())
        : null;
  }

  /** The engine's limit ({@code engine_memory_limit}), 0 when the engine sizes itself. */
  public long limitBytes() {
    return limitBytes;
  }

  /** The engine's account now, or null when it does not answer (the store's health check says why). */
  public @Nullable Reading read() {
    try {
      List<Object> row = store.query(SQL, Map.of()).rows().get(0);
      return new Reading(number(row.get(0)), number(row.get(1)), number(row.get(2)));
    } catch (StoreException | RuntimeException e) {
      return null;
    }
  }

  private static long number(Object value) {
    return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
  }
}
