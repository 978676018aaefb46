package io.tskotel.exporter.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The DDL every configuration renders, compared with reviewed golden files (no cluster runs here, so the
 * cluster DDL is proven this way). Regenerate after a deliberate change with {@code -Dtskotel.updateGolden}.
 */
class SchemaDdlGoldenTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  static String render(SchemaSettings s) {
    StringBuilder sb = new StringBuilder();
    sb.append("-- ").append(Migrations.BOOTSTRAP).append('\n');
    for (String stmt : SqlTemplate.resource(Migrations.BOOTSTRAP).render(s)) {
      sb.append(stmt).append(";\n\n");
    }
    for (Migration m : Migrations.all()) {
      sb.append("-- migration ").append(m.version()).append(": ").append(m.name()).append('\n');
      for (String stmt : m.statements(s)) {
        sb.append(stmt).append(";\n\n");
      }
    }
    return sb.toString();
  }

  static SchemaSettings single() {
    return SchemaSettings.single("otel", Map.of(
        "traces", Duration.ofDays(7), "logs", Duration.ofHours(36), "metrics", Duration.ofDays(30)));
  }

  static SchemaSettings cluster() {
    return new SchemaSettings("otel", "tskotel_cluster", "ReplicatedMergeTree",
        List.of("/clickhouse/tables/{shard}/{database}/{table}", "{replica}"),
        Map.of("traces", Duration.ofDays(7), "logs", Duration.ofDays(7), "metrics", Duration.ofDays(30),
            "alerts", Duration.ofMinutes(90)));
  }

  private static void assertGolden(String file, String actual) throws IOException {
    Path p = GOLDEN.resolve(file);
    if (Boolean.getBoolean("tskotel.updateGolden")) {
      Files.createDirectories(p.getParent());
      Files.writeString(p, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).isEqualTo(Files.readString(p, StandardCharsets.UTF_8));
  }

  @Test
  void render_singleServer_matchesGolden() throws IOException {
    assertGolden("ddl_single.sql", render(single()));
  }

  @Test
  void render_cluster_matchesGolden() throws IOException {
    assertGolden("ddl_cluster.sql", render(cluster()));
  }

  @Test
  void render_cluster_everyStatementOnCluster() {
    String ddl = render(cluster());
    for (String stmt : ddl.split(";\n\n")) {
      String s = stmt.replaceAll("(?m)^--.*\n", "").strip();
      if (!s.isEmpty()) {
        assertThat(s).as(s).contains("ON CLUSTER `tskotel_cluster`");
      }
    }
    assertThat(ddl).contains("ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')")
        .contains("`otel`.`otel_traces_local`")
        .contains("ENGINE = Distributed('tskotel_cluster', 'otel', 'otel_traces_local', cityHash64(TraceId))")
        .doesNotContain("MergeTree()");
  }

  @Test
  void render_single_noClusterArtifacts() {
    String ddl = render(single());
    assertThat(ddl).doesNotContain("ON CLUSTER").doesNotContain("_local").doesNotContain("Distributed")
        .contains("TTL toDateTime(Timestamp) + toIntervalHour(36)")
        .contains("TTL toDateTime(Timestamp) + toIntervalDay(7)")
        .doesNotContain("${");
    // alerts has no TTL configured here
    assertThat(ddl.substring(ddl.indexOf("`tskotel_alerts`"), ddl.indexOf("-- migration 3"))).doesNotContain("TTL");
  }

  @Test
  void migrations_numberedInSequenceAndAllFilesRegistered() throws IOException {
    List<Migration> all = Migrations.all();
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).version()).isEqualTo(i + 1);
    }
    try (var files = Files.list(Path.of("src/main/resources/io/tskotel/exporter/schema"))) {
      List<String> onDisk = files.map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".sql") && !n.equals(Migrations.BOOTSTRAP)).sorted().toList();
      assertThat(onDisk).isEqualTo(Migrations.files());
    }
  }

  /**
   * A released migration is never edited (databases have recorded it as applied): a change is a new file.
   * A new migration adds its line here when it is released.
   */
  @Test
  void migrations_releasedFilesAreNeverEdited() {
    Map<Integer, String> released = Map.of(
        1, "7e76ec3ed6fa530ecb32c2508240bcdedda017ace1a3be7559033465a6268c76",
        2, "7282513e8cf6510a8e07f686adaff647059c20b0b4296fe221791ea1c61f1049",
        3, "a48e97aa9f41ba5b73e3ba5de1ad9db4df8e947df321d779123cb6a54f5eb2e4");
    for (Migration m : Migrations.all()) {
      if (released.containsKey(m.version())) {
        assertThat(m.checksum()).as("migration %d (%s)", m.version(), m.name()).isEqualTo(released.get(m.version()));
      }
    }
    assertThat(Migrations.all()).extracting(Migration::version).containsAll(released.keySet());
  }

  @Test
  void ttlExpression_largestWholeUnit() {
    assertThat(SqlTemplate.ttlExpression(Duration.ZERO, "T")).isEmpty();
    assertThat(SqlTemplate.ttlExpression(Duration.ofDays(2), "T")).isEqualTo("toDateTime(T) + toIntervalDay(2)");
    assertThat(SqlTemplate.ttlExpression(Duration.ofMinutes(90), "T")).isEqualTo("toDateTime(T) + toIntervalMinute(90)");
    assertThat(SqlTemplate.ttlExpression(Duration.ofSeconds(61), "T")).isEqualTo("toDateTime(T) + toIntervalSecond(61)");
  }

  @Test
  void render_unknownPlaceholderFails() {
    SqlTemplate t = SqlTemplate.of("x.sql", "SELECT ${nope};\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.render(single()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("unknown placeholder");
  }
}
