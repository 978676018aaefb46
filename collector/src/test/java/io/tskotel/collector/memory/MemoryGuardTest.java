package io.tskotel.collector.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemoryGuardTest {
  private static final long MAX = TestReadings.MAX;
  private static final long LIMIT = 4000L << 20;

  private final TestReadings readings = new TestReadings();
  private final AtomicInteger gcs = new AtomicInteger();
  private long now;

  private MemoryGuard guard(MemoryConfig config) {
    return MemoryGuard.create(config, readings, () -> {
      gcs.incrementAndGet();
      readings.gc();
    }, () -> now);
  }

  private static MemoryConfig config(int soft, int hard) {
    return new MemoryConfig(LIMIT, 50, Duration.ofSeconds(1), soft, hard, false, Duration.ZERO);
  }

  @Test
  void check_overSoftLimit_refusesUntilBelowItAgain() {
    MemoryGuard guard = guard(config(80, 90));
    readings.heap = 799;
    assertThat(guard.check()).isEqualTo(MemoryGuard.Level.NORMAL);
    assertThat(guard.refusal()).isNull();

    readings.heap = 800;
    assertThat(guard.check()).isEqualTo(MemoryGuard.Level.SOFT);
    assertThat(guard.refusal()).isEqualTo("memory limit reached");
    assertThat(gcs).hasValue(0);

    readings.heap = 500;
    assertThat(guard.check()).isEqualTo(MemoryGuard.Level.NORMAL);
    assertThat(guard.refusal()).isNull();
  }

  @Test
  void check_overHardLimit_asksForAGcAtMostOncePerInterval() {
    MemoryGuard guard = guard(config(80, 90));
    readings.heap = 950;
    assertThat(guard.check()).isEqualTo(MemoryGuard.Level.HARD);
    assertThat(gcs).hasValue(1);

    now += Duration.ofMillis(500).toNanos();
    guard.check();
    assertThat(gcs).as("half an interval later").hasValue(1);

    now += Duration.ofMillis(500).toNanos();
    readings.afterGc = 850; // the collection frees some, not enough: still refusing, at the soft level
    assertThat(guard.check()).isEqualTo(MemoryGuard.Level.SOFT);
    assertThat(gcs).hasValue(2);
    assertThat(guard.forcedGcs()).isEqualTo(2);
    assertThat(guard.refusal()).isNotNull();
  }

  @Test
  void check_overSoftLimitWithNoCollectionSince_asksForOneToReadTheHeapAgain() {
    MemoryGuard guard = guard(config(80, 90));
    readings.collections = 7;
    readings.heap = 850; // what the latest collection left: over soft, under hard
    assertThat(guard.check()).isEqualTo(MemoryGuard.Level.SOFT);
    assertThat(gcs).as("the reading is new").hasValue(0);

    readings.collections = 8; // collections still run: the readings are fresh, the heap is really that full
    now += Duration.ofSeconds(1).toNanos();
    assertThat(guard.check()).isEqualTo(MemoryGuard.Level.SOFT);
    assertThat(gcs).hasValue(0);

    // Refusing, the collector allocates little: no collection since, so the guard asks for one.
    now += Duration.ofSeconds(1).toNanos();
    readings.afterGc = 300;
    assertThat(guard.check()).isEqualTo(MemoryGuard.Level.NORMAL);
    assertThat(gcs).hasValue(1);
    assertThat(guard.refusal()).isNull();
  }

  @Test
  void check_overSoftLimitWithoutCollectionCounts_leavesCollectionsToTheJvm() {
    MemoryGuard guard = guard(config(80, 90));
    readings.heap = 850;
    guard.check();
    now += Duration.ofSeconds(5).toNanos();
    assertThat(guard.check()).isEqualTo(MemoryGuard.Level.SOFT);
    assertThat(gcs).hasValue(0);
  }

  @Test
  void check_aGcThatFreesEnough_takesDataAgainAtOnce() {
    MemoryGuard guard = guard(config(80, 90));
    readings.heap = 990;
    readings.afterGc = 200;
    assertThat(guard.check()).isEqualTo(MemoryGuard.Level.NORMAL);
    assertThat(gcs).hasValue(1);
    assertThat(guard.refusal()).isNull();
  }

  @Test
  void check_residentMemory_onlyWhenAsked() {
    readings.heap = 100;
    readings.resident = 3900L << 20; // of a 4000 MiB limit: over 90 %
    assertThat(guard(config(80, 90)).check()).isEqualTo(MemoryGuard.Level.NORMAL);
    MemoryGuard resident = guard(new MemoryConfig(LIMIT, 50, Duration.ofSeconds(1), 80, 90, true, Duration.ZERO));
    assertThat(resident.check()).isEqualTo(MemoryGuard.Level.HARD);
    assertThat(resident.residentBytes()).isEqualTo(3900L << 20);
  }

  @Test
  void check_readingsFail_keepsThePreviousStateAndNeverThrows() {
    MemoryGuard guard = MemoryGuard.create(config(80, 90), new TestReadings() {
      @Override
      public long heapUsed() {
        throw new IllegalStateException("no MXBean");
      }
    }, () -> {}, () -> now);
    assertThat(guard.check()).isEqualTo(MemoryGuard.Level.NORMAL);
  }

  @Test
  void close_stopsRefusing() {
    MemoryGuard guard = guard(config(80, 90));
    readings.heap = 900;
    guard.check();
    guard.close();
    guard.close();
    assertThat(guard.refusal()).isNull();
  }

  @Test
  void validate_everyProblemAtOnce() {
    assertThat(new MemoryConfig(-1, 95, Duration.ofSeconds(-1), 0, 101, false, Duration.ofMillis(10)).validate())
        .containsExactly(
            "limit: -1 (expected: >= 0; 0 for the JVM's default heap)",
            "heap_percent: 95 (expected: 10..90)",
            "check_interval: PT-1S (expected: >= 0; 0 turns the guard off)",
            "soft_limit_percent: 0 (expected: 1..99)",
            "hard_limit_percent: 101 (expected: soft_limit_percent..100)",
            "native_trim_interval: PT0.01S (expected: 0 to leave it to the C library, or >= PT0.1S)");
    assertThat(MemoryConfig.defaults().validate()).isEmpty();
    assertThat(MemoryConfig.defaults().heapBytes()).isEqualTo(460L << 20);
  }
}
