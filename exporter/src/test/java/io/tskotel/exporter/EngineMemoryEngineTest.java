package io.tskotel.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.exporter.internal.chdb.ChdbRuntime;
import io.tskotel.exporter.testing.ChdbTestEngine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The embedded engine runs with the memory settings it was started with. chDB starts once per process (in a
 * test JVM, {@link ChdbTestEngine} starts it, with its {@link ChdbTestEngine#MEMORY}), so the test compares the
 * engine's own view with the settings it was started with.
 */
class EngineMemoryEngineTest {
  @Test
  void embeddedEngine_runsWithTheConfiguredLimitsAndCaches() throws Exception {
    try (ClickHouseStore store = ClickHouseStore.embedded(StoreConfig.builder()
        .dataPath(ChdbTestEngine.dataPath()).database("engine_memory_test").build())) {
      Map<String, String> started = ChdbRuntime.serverSettings();
      assertThat(started).as("the test engine starts first, with its settings")
          .isEqualTo(ChdbTestEngine.MEMORY.serverSettings())
          .containsEntry("max_server_memory_usage", Long.toString(4L << 30));

      QueryResult server = store.engine().query(
          "SELECT name, value FROM system.server_settings WHERE name IN {names:Array(String)}",
          Map.of("names", "['" + String.join("','", started.keySet()) + "']"));
      Map<String, String> running = new LinkedHashMap<>();
      for (List<Object> row : server.rows()) {
        running.put((String) row.get(0), (String) row.get(1));
      }
      assertThat(running).isEqualTo(started);

      QueryResult session = store.engine().query("SELECT getSetting('max_memory_usage') AS v", Map.of());
      assertThat(String.valueOf(session.rows().get(0).get(0)))
          .isEqualTo(Long.toString(EngineMemory.DEFAULT_QUERY_MEMORY_LIMIT));
    }
  }

  @Test
  void validate_everyProblemAtOnce() {
    assertThat(new EngineMemory(1, -1, -1, -1, -1).validate()).containsExactly(
        "engineMemoryLimit: 1 (expected: 0 for the engine's default, or >= 134217728)",
        "markCacheSize: -1 (expected: >= 0)",
        "indexCacheSize: -1 (expected: >= 0)",
        "uncompressedCacheSize: -1 (expected: >= 0)",
        "queryMemoryLimit: -1 (expected: >= 0; 0 for no limit but the engine's)");
    assertThat(new EngineMemory(256L << 20, 0, 0, 0, 512L << 20).validate()).containsExactly(
        "queryMemoryLimit: 536870912 (expected: at most engine_memory_limit 268435456)");
    assertThat(new EngineMemory(256L << 20, 0, 0, 0, 0, 1024).validate()).containsExactly(
        "engineMemoryPurgeThreshold: 1024 (expected: 0 to leave it to the engine's allocator, or >= 16777216)");
    assertThat(new EngineMemory(256L << 20, 0, 0, 0, 0, -1).validate()).hasSize(1);
    assertThat(new EngineMemory(256L << 20, 0, 0, 0, 0, 0).validate()).isEmpty();
  }

  @Test
  void defaults_leaveTheAllocatorToItself() {
    assertThat(EngineMemory.defaults().purgeThreshold()).isZero();
    assertThat(new EngineMemory(256L << 20, 0, 0, 0, 0).purgeThreshold()).isZero();
  }
}
