package io.tskotel.collector.bench;

import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The embedded engine's own counters, for the benchmarks that charge a write with the merges it caused. */
final class EngineCounters {
  private EngineCounters() {}

  /**
   * Waits until the engine has run no merge for {@code quiet} (polled every 100 ms), at most {@code max}: the
   * merges the last inserts caused are done.
   */
  static void awaitNoMerges(ClickHouseStore any, Duration quiet, Duration max)
      throws StoreException, InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    long polls = Math.max(1, quiet.toMillis() / 100);
    long quietPolls = 0;
    while (quietPolls < polls && System.nanoTime() < deadline) {
      long merges = ((Number) any.engine().query("SELECT count() FROM system.merges", Map.of()).rows().get(0)
          .get(0)).longValue();
      quietPolls = merges == 0 ? quietPolls + 1 : 0;
      Thread.sleep(100);
    }
  }

  /** A counter of {@code system.events} (0 before its first event). */
  static long event(ClickHouseStore any, String name) throws StoreException {
    List<List<Object>> rows = any.engine().query("SELECT value FROM system.events WHERE event = {e:String}",
        Map.of("e", name)).rows();
    return rows.isEmpty() ? 0 : ((Number) rows.get(0).get(0)).longValue();
  }
}
