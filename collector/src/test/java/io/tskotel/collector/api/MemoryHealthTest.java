package io.tskotel.collector.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.collector.memory.MemoryConfig;
import io.tskotel.collector.memory.MemoryGuard;
import io.tskotel.collector.memory.MemoryReadings;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryHealthTest {

  @Test
  void check_guardOverSoftLimit_unhealthyWithAFixedReason_readingsOnlyInDetails() {
    AtomicLong heap = new AtomicLong(100);
    MemoryGuard guard = MemoryGuard.create(MemoryConfig.defaults(), new MemoryReadings() {
      @Override
      public long heapUsed() {
        return heap.get();
      }

      @Override
      public long heapMax() {
        return 1000;
      }

      @Override
      public long residentBytes() {
        return -1;
      }
    }, () -> {}, () -> 0);
    MemoryHealth health = new MemoryHealth(guard);
    guard.check();
    assertThat(health.check().healthy()).isTrue();

    heap.set(900);
    guard.check();
    HealthCheck.Result r = health.check();
    assertThat(r.healthy()).isFalse();
    assertThat(r.error()).isEqualTo("memory limit reached");
    assertThat(r.details()).containsEntry("heap_used_bytes", 900L).containsEntry("level", "soft");

    heap.set(100);
    guard.check();
    assertThat(health.check().healthy()).isTrue();
  }
}
