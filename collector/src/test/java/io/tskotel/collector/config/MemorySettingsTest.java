package io.tskotel.collector.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.collector.cli.JvmOptionsAccess;
import io.tskotel.collector.memory.MemoryConfig;
import io.tskotel.exporter.EngineMemory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory budget's keys in {@code [collector]} and {@code [storage]}, and how they must fit together. */
class MemorySettingsTest {
  @TempDir Path dir;

  @Test
  void defaults_aBudgetOf1536MiB_halfOfItHeap_engineAndCachesBounded() throws Exception {
    CollectorSettings settings = SettingsFiles.read(null);

    assertThat(settings.memory().limitBytes()).isEqualTo(1536L << 20);
    assertThat(settings.memory().heapBytes()).isEqualTo(768L << 20);
    assertThat(settings.memory().guardEnabled()).isTrue();
    assertThat(settings.receiver().maxBytesInFlight()).isEqualTo(128L << 20);
    assertThat(settings.store().engineMemory()).isEqualTo(EngineMemory.defaults());
    assertThat(settings.store().engineMemory().serverSettings())
        .containsEntry("max_server_memory_usage", Long.toString(512L << 20))
        .containsEntry("mark_cache_size", Long.toString(64L << 20));
    assertThat(JvmOptionsAccess.forConfig(null, Map.of())).containsExactly("-Xmx768m", "-XX:+UseG1GC",
        "-Djdk.nio.maxCachedBufferSize=1048576");
  }

  @Test
  void keys_mapToTheConfigs_andTheLauncherSizesTheHeapFromThem() throws Exception {
    Path file = SettingsFiles.write(dir, "memory.tsk", """
        [collector]
        memory_limit: "4GiB"
        memory_heap_percent: 40
        memory_check_interval: "250ms"
        memory_soft_limit_percent: 70
        memory_hard_limit_percent: 80
        memory_check_resident: true
        max_bytes_in_flight: "256MiB"
        [storage]
        engine_memory_limit: "2GiB"
        mark_cache_size: "128MiB"
        index_cache_size: "16MiB"
        uncompressed_cache_size: "0"
        query_memory_limit: "1GiB"
        batch_max_bytes: "8MiB"
        """);
    CollectorSettings settings = SettingsFiles.read(file);

    assertThat(settings.memory())
        .isEqualTo(new MemoryConfig(4L << 30, 40, Duration.ofMillis(250), 70, 80, true));
    assertThat(settings.receiver().maxBytesInFlight()).isEqualTo(256L << 20);
    assertThat(settings.store().engineMemory())
        .isEqualTo(new EngineMemory(2L << 30, 128L << 20, 16L << 20, 0, 1L << 30));
    assertThat(settings.pipeline().batch().maxBytes()).isEqualTo(8L << 20);
    assertThat(JvmOptionsAccess.forConfig(file, Map.of())).containsExactly("-Xmx1638m", "-XX:+UseG1GC",
        "-Djdk.nio.maxCachedBufferSize=1048576");
  }

  @Test
  void badValues_everyProblemAtItsKey_withFileLineAndColumn() throws Exception {
    Path file = SettingsFiles.write(dir, "bad.tsk", """
        [collector]
        memory_limit: "1GiB"
        memory_heap_percent: 95
        memory_soft_limit_percent: 90
        memory_hard_limit_percent: 80
        max_bytes_in_flight: "1MiB"
        [storage]
        engine_memory_limit: "64MiB"
        query_memory_limit: "-1"
        mark_cache_size: "lots"
        """);
    SettingsFiles.assertRejected(file)
        .hasMessageContaining(file + ":3:1: collector.memory_heap_percent: 95 (expected: 10..90)")
        .hasMessageContaining(file + ":5:1: collector.memory_hard_limit_percent: 80 (expected: soft_limit_percent..100)")
        .hasMessageContaining(file + ":6:1: collector.max_bytes_in_flight: 1048576 (expected: >= maxMessageBytes 16777216)")
        .hasMessageContaining(file + ":8:1: storage.engine_memory_limit: 67108864 (expected: 0 for the engine's default, or >= 134217728)")
        .hasMessageContaining(file + ":10:1: storage.mark_cache_size: \"lots\"");
  }

  @Test
  void partsOverTheBudget_reportedAtThePartThatDoesNotFit() throws Exception {
    Path file = SettingsFiles.write(dir, "over.tsk", """
        [collector]
        memory_limit: "1GiB"
        max_bytes_in_flight: "400MiB"
        [storage]
        engine_memory_limit: "768MiB"
        """);
    SettingsFiles.assertRejected(file)
        .hasMessageContaining(file + ":3:1: collector.max_bytes_in_flight: 419430400 (expected: at most half the heap")
        .hasMessageContaining(file + ":5:1: storage.engine_memory_limit: 805306368 (expected: at most memory_limit"
            + " 1073741824 minus the heap 536870912)");
  }

  @Test
  void memoryLimitZero_theJvmsOwnDefaults_noHeapOption() throws Exception {
    Path file = SettingsFiles.write(dir, "zero.tsk", """
        [collector]
        memory_limit: 0
        """);
    assertThat(JvmOptionsAccess.forConfig(file, Map.of())).isEmpty();
  }
}
