package io.tskotel.collector.api;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.internal.EngineMemoryReader;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The embedded engine's entry in {@code /status}: its tracked memory against {@code engine_memory_limit}, and
 * the merges running now with their memory ({@link EngineMemoryReader}): an insert and the merges beside it
 * are what approach the limit.
 */
final class EngineStatus implements StatusSource {
  private final EngineMemoryReader reader;

  EngineStatus(EngineMemoryReader reader) {
    this.reader = requireNonNull(reader, "reader");
  }

  @Override
  public Object snapshot() {
    Map<String, Object> m = new LinkedHashMap<>();
    EngineMemoryReader.Reading r = reader.read();
    if (r == null) {
      m.put("available", false);
      return m;
    }
    m.put("memory_bytes", r.memoryBytes());
    m.put("memory_limit_bytes", reader.limitBytes());
    m.put("merges", r.merges());
    m.put("merges_memory_bytes", r.mergesMemoryBytes());
    return m;
  }
}
