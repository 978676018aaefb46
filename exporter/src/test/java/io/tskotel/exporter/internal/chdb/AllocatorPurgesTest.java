package io.tskotel.exporter.internal.chdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.testing.ChdbTestEngine;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** The engine's allocator read and purged on a schedule, on the real engine. */
class AllocatorPurgesTest {
  private static final Duration FAST = Duration.ofMillis(50);

  @Test
  void stats_readFromTheEngine_consistent() throws Exception {
    try (ChdbConnection connection = ChdbRuntime.connect(ChdbTestEngine.shared().dataPath(), Map.of())) {
      AllocatorStats stats = AllocatorStats.of(connection.query(AllocatorStats.SQL, Map.of()).rows().get(0));

      // A running engine has allocated something, and what is resident holds at least that.
      assertThat(stats.allocatedBytes()).isPositive();
      assertThat(stats.residentBytes()).isGreaterThanOrEqualTo(stats.allocatedBytes());
      assertThat(stats.freedBytes()).isNotNegative().isLessThanOrEqualTo(stats.residentBytes());
    }
  }

  @Test
  void start_overTheThreshold_purgesUntilStopped_stopTwiceIsSafe() throws Exception {
    ChdbConnection connection = ChdbRuntime.connect(ChdbTestEngine.shared().dataPath(), Map.of());
    // Every check finds at least one byte freed (the engine's own statements free memory), so each purges.
    AllocatorPurges purges = AllocatorPurges.start(connection, 1, FAST);

    awaitAtLeast(purges::purges, 3);
    assertThat(purges.last()).isNotNull();
    assertThat(purges.failures()).isZero();
    purges.stop();
    long stopped = purges.purges();
    purges.stop();

    assertThat(purges.purges()).isEqualTo(stopped);
    // The connection is closed with them: a statement on it fails instead of reaching the engine.
    assertThatThrownBy(() -> connection.execute(AllocatorPurges.PURGE, Map.of()))
        .isInstanceOf(StoreException.class);
  }

  @Test
  void start_underTheThreshold_checksWithoutPurging() throws Exception {
    ChdbConnection connection = ChdbRuntime.connect(ChdbTestEngine.shared().dataPath(), Map.of());
    AllocatorPurges purges = AllocatorPurges.start(connection, Long.MAX_VALUE, FAST);
    try {
      awaitAtLeast(() -> purges.last() == null ? 0 : 1, 1);
      assertThat(purges.purges()).isZero();
    } finally {
      purges.stop();
    }
  }

  @Test
  void start_onAClosedConnection_failuresCounted_keepsChecking() throws Exception {
    ChdbConnection connection = ChdbRuntime.connect(ChdbTestEngine.shared().dataPath(), Map.of());
    connection.close();
    AllocatorPurges purges = AllocatorPurges.start(connection, 1, FAST);
    try {
      awaitAtLeast(purges::failures, 3);
      assertThat(purges.purges()).isZero();
      assertThat(purges.last()).isNull();
    } finally {
      purges.stop();
    }
  }

  @Test
  void start_badArguments_refused() throws Exception {
    try (ChdbConnection connection = ChdbRuntime.connect(ChdbTestEngine.shared().dataPath(), Map.of())) {
      assertThatThrownBy(() -> AllocatorPurges.start(connection, 0, FAST))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("thresholdBytes: 0 (expected: > 0)");
      assertThatThrownBy(() -> AllocatorPurges.start(connection, 1, Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("checkInterval: PT0S (expected: > 0)");
    }
  }

  @Test
  void engine_startedWithThePurger_checksItsAllocator() throws Exception {
    ChdbTestEngine.shared();
    awaitAtLeast(() -> ChdbRuntime.allocatorStats() == null ? 0 : 1, 1);
    assertThat(ChdbRuntime.allocatorStats().allocatedBytes()).isPositive();
  }

  private static void awaitAtLeast(LongSupplier count, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (count.getAsLong() < expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(count.getAsLong()).isGreaterThanOrEqualTo(expected);
  }
}
