package io.tskotel.collector.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.collector.api.AdminServerConfig;
import io.tskotel.collector.queue.FsyncPolicy;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.tsk.SettingsReader;
import io.tskotel.tsk.Tsk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
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
    assertThat(settings.receiver().grpcHost()).isEqualTo("localhost");
    assertThat(settings.receiver().httpHost()).isEqualTo("localhost");
    assertThat(settings.receiver().maxMessageBytes()).isEqualTo(16 << 20);
    assertThat(settings.receiver().authEnabled()).isFalse();
    assertThat(AdminServerConfig.fromTsk(tsk).host()).isEqualTo("127.0.0.1");
    assertThat(settings.pipeline().fsync()).isEqualTo(FsyncPolicy.ALWAYS);
    assertThat(settings.pipeline().queueMaxBytes()).isEqualTo(1L << 30);
    assertThat(settings.pipeline().batch().maxItems()).isEqualTo(50_000);
    assertThat(settings.pipeline().batch().concurrentWrites()).as("no limit").isZero();
    assertThat(settings.store().engine()).isEqualTo(StoreConfig.EngineKind.EMBEDDED);
    assertThat(settings.store().database()).isEqualTo("otel");
    assertThat(settings.store().dataPath()).isEqualTo(Path.of("data", "chdb"));
    assertThat(settings.pipeline().queueDirectory()).isEqualTo(Path.of("data", "queue"));
    assertThat(settings.store().ttls()).containsEntry("traces", Duration.ofDays(7))
        .containsEntry("metrics", Duration.ofDays(30));
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
  void from_componentChecks_reportedAtTheKeyTheValueCameFrom() throws Exception {
    Path file = SettingsFiles.write(dir, "checks.tsk", """
        [collector]
        queue_segment_bytes: "1MiB"
        queue_max_bytes: "512KiB"
        max_message_bytes: "64KiB"
        [storage]
        batch_max_items: 0
        ttl_logs: "10ms"
        batch_concurrent_writes: -1
        """);
    SettingsFiles.assertRejected(file)
        .hasMessageContaining(file + ":3:1: collector.queue_max_bytes: 524288 (expected: >= segmentBytes 1048576)")
        .hasMessageContaining(file + ":6:1: storage.batch_max_items: 0 (expected: > 0)")
        .hasMessageContaining(file + ":7:1: storage.ttl_logs: PT0.01S (expected: 0 to keep forever, or >= 1s)")
        .hasMessageContaining(file + ":8:1: storage.batch_concurrent_writes: -1 (expected: 0 for no limit, or 1..64)");
  }

  @Test
  void from_badValues_everyProblemReportedAtOnce() throws Exception {
    Path file = SettingsFiles.write(dir, "bad.tsk", """
        [collector]
        grpc_port: 70000
        queue_fsync: "sometimes"
        queue_max_bytes: "lots"
        [storage]
        engine: "remote"
        """);
    SettingsFiles.assertRejected(file)
        .hasMessageContaining(file + ":2:1: collector.grpc_port: 70000 (expected: 0..65535)")
        .hasMessageContaining("queue_fsync: \"sometimes\"")
        .hasMessageContaining("queue_max_bytes: \"lots\"")
        .hasMessageContaining("endpoints");
  }

  @Test
  void from_storageKeysOfTheOperationsGuide_mapToStoreConfig() throws Exception {
    Path file = SettingsFiles.write(dir, "remote.tsk", """
        [storage]
        engine: "remote"
        endpoints: ["https://ch-1:8443", "https://ch-2:8443"]
        user: "tskotel"
        password_env: "TSKOTEL_CH_PASSWORD"
        connect_timeout: "2s"
        socket_timeout: "20s"
        compression: false
        ttl_traces: "3d"
        ttl_logs: "0s"
        cluster_name: "tskotel_cluster"
        table_engine: "ReplicatedMergeTree"
        table_engine_params: ["/clickhouse/tables/{shard}/{database}/{table}", "{replica}"]
        max_insert_bytes: 8388608
        query_timeout: "10s"
        max_result_rows: 5000
        """);
    StoreConfig store = SettingsFiles.read(file).store();

    assertThat(store.engine()).isEqualTo(StoreConfig.EngineKind.REMOTE);
    assertThat(store.endpoints()).extracting(Object::toString)
        .containsExactly("https://ch-1:8443", "https://ch-2:8443");
    assertThat(store.user()).isEqualTo("tskotel");
    assertThat(store.passwordEnv()).isEqualTo("TSKOTEL_CH_PASSWORD");
    assertThat(store.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(store.socketTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(store.compression()).isFalse();
    assertThat(store.ttls()).containsEntry("traces", Duration.ofDays(3)).containsEntry("logs", Duration.ZERO);
    assertThat(store.clusterName()).isEqualTo("tskotel_cluster");
    assertThat(store.tableEngine()).isEqualTo("ReplicatedMergeTree");
    assertThat(store.tableEngineParams()).hasSize(2);
    assertThat(store.maxInsertBytes()).isEqualTo(8 << 20);
    assertThat(store.queryTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(store.maxResultRows()).isEqualTo(5000);
  }

  @Test
  void load_endpointsFromOneEnvironmentVariable_commaSeparated() throws Exception {
    CollectorSettings settings = CollectorSettings.from(CollectorSettings.load(null, Map.of(
        "TSKOTEL_STORAGE_ENGINE", "remote",
        "TSKOTEL_CLICKHOUSE_ENDPOINTS", "http://a:8123, http://b:8123")));

    assertThat(settings.store().endpoints()).extracting(Object::toString)
        .containsExactly("http://a:8123", "http://b:8123");
  }

  @Test
  void from_misspeltKey_reportedWithTheKnownKeys() throws Exception {
    Path file = SettingsFiles.write(dir, "typo.tsk", """
        [collector]
        grpc_prot: 4317
        [storage]
        path: "/var/lib/tskotel"
        [dashboard]
        anything: "goes"
        """);
    SettingsFiles.assertRejected(file)
        .hasMessageContaining("[collector] grpc_prot: unknown key (expected one of: ")
        .hasMessageContaining("grpc_port")
        .hasMessageContaining("typo.tsk:4:1: [storage] path: unknown key")
        .hasMessageContaining("data_path")
        .hasMessageContaining("typo.tsk:6:1: [dashboard] anything: unknown key");
  }

  @Test
  void storeKeys_everyOneIsReadByTheStoreConfig() throws Exception {
    // Each key the store declares is read (a value of the wrong type is reported) and never unknown.
    SettingsReader declared = new SettingsReader(Tsk.parse(""));
    StoreConfig.read(declared);
    Set<String> storeKeys = declared.keysRead("storage");
    assertThat(storeKeys).contains("engine", "endpoints", "max_result_rows");
    StringBuilder text = new StringBuilder("[storage]\n");
    storeKeys.forEach(k -> text.append(k).append(": [1]\n"));
    Path file = SettingsFiles.write(dir, "wrong-types.tsk", text);

    SettingsFiles.assertRejected(file)
        .satisfies(e -> {
          for (String key : storeKeys) {
            assertThat(e.getMessage()).contains("storage." + key).doesNotContain("] " + key + ": unknown key");
          }
        });
  }

  @Test
  void from_oneHostKey_exposesBothReceiversAndEachHostKeyStillWins() throws Exception {
    CollectorSettings exposed = CollectorSettings.from(CollectorSettings.load(null, Map.of("TSKOTEL_OTLP_HOST", "0.0.0.0")));
    assertThat(exposed.receiver().grpcHost()).isEqualTo("0.0.0.0");
    assertThat(exposed.receiver().httpHost()).isEqualTo("0.0.0.0");

    CollectorSettings one = CollectorSettings.from(CollectorSettings.load(null,
        Map.of("TSKOTEL_OTLP_HOST", "0.0.0.0", "TSKOTEL_OTLP_GRPC_HOST", "127.0.0.1")));
    assertThat(one.receiver().grpcHost()).isEqualTo("127.0.0.1");
    assertThat(one.receiver().httpHost()).isEqualTo("0.0.0.0");
  }
}
