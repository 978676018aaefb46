package io.tskotel.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tskotel.collector.queue.FsyncPolicy;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.tsk.Tsk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorSettingsTest {
  @TempDir Path dir;

  @Test
  void load_builtInDefaults_collectorAndStorageSettings() throws Exception {
    Tsk tsk = CollectorSettings.load(null, Map.of());
    CollectorSettings settings = CollectorSettings.from(tsk);

    assertThat(settings.receiver().grpcPort()).isEqualTo(4317);
    assertThat(settings.receiver().httpPort()).isEqualTo(4318);
    assertThat(settings.receiver().grpcHost()).isEqualTo("0.0.0.0");
    assertThat(settings.receiver().maxMessageBytes()).isEqualTo(16 << 20);
    assertThat(settings.receiver().authEnabled()).isFalse();
    assertThat(settings.adminHost()).isEqualTo("127.0.0.1");
    assertThat(settings.pipeline().fsync()).isEqualTo(FsyncPolicy.ALWAYS);
    assertThat(settings.pipeline().queueMaxBytes()).isEqualTo(1L << 30);
    assertThat(settings.pipeline().batch().maxItems()).isEqualTo(10_000);
    assertThat(settings.store().engine()).isEqualTo(StoreConfig.EngineKind.EMBEDDED);
    assertThat(settings.store().database()).isEqualTo("otel");
    // The seed's sections ship with their keys.
    assertThat(tsk.sections()).contains("metrics", "logging", "tracing", "health_checks", "alerting", "dashboard");
    assertThat(tsk.getInt("alerting.cpu_threshold")).isEqualTo(80);
  }

  @Test
  void load_environmentOverrides() throws Exception {
    CollectorSettings settings = CollectorSettings.from(CollectorSettings.load(null, Map.of(
        "TSKOTEL_OTLP_GRPC_PORT", "14317",
        "TSKOTEL_QUEUE_FSYNC", "never",
        "TSKOTEL_QUEUE_DIR", dir.toString(),
        "TSKOTEL_AUTH_TOKEN", "s3cret",
        "TSKOTEL_BATCH_MAX_DELAY", "250ms")));

    assertThat(settings.receiver().grpcPort()).isEqualTo(14317);
    assertThat(settings.receiver().authEnabled()).isTrue();
    assertThat(settings.receiver().toString()).doesNotContain("s3cret");
    assertThat(settings.pipeline().fsync()).isEqualTo(FsyncPolicy.NEVER);
    assertThat(settings.pipeline().queueDirectory()).isEqualTo(dir);
    assertThat(settings.pipeline().batch().maxDelay()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void from_badValues_everyProblemReportedAtOnce() throws Exception {
    Path file = dir.resolve("bad.tsk");
    Files.writeString(file, """
        [collector]
        grpc_port: 70000
        queue_fsync: "sometimes"
        queue_max_bytes: "lots"
        [storage]
        engine: "remote"
        """);
    assertThatThrownBy(() -> CollectorSettings.from(CollectorSettings.load(file, Map.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("grpcPort: 70000")
        .hasMessageContaining("queue_fsync: \"sometimes\"")
        .hasMessageContaining("queue_max_bytes: \"lots\"")
        .hasMessageContaining("endpoints");
  }
}
