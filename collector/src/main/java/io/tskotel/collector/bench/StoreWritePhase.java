package io.tskotel.collector.bench;

import com.google.protobuf.Message;
import io.tskotel.collector.pipeline.BatcherConfig;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * The limit end to end is measured against: the very rows the load generator sends, written straight into
 * the store in batches of the collector's default size (items and bytes) from several threads, through the
 * store's path for queued requests (the collector's), with no receiver and no queue.
 */
final class StoreWritePhase {
  private StoreWritePhase() {}

  /**
   * What the phase measured: items per second, and the process's CPU per item over the same window (the
   * engine's inserts and the merges they started meanwhile, and the writers' encoding).
   */
  record Rate(double itemsPerSecond, double cpuMicrosPerItem) {}

  /** {@code threads} writers for {@code duration}. */
  static Rate measure(TelemetryStore store, LoadConfig config, int threads, Duration duration)
      throws Exception {
    Payloads payloads = new Payloads(config, 42, System.currentTimeMillis() * 1_000_000L);
    // Batches as the collector's batcher cuts them by default: up to its items, up to its request bytes.
    List<Message> batch = new ArrayList<>();
    long batchBytes = 0;
    do {
      Message request = payloads.request(batch.size() % Payloads.POOL);
      batch.add(request);
      batchBytes += request.getSerializedSize();
    } while ((long) (batch.size() + 1) * config.itemsPerRequest() <= BatcherConfig.DEFAULT_MAX_ITEMS
        && batchBytes + batch.get(0).getSerializedSize() <= BatcherConfig.DEFAULT_MAX_BYTES);
    long itemsPerBatch = (long) batch.size() * config.itemsPerRequest();
    Writer writer = writer(store, config.signal(), batch);
    writer.write(); // warm-up: the first insert creates the parts and loads the code paths
    LongAdder items = new LongAdder();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    double cpuBefore = MachineCpu.thisProcessSeconds();
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          while (System.nanoTime() < deadline) {
            writer.write();
            items.add(itemsPerBatch);
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpu = MachineCpu.thisProcessSeconds() - cpuBefore;
    return new Rate(items.sum() / seconds, cpu * 1e6 / items.sum());
  }

  @FunctionalInterface
  private interface Writer {
    void write() throws StoreException;
  }

  /** The collector's own write path: serialized requests as its queue holds them, encoded on the wire. */
  private static Writer writer(TelemetryStore store, LoadConfig.Signal signal, List<Message> requests) {
    List<byte[]> bytes = requests.stream().map(Message::toByteArray).toList();
    return switch (signal) {
      case TRACES -> () -> store.writeTraceRequests(bytes);
      case METRICS -> () -> store.writeMetricRequests(bytes);
      case LOGS -> () -> store.writeLogRequests(bytes);
    };
  }
}
