package io.tskotel.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tskotel.tsk.Tsk;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The TSK {@code [storage]} section read into a {@link StoreConfig}. */
class StoreConfigTskTest {
  private static Tsk tsk(String text, Map<String, String> env) {
    return Tsk.parser().environment(env).sourceName("tskotel.tsk").build().parse(text);
  }

  private static Tsk tsk(String text) {
    return tsk(text, Map.of());
  }

  @Test
  void builder_noStorageSection_keepsEveryDefault() {
    StoreConfig fromTsk = StoreConfig.builder(tsk("[collector]\nx: 1\n")).build();
    StoreConfig defaults = StoreConfig.builder().build();
    assertThat(fromTsk.toString()).isEqualTo(defaults.toString());
    assertThat(fromTsk.ttls()).isEqualTo(defaults.ttls());
    assertThat(fromTsk.maxInsertBytes()).isEqualTo(defaults.maxInsertBytes());
    assertThat(fromTsk.queryTimeout()).isEqualTo(defaults.queryTimeout());
  }

  @Test
  void builder_everyKey() {
    StoreConfig c = StoreConfig.builder(tsk("""
        [storage]
        engine: "remote"
        data_path: "/var/lib/tskotel/chdb"
        database: "telemetry"
        migrate_on_start: false
        ttl_traces: "3d"
        ttl_logs: "36h"
        ttl_metrics: "0s"
        ttl_alerts: "90m"
        cluster_name: "c1"
        table_engine: "ReplicatedMergeTree"
        table_engine_params: ["/clickhouse/tables/{shard}/{database}/{table}", "{replica}"]
        endpoints: ["https://ch-1:8443", "https://ch-2:8443"]
        user: "tskotel"
        password_env: "TSKOTEL_CH_PASSWORD"
        trust_store: "/etc/tskotel/ch-truststore.jks"
        connect_timeout: "2s"
        socket_timeout: "1m"
        compression: false
        max_insert_bytes: 2048
        insert_format: "rowbinary"
        read_connections: 3
        query_timeout: "45s"
        max_result_rows: 5000000000
        batch_max_items: 10000
        """)).build();

    assertThat(c.engine()).isEqualTo(StoreConfig.EngineKind.REMOTE);
    assertThat(c.dataPath()).isEqualTo(Path.of("/var/lib/tskotel/chdb"));
    assertThat(c.database()).isEqualTo("telemetry");
    assertThat(c.migrateOnStart()).isFalse();
    assertThat(c.ttls()).containsExactlyInAnyOrderEntriesOf(Map.of("traces", Duration.ofDays(3),
        "logs", Duration.ofHours(36), "metrics", Duration.ZERO, "alerts", Duration.ofMinutes(90)));
    assertThat(c.clusterName()).isEqualTo("c1");
    assertThat(c.tableEngine()).isEqualTo("ReplicatedMergeTree");
    assertThat(c.tableEngineParams()).containsExactly("/clickhouse/tables/{shard}/{database}/{table}", "{replica}");
    assertThat(c.endpoints()).containsExactly(URI.create("https://ch-1:8443"), URI.create("https://ch-2:8443"));
    assertThat(c.user()).isEqualTo("tskotel");
    assertThat(c.passwordEnv()).isEqualTo("TSKOTEL_CH_PASSWORD");
    assertThat(c.trustStore()).isEqualTo(Path.of("/etc/tskotel/ch-truststore.jks"));
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.socketTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.compression()).isFalse();
    assertThat(c.maxInsertBytes()).isEqualTo(2048);
    assertThat(c.insertFormat()).isEqualTo(StoreConfig.InsertFormat.ROWBINARY);
    assertThat(c.readConnections()).isEqualTo(3);
    assertThat(c.queryTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(c.maxResultRows()).isEqualTo(5_000_000_000L);
    assertThat(c.validate()).isEmpty();
  }

  @Test
  void builder_insertFormat_nativeByDefaultAndOnlyTheTwoNames() {
    assertThat(StoreConfig.builder(tsk("[storage]\n")).build().insertFormat())
        .isEqualTo(StoreConfig.InsertFormat.NATIVE);
    assertThat(StoreConfig.builder(tsk("[storage]\ninsert_format: \"native\"\n")).build().insertFormat())
        .isEqualTo(StoreConfig.InsertFormat.NATIVE);
    assertThatThrownBy(() -> StoreConfig.builder(tsk("[storage]\ninsert_format: \"Native\"\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tskotel.tsk:2:1: storage.insert_format: \"Native\" (expected: \"native\" or"
            + " \"rowbinary\")");
  }

  @Test
  void builder_endpointsAsOneStringFromTheEnvironment() {
    String text = "[storage]\nendpoints: @env(\"CH_ENDPOINTS\", \"\")\n";
    assertThat(StoreConfig.builder(tsk(text)).build().endpoints()).isEmpty();
    assertThat(StoreConfig.builder(tsk(text, Map.of("CH_ENDPOINTS", "http://a:8123, http://b:8123"))).build()
        .endpoints()).containsExactly(URI.create("http://a:8123"), URI.create("http://b:8123"));
  }

  @Test
  void builder_everyBadValueAtOnceWithItsPosition() {
    Tsk bad = tsk("""
        [storage]
        engine: "cloud"
        ttl_traces: 7
        ttl_logs: "7 days"
        compression: "yes"
        table_engine_params: ["a", 1]
        endpoints: ["http://ok:8123", "http://bad host"]
        read_connections: 2.5
        """);
    assertThatThrownBy(() -> StoreConfig.builder(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(String.join("\n",
            "invalid [storage] section:",
            "tskotel.tsk:2:1: storage.engine: \"cloud\" (expected: \"embedded\" or \"remote\")",
            "tskotel.tsk:3:1: storage.ttl_traces: an int (expected: a duration such as \"250ms\", \"30s\", \"5m\","
                + " \"1h\" or \"7d\")",
            "tskotel.tsk:4:1: storage.ttl_logs: a string (expected: a duration such as \"250ms\", \"30s\", \"5m\","
                + " \"1h\" or \"7d\")",
            "tskotel.tsk:6:1: storage.table_engine_params: an array holding a non-string (expected: an array of"
                + " strings)",
            "tskotel.tsk:7:1: storage.endpoints: \"http://bad host\" is not a URL (expected: http(s)://host:port)",
            "tskotel.tsk:5:1: storage.compression: a string (expected: a boolean)",
            "tskotel.tsk:8:1: storage.read_connections: a double (expected: an int)"));
  }

  /** Every {@code [storage]} example in the operations guide is valid TSK and a valid configuration. */
  @Test
  void operationsGuide_storageExamplesAreValid() throws Exception {
    String guide = Files.readString(Path.of("..", "docs", "operations.md"));
    Matcher block = Pattern.compile("```tsk\n(.*?)```", Pattern.DOTALL).matcher(guide);
    List<String> storage = new ArrayList<>();
    while (block.find()) {
      if (block.group(1).contains("[storage]")) {
        storage.add(block.group(1));
      }
    }
    assertThat(storage).hasSizeGreaterThanOrEqualTo(4);
    for (String example : storage) {
      StoreConfig c = StoreConfig.builder(tsk(example)).build();
      assertThat(c.validate()).as(example).isEmpty();
    }
  }
}
