package io.tskotel.collector.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the collector's {@code /status} every half second and keeps the embedded engine's highest tracked
 * memory: the kernel keeps the process's resident peak (VmHWM), but only readings show the engine's share of it.
 * A reading that fails (the collector busy or stopping) is skipped; the next one is taken on time.
 */
final class EngineMemorySampler implements AutoCloseable {
  private final AtomicLong peak = new AtomicLong();
  private final AtomicLong limit = new AtomicLong();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bench-engine-memory");
    t.setDaemon(true);
    return t;
  });

  private EngineMemorySampler() {}

  static EngineMemorySampler start(CollectorProcess collector) {
    EngineMemorySampler s = new EngineMemorySampler();
    s.scheduler.scheduleAtFixedRate(() -> s.read(collector), 0, 500, TimeUnit.MILLISECONDS);
    return s;
  }

  private void read(CollectorProcess collector) {
    try {
      JsonNode engine = collector.status().path("engine");
      peak.accumulateAndGet(engine.path("memory_bytes").asLong(), Math::max);
      limit.set(engine.path("memory_limit_bytes").asLong());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Skipped: a missed reading lowers the sampled peak at most by what one half second held.
    }
  }

  long peakBytes() {
    return peak.get();
  }

  long limitBytes() {
    return limit.get();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
