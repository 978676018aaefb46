package io.tskotel.collector.testing;

import io.tskotel.collector.config.CollectorSettings;
import io.tskotel.collector.pipeline.BatcherConfig;
import io.tskotel.collector.pipeline.PipelineConfig;
import io.tskotel.collector.receiver.OtlpReceiverConfig;
import io.tskotel.exporter.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** Collector settings for in-JVM tests: loopback receivers on free ports, queues under a temporary directory. */
public final class TestCollectors {
  private TestCollectors() {}

  /** Short batch delay so tests see their data soon; self-telemetry off unless a test turns it on. */
  public static CollectorSettings settings(Path dir, Consumer<PipelineConfig.Builder> pipeline) {
    PipelineConfig.Builder p = PipelineConfig.builder(dir.resolve("queue"))
        .batch(BatcherConfig.builder().maxItems(1000).maxDelay(Duration.ofMillis(20)).build());
    pipeline.accept(p);
    OtlpReceiverConfig receiver = OtlpReceiverConfig.builder().host("127.0.0.1").grpcPort(0).httpPort(0).build();
    // The store itself is handed to Collector.Builder#store; this config only has to be valid.
    return new CollectorSettings(receiver, p.build(), StoreConfig.builder().build(), Duration.ZERO);
  }
}
