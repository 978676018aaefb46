package io.tskotel.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreConfigTest {
  @Test
  void validate_defaultsAreValid() {
    StoreConfig c = StoreConfig.builder().build();
    assertThat(c.validate()).isEmpty();
    assertThat(c.engine()).isEqualTo(StoreConfig.EngineKind.EMBEDDED);
    assertThat(c.database()).isEqualTo("otel");
    assertThat(c.ttls()).containsEntry("traces", Duration.ofDays(7)).containsEntry("metrics", Duration.ofDays(30));
    assertThat(c.migrateOnStart()).isTrue();
  }

  @Test
  void validate_collectsEveryError() {
    StoreConfig c = StoreConfig.builder()
        .engine(StoreConfig.EngineKind.REMOTE)
        .database("bad-name")
        .ttl("logs", Duration.ofSeconds(-1))
        .endpoints(List.of(URI.create("ftp://x"), URI.create("http://u:p@h:8123")))
        .user(" ")
        .passwordEnv("not a var")
        .connectTimeout(Duration.ZERO)
        .maxInsertBytes(0)
        .readConnections(0)
        .build();
    assertThat(c.validate()).containsExactlyInAnyOrder(
        "database: \"bad-name\" (expected: letters, digits and _, not starting with a digit, 1-63 chars)",
        "ttl.logs: PT-1S (expected: 0 to keep forever, or >= 1s)",
        "maxInsertBytes: 0 (expected: >= 1024)",
        "readConnections: 0 (expected: 1..64)",
        "endpoints[0]: ftp://x (expected: http://host:port or https://host:port)",
        "endpoints[1]: credentials in the URL (expected: user and passwordEnv)",
        "user: \"\" (expected: a ClickHouse user name)",
        "passwordEnv: \"not a var\" (expected: an environment variable name)",
        "connectTimeout: PT0S (expected: > 0)");
  }

  @Test
  void validate_remoteNeedsEndpoints() {
    StoreConfig c = StoreConfig.builder().engine(StoreConfig.EngineKind.REMOTE).build();
    assertThat(c.validate()).containsExactly("endpoints: [] (expected: at least one http:// or https:// URL)");
  }

  @Test
  void validate_clusterNeedsRemote() {
    StoreConfig c = StoreConfig.builder().clusterName("c1").build();
    assertThat(c.tableEngine()).isEqualTo("ReplicatedMergeTree");
    assertThat(c.validate()).anyMatch(e -> e.startsWith("clusterName: \"c1\""))
        .anyMatch(e -> e.startsWith("tableEngine: ReplicatedMergeTree"));
  }

  @Test
  void requireValid_throwsWithAllErrors() {
    StoreConfig c = StoreConfig.builder().database("1x").maxInsertBytes(5).build();
    assertThatThrownBy(c::requireValid).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("database: \"1x\"").hasMessageContaining("maxInsertBytes: 5");
  }

  @Test
  void ttl_unknownSignalRejected() {
    assertThatThrownBy(() -> StoreConfig.builder().ttl("profiles", Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl signal: profiles");
  }

  @Test
  void toString_neverHoldsAPassword() {
    StoreConfig c = StoreConfig.builder().passwordEnv("CH_PASSWORD").build();
    assertThat(c.toString()).contains("passwordEnv=CH_PASSWORD");
  }
}
