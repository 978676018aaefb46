package io.tskotel.collector.api;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.memory.MemoryGuard;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The memory guard's entry in {@code /health} and {@code /ready}: unhealthy ({@value MemoryGuard#REASON})
 * while the receivers refuse new data because memory use is over the soft limit; the readings are details for
 * the admin.
 */
final class MemoryHealth implements HealthCheck {
  private final MemoryGuard guard;

  MemoryHealth(MemoryGuard guard) {
    this.guard = requireNonNull(guard, "guard");
  }

  @Override
  public Result check() {
    if (guard.refusal() == null) {
      return Result.healthy(Map.of());
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("level", guard.level().name().toLowerCase(java.util.Locale.ROOT));
    details.put("heap_used_bytes", guard.heapUsed());
    details.put("heap_soft_limit_bytes", guard.heapSoftLimit());
    details.put("heap_hard_limit_bytes", guard.heapHardLimit());
    if (guard.residentBytes() >= 0) {
      details.put("resident_bytes", guard.residentBytes());
    }
    return Result.unhealthy(MemoryGuard.REASON, details);
  }
}
