package io.tskotel.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.collector.memory.MemoryConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JVM options {@code tskotel run} gets, and how the user's own options take precedence. */
class JvmOptionsTest {
  private static MemoryConfig limit(long bytes) {
    return limit(bytes, MemoryConfig.DEFAULT_NATIVE_TRIM_INTERVAL);
  }

  private static MemoryConfig limit(long bytes, Duration nativeTrim) {
    return new MemoryConfig(bytes, MemoryConfig.DEFAULT_HEAP_PERCENT, Duration.ofSeconds(1),
        MemoryConfig.DEFAULT_SOFT_PERCENT, MemoryConfig.DEFAULT_HARD_PERCENT, false, nativeTrim);
  }

  @Test
  void of_defaultBudget_heapG1AndNativeTrim() {
    assertThat(JvmOptions.of(limit(1536L << 20)))
        .containsExactly("-Xmx460m", "-XX:+UseG1GC", "-XX:TrimNativeHeapInterval=1000");
  }

  @Test
  void of_largeHeap_heapG1AndNativeTrim() {
    assertThat(JvmOptions.of(limit(8L << 30)))
        .containsExactly("-Xmx2457m", "-XX:+UseG1GC", "-XX:TrimNativeHeapInterval=1000");
  }

  @Test
  void of_nativeTrimZero_leftToTheCLibrary() {
    assertThat(JvmOptions.of(limit(1536L << 20, Duration.ZERO))).containsExactly("-Xmx460m", "-XX:+UseG1GC");
  }

  @Test
  void of_noBudget_nothing() {
    assertThat(JvmOptions.of(limit(0))).isEmpty();
  }

  @Test
  void of_userNamesACollector_oursLeftOut() {
    // The JVM refuses to start with two collectors named.
    assertThat(JvmOptions.of(limit(1536L << 20), List.of("-XX:+UseParallelGC")))
        .containsExactly("-Xmx460m", "-XX:TrimNativeHeapInterval=1000");
  }

  @Test
  void of_userSetsTheHeapAndTrim_oursLeftOut() {
    assertThat(JvmOptions.of(limit(1536L << 20), List.of("-Xmx2g", "-XX:TrimNativeHeapInterval=5000")))
        .containsExactly("-XX:+UseG1GC");
  }
}
