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
  void defaults_aBudgetOf1536MiB_30PercentHeap_engineAndCachesBounded_nativeTrimmed() throws Exception {
    CollectorSettings settings = SettingsFiles.read(null);

    assertThat(settings.memory()).isEqualTo(MemoryConfig.defaults());
    assertThat(settings.memory().limitBytes()).isEqualTo(1536L << 20);
    assertThat(settings.memory().heapBytes()).isEqualTo(460L << 20);
    assertThat(settings.memory().guardEnabled()).isTrue();
    assertThat(settings.receiver().maxBytesInFlight()).isEqualTo(128L << 20);
    assertThat(settings.store().engineMemory()).isEqualTo(EngineMemory.defaults());
    assertThat(settings.store().engineMemory().serverSettings())
        .containsEntry("max_server_memory_usage", Long.toString(640L << 20))
        .containsEntry("mark_cache_size", Long.toString(64L << 20));
    assertThat(JvmOptionsAccess.forConfig(null, Map.of())).containsExactly("-Xmx460m", "-XX:+UseG1GC",
        "-XX:TrimNativeHeapInterval=1000", "-Djdk.nio.maxCachedBufferSize=1048576");
    // heap + engine + the JVM's own native memory within the budget, as checkBudget demands
    assertThat(settings.memory().heapBytes() + settings.store().engineMemory().serverMemoryLimit()
        + MemoryConfig.NATIVE_RESERVE_BYTES).isLessThanOrEqualTo(settings.memory().limitBytes());
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
        memory_native_trim_interval: "5s"
        max_bytes_in_flight: "256MiB"
        [storage]
        engine_memory_limit: "2GiB"
        mark_cache_size: "128MiB"
        index_cache_size: "16MiB"
        uncompressed_cache_size: "0"
        query_memory_limit: "1GiB"
        engine_memory_purge_threshold: "64MiB"
        batch_max_bytes: "8MiB"
        """);
    CollectorSettings settings = SettingsFiles.read(file);

    assertThat(settings.memory())
        .isEqualTo(new MemoryConfig(4L << 30, 40, Duration.ofMillis(250), 70, 80, true, Duration.ofSeconds(5)));
    assertThat(settings.receiver().maxBytesInFlight()).isEqualTo(256L << 20);
    assertThat(settings.store().engineMemory())
        .isEqualTo(new EngineMemory(2L << 30, 128L << 20, 16L << 20, 0, 1L << 30, 64L << 20));
    assertThat(settings.pipeline().batch().maxBytes()).isEqualTo(8L << 20);
    assertThat(JvmOptionsAccess.forConfig(file, Map.of())).containsExactly("-Xmx1638m", "-XX:+UseG1GC",
        "-XX:TrimNativeHeapInterval=5000", "-Djdk.nio.maxCachedBufferSize=1048576");
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
        memory_native_trim_interval: "10ms"
        [storage]
        engine_memory_limit: "64MiB"
        query_memory_limit: "-1"
        mark_cache_size: "lots"
        engine_memory_purge_threshold: "1KiB"
        """);
    SettingsFiles.assertRejected(file)
        .hasMessageContaining(file + ":3:1: collector.memory_heap_percent: 95 (expected: 10..90)")
        .hasMessageContaining(file + ":5:1: collector.memory_hard_limit_percent: 80 (expected: soft_limit_percent..100)")
        .hasMessageContaining(file + ":6:1: collector.max_bytes_in_flight: 1048576 (expected: >= maxMessageBytes 16777216)")
        .hasMessageContaining(file + ":7:1: collector.memory_native_trim_interval: PT0.01S (expected: 0 to leave it"
            + " to the C library, or >= PT0.1S)")
        .hasMessageContaining(file + ":9:1: storage.engine_memory_limit: 67108864 (expected: 0 for the engine's default, or >= 134217728)")
        .hasMessageContaining(file + ":11:1: storage.mark_cache_size: \"lots\"")
        .hasMessageContaining(file + ":12:1: storage.engine_memory_purge_threshold: 1024 (expected: 0 to leave it"
            + " to the engine's allocator, or >= 16777216)");
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
            + " 1073741824 minus the heap 321912832 and 402653184 for the JVM's own native memory: 349175808)");
  }

  @Test
  void writeBuffersOverTheHeap_reportedAtBatchWriters_withTheEngineOverTheRest() throws Exception {
    Path file = SettingsFiles.write(dir, "writers.tsk", """
        [collector]
        memory_limit: "1GiB"
        [storage]
        batch_writers: 4
        """);
    // 3 signals x 4 writers x (32 MiB batches + 2 x 16 MiB inserts) + 128 MiB in flight > 85 % of 307 MiB; and
    // the default engine limit (640 MiB) does not fit beside the heap and the native reserve of 1 GiB.
    SettingsFiles.assertRejected(file)
        .hasMessageContaining(file + ":4:1: storage.batch_writers: 4 (expected: write buffers of 805306368 bytes"
            + " (3 signals x batch_writers x (batch_max_bytes + 2 x max_insert_bytes)) and max_bytes_in_flight"
            + " 134217728 within the heap's soft limit 273625907)")
        .hasMessageContaining("storage.engine_memory_limit: 671088640 (expected: at most memory_limit 1073741824"
            + " minus the heap 321912832 and 402653184 for the JVM's own native memory: 349175808)");
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
