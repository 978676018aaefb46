package io.tskotel.collector.api;

import static java.util.Objects.requireNonNull;

import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded engine's entry in {@code /status}: its tracked memory against {@code engine_memory_limit}, and
 * the merges running now with their memory. The engine shares the process with the JVM, and its memory is
 * the part of the budget the JVM's own figures do not show: an insert and the merges beside it are what
 * approach the limit (docs/performance.md, "Memory"). One small statement on the engine per {@code /status}.
 */
final class EngineStatus implements StatusSource {
  private static final String SQL = "SELECT (SELECT value FROM system.metrics WHERE metric = 'MemoryTracking'),"
      + " count(), sum(memory_usage) FROM system.merges";

  private final TelemetryStore store;
  private final long memoryLimitBytes;

  /** {@code memoryLimitBytes}: the engine's limit, 0 when the engine sizes itself. */
  EngineStatus(TelemetryStore store, long memoryLimitBytes) {
    this.store = requireNonNull(store, "store");
    this.memoryLimitBytes = memoryLimitBytes;
  }

  @Override
  public Object snapshot() {
    Map<String, Object> m = new LinkedHashMap<>();
    try {
      List<Object> row = store.query(SQL, Map.of()).rows().get(0);
      m.put("memory_bytes", number(row.get(0)));
      m.put("memory_limit_bytes", memoryLimitBytes);
      m.put("merges", number(row.get(1)));
      m.put("merges_memory_bytes", number(row.get(2)));
    } catch (StoreException | RuntimeException e) {
      // /status answers whatever the engine does; the store's health check says why it did not.
      m.put("available", false);
    }
    return m;
  }

  private static long number(Object value) {
    return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
  }
}
