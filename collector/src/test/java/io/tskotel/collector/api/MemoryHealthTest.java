package io.tskotel.collector.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.collector.memory.MemoryConfig;
import io.tskotel.collector.memory.MemoryGuard;
import io.tskotel.collector.memory.TestReadings;
import org.junit.jupiter.api.Test;

class MemoryHealthTest {

  @Test
  void check_guardOverSoftLimit_unhealthyWithAFixedReason_readingsOnlyInDetails() {
    TestReadings readings = new TestReadings(100);
    MemoryGuard guard = MemoryGuard.create(MemoryConfig.defaults(), readings, () -> {}, () -> 0);
    MemoryHealth health = new MemoryHealth(guard);
    guard.check();
    assertThat(health.check().healthy()).isTrue();

    readings.heap = 900;
    guard.check();
    HealthCheck.Result r = health.check();
    assertThat(r.healthy()).isFalse();
    assertThat(r.error()).isEqualTo("memory limit reached");
    assertThat(r.details()).containsEntry("heap_used_bytes", 900L).containsEntry("level", "soft");

    readings.heap = 100;
    guard.check();
    assertThat(health.check().healthy()).isTrue();
  }
}
