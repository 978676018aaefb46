package io.tskotel.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.collector.memory.MemoryConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JVM options {@code tskotel run} gets, and how the user's own options take precedence. */
class JvmOptionsTest {
  private static MemoryConfig limit(long bytes) {
    return new MemoryConfig(bytes, MemoryConfig.DEFAULT_HEAP_PERCENT, Duration.ofSeconds(1),
        MemoryConfig.DEFAULT_SOFT_PERCENT, MemoryConfig.DEFAULT_HARD_PERCENT, false);
  }

  @Test
  void of_defaultBudget_heapAndG1() {
    assertThat(JvmOptions.of(limit(1536L << 20))).containsExactly("-Xmx768m", "-XX:+UseG1GC");
  }

  @Test
  void of_largeHeap_heapAndG1() {
    assertThat(JvmOptions.of(limit(8L << 30))).containsExactly("-Xmx4096m", "-XX:+UseG1GC");
  }

  @Test
  void of_noBudget_nothing() {
    assertThat(JvmOptions.of(limit(0))).isEmpty();
  }

  @Test
  void of_userNamesACollector_oursLeftOut() {
    // The JVM refuses to start with two collectors named.
    assertThat(JvmOptions.of(limit(1536L << 20), List.of("-XX:+UseParallelGC")))
        .containsExactly("-Xmx768m");
  }

  @Test
  void of_userSetsTheHeap_oursLeftOut() {
    assertThat(JvmOptions.of(limit(1536L << 20), List.of("-Xmx2g"))).containsExactly("-XX:+UseG1GC");
  }
}
