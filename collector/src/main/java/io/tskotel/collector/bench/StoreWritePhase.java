package io.tskotel.collector.bench;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
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
 * the store in batches of the collector's default size from several threads, with no receiver and no queue.
 */
final class StoreWritePhase {
  /** The collector's default batch size (see docs/operations.md). */
  static final int BATCH_ITEMS = 20_000;

  private StoreWritePhase() {}

  /** Items per second written by {@code threads} writers for {@code duration}. */
  static double itemsPerSecond(TelemetryStore store, LoadConfig config, int threads, Duration duration)
      throws Exception {
    Payloads payloads = new Payloads(config, 42, System.currentTimeMillis() * 1_000_000L);
    int requestsPerBatch = Math.max(1, BATCH_ITEMS / config.itemsPerRequest());
    List<Message> batch = new ArrayList<>();
    for (int i = 0; i < requestsPerBatch; i++) {
      batch.add(payloads.request(i % Payloads.POOL));
    }
    long itemsPerBatch = (long) requestsPerBatch * config.itemsPerRequest();
    Writer writer = writer(store, config.signal(), batch);
    writer.write(); // warm-up: the first insert creates the parts and loads the code paths
    LongAdder items = new LongAdder();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
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
    return items.sum() / ((System.nanoTime() - start) / 1e9);
  }

  @FunctionalInterface
  private interface Writer {
    void write() throws StoreException;
  }

  private static Writer writer(TelemetryStore store, LoadConfig.Signal signal, List<Message> requests) {
    return switch (signal) {
      case TRACES -> {
        List<ResourceSpans> rows = new ArrayList<>();
        requests.forEach(m -> rows.addAll(((ExportTraceServiceRequest) m).getResourceSpansList()));
        yield () -> store.writeTraces(rows);
      }
      case METRICS -> {
        List<ResourceMetrics> rows = new ArrayList<>();
        requests.forEach(m -> rows.addAll(((ExportMetricsServiceRequest) m).getResourceMetricsList()));
        yield () -> store.writeMetrics(rows);
      }
      case LOGS -> {
        List<ResourceLogs> rows = new ArrayList<>();
        requests.forEach(m -> rows.addAll(((ExportLogsServiceRequest) m).getResourceLogsList()));
        yield () -> store.writeLogs(rows);
      }
    };
  }
}
