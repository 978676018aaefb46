package io.tskotel.exporter.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.engine.SqlEngine;
import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;
import io.tskotel.exporter.testing.ChdbTestEngine;
import io.tskotel.exporter.testing.NonClosingEngine;
import io.tskotel.exporter.testing.OtlpFixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every DDL statement and migration, run on the real engine. */
class MigratorEngineTest {
  private final SqlEngine engine = NonClosingEngine.shared();

  private static SchemaSettings settings(String db) {
    return SchemaSettings.single(db, Map.of("traces", Duration.ofDays(7), "logs", Duration.ofDays(3),
        "metrics", Duration.ofDays(30), "alerts", Duration.ofDays(90)));
  }

  private List<String> tables(String db) throws StoreException {
    QueryResult r = engine.query(
        "SELECT name FROM system.tables WHERE database = {db:String} ORDER BY name", Map.of("db", db));
    return r.rows().stream().map(row -> (String) row.get(0)).toList();
  }

  /**
   * Migration 7: the tables of spans, log records and gauge points merge with base 10 (as the engine reports
   * their definition), the others keep the engine's default.
   */
  private void assertMergeSelectorBase10(String db) throws StoreException {
    QueryResult r = engine.query("SELECT name, engine_full FROM system.tables WHERE database = {db:String}"
        + " AND engine LIKE '%MergeTree' ORDER BY name", Map.of("db", db));
    List<String> base10 = r.rows().stream()
        .filter(row -> ((String) row.get(1)).contains("merge_selector_base = 10"))
        .map(row -> (String) row.get(0)).toList();
    assertThat(base10).containsExactlyInAnyOrder("otel_traces", "otel_logs", "otel_metrics_gauge");
    assertThat(r.rows()).hasSizeGreaterThan(base10.size());
    assertThat(engine.query("SELECT value FROM system.merge_tree_settings WHERE name = 'merge_selector_base'",
        Map.of()).rows()).as("the engine's own default is not what we set").containsExactly(List.of("5"));
  }

  @Test
  void migrate_freshDatabase_runsEveryStatementAndRecordsVersions() throws StoreException {
    String db = ChdbTestEngine.newDatabase(MigratorEngineTest.class);
    Migrator m = new Migrator(engine, settings(db));
    assertThat(m.currentVersion()).isZero();
    assertThat(tables(db)).as("asking for the version creates nothing").isEmpty();

    assertThat(m.migrate()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);

    assertThat(m.appliedVersions()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    assertThat(tables(db)).containsExactlyInAnyOrder(
        "otel_traces", "otel_traces_trace_id_ts", "otel_traces_trace_id_ts_mv", "otel_logs",
        "otel_metrics_gauge", "otel_metrics_sum", "otel_metrics_histogram",
        "otel_metrics_exponential_histogram", "otel_metrics_summary", "tskotel_alerts",
        "tskotel_schema_migrations", "tskotel_server_minutes", "tskotel_server_minutes_mv");
    QueryResult ttl = engine.query("SELECT create_table_query FROM system.tables WHERE database = {db:String}"
        + " AND name = 'otel_logs'", Map.of("db", db));
    assertThat((String) ttl.rows().get(0).get(0)).contains("TTL toDateTime(Timestamp) + toIntervalDay(3)");
    QueryResult checks = engine.query("SELECT Version, Name, Checksum FROM `" + db
        + "`.tskotel_schema_migrations ORDER BY Version", Map.of());
    assertThat(checks.rows()).hasSize(11);
    assertMapsBasic(db);
    assertCompressBlocks256k(db);
    assertMergeSelectorBase10(db);
    assertThat(checks.rows().get(0)).containsExactly(1L, "otel_tables", Migrations.all().get(0).checksum());
  }

  /** Migration 10: every table written in bulk compresses in blocks of 256 KiB; the others keep the default. */
  private void assertCompressBlocks256k(String db) throws StoreException {
    QueryResult r = engine.query("SELECT name FROM system.tables WHERE database = {db:String}"
        + " AND engine LIKE '%MergeTree' AND create_table_query LIKE '%max_compress_block_size = 262144%'",
        Map.of("db", db));
    assertThat(r.rows()).extracting(row -> row.get(0)).containsExactlyInAnyOrder(
        "otel_traces", "otel_traces_trace_id_ts", "otel_logs", "otel_metrics_gauge", "otel_metrics_sum",
        "otel_metrics_histogram", "otel_metrics_exponential_histogram", "otel_metrics_summary",
        "tskotel_server_minutes");
  }

  /** Migration 11 took back migration 8: otel_traces' maps are stored as the engine's defaults say. */
  private void assertMapsBasic(String db) throws StoreException {
    QueryResult r = engine.query("SELECT create_table_query FROM system.tables WHERE database = {db:String}"
        + " AND name = 'otel_traces'", Map.of("db", db));
    assertThat((String) r.rows().get(0).get(0)).doesNotContain("map_serialization_version",
        "map_buckets_min_avg_size").contains("merge_selector_base = 10");
  }

  @Test
  void migrate_settingTheServerDoesNotKnow_skippedUnrecordedAndRetried() throws StoreException {
    String db = ChdbTestEngine.newDatabase(MigratorEngineTest.class);
    List<Migration> migrations = new java.util.ArrayList<>(Migrations.all());
    int next = Migrations.latestVersion() + 1;
    migrations.add(new Migration(next, "future", SqlTemplate.of("future.sql",
        "-- @requires-setting no_such_setting_in_any_server\n"
            + "CREATE TABLE IF NOT EXISTS ${table:future} (x UInt8) ENGINE = MergeTree ORDER BY x;\n")));
    migrations.add(new Migration(next + 1, "known", SqlTemplate.of("known.sql",
        "-- @requires-setting index_granularity\n"
            + "CREATE TABLE IF NOT EXISTS ${table:known} (x UInt8) ENGINE = MergeTree ORDER BY x;\n")));
    Migrator m = new Migrator(engine, settings(db), migrations);

    assertThat(m.migrate()).endsWith(Migrations.latestVersion(), next + 1).doesNotContain(next);
    assertThat(tables(db)).contains("known").doesNotContain("future");
    assertThat(m.appliedVersions()).doesNotContain(next);
    assertThat(m.migrate()).as("asked again at the next start, skipped again").isEmpty();
  }

  @Test
  void migrate_twice_isIdempotent() throws StoreException {
    String db = ChdbTestEngine.newDatabase(MigratorEngineTest.class);
    Migrator m = new Migrator(engine, settings(db));
    m.migrate();
    assertThat(m.migrate()).isEmpty();
    // Re-running every statement of every migration (as after a crash before recording) also succeeds.
    for (Migration mig : Migrations.all()) {
      for (String stmt : mig.statements(settings(db))) {
        engine.execute(stmt, Map.of());
      }
    }
    assertThat(m.appliedVersions()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    assertMergeSelectorBase10(db);
  }

  @Test
  void migrate_version11_partsMergedIntoBucketsAtVersion10MergeBackToBasic() throws StoreException {
    String db = ChdbTestEngine.newDatabase(MigratorEngineTest.class);
    StoreConfig config = StoreConfig.builder().database(db).migrateOnStart(false).build();
    try (ClickHouseStore store = ClickHouseStore.create(config, engine)) {
      assertThat(store.migrator().migrateTo(10)).endsWith(8, 9, 10);
      store.writeTraces(List.of(OtlpFixtures.sampleTraces()));
      long inserted = spanAttributeStreams(db);
      store.writeTraces(List.of(OtlpFixtures.sampleTraces()));
      engine.execute("OPTIMIZE TABLE `" + db + "`.otel_traces FINAL", Map.of());
      long bucketed = spanAttributeStreams(db);
      assertThat(bucketed).as("merged at version 10: in buckets").isGreaterThan(inserted);

      assertThat(store.migrator().migrate()).containsExactly(11);
      store.writeTraces(List.of(OtlpFixtures.sampleTraces()));
      engine.execute("OPTIMIZE TABLE `" + db + "`.otel_traces FINAL", Map.of());

      assertThat(spanAttributeStreams(db)).as("merged again at version 11: basic").isEqualTo(inserted);
      assertThat(engine.query("SELECT count() FROM `" + db + "`.otel_traces", Map.of()).rows())
          .containsExactly(List.of(6L));
    }
  }

  /**
   * Files (substreams) of SpanAttributes in otel_traces' one active part (one insert, or everything after
   * OPTIMIZE FINAL: whatever merges ran meanwhile, one part is left).
   */
  private long spanAttributeStreams(String db) throws StoreException {
    List<List<Object>> rows = engine.query("SELECT toUInt64(length(c.substreams)) FROM system.parts AS p"
        + " INNER JOIN system.parts_columns AS c ON c.database = p.database AND c.table = p.table"
        + " AND c.name = p.name WHERE p.database = {db:String} AND p.table = 'otel_traces' AND p.active"
        + " AND c.active AND c.column = 'SpanAttributes'", Map.of("db", db)).rows();
    assertThat(rows).hasSize(1);
    return (Long) rows.get(0).get(0);
  }

  @Test
  void migrate_fromVersion1WithData_keepsDataIntact() throws StoreException {
    String db = ChdbTestEngine.newDatabase(MigratorEngineTest.class);
    StoreConfig config = StoreConfig.builder().database(db).migrateOnStart(false).build();
    try (ClickHouseStore store = ClickHouseStore.create(config, engine)) {
      Migrator m = store.migrator();
      assertThat(m.migrateTo(1)).containsExactly(1);
      assertThat(tables(db)).doesNotContain("tskotel_alerts");

      store.writeTraces(List.of(OtlpFixtures.sampleTraces()));
      store.writeMetrics(List.of(OtlpFixtures.sampleMetrics("svc")));
      // otel_logs at version 1 has no EventName: write a row in the version-1 layout.
      RowBinaryWriter w = new RowBinaryWriter();
      w.writeDateTime64Nanos(OtlpFixtures.nanos(OtlpFixtures.T0)).writeString("").writeString("")
          .writeUInt8(0).writeString("INFO").writeUInt8(9).writeString("svc").writeString("old body")
          .writeString("").writeSize(0).writeString("").writeString("scope").writeString("1")
          .writeSize(0).writeSize(1).writeString("k").writeString("v");
      engine.insertRowBinary("INSERT INTO `" + db + "`.`otel_logs` (Timestamp, TraceId, SpanId, TraceFlags,"
          + " SeverityText, SeverityNumber, ServiceName, Body, ResourceSchemaUrl, ResourceAttributes,"
          + " ScopeSchemaUrl, ScopeName, ScopeVersion, ScopeAttributes, LogAttributes)", w.buffer(), w.size(), 1);

      List<Object> gaugeBefore = engine.query("SELECT count(), min(TimeUnix) FROM `" + db
          + "`.otel_metrics_gauge", Map.of()).rows().get(0);
      assertThat((Long) gaugeBefore.get(0)).isPositive();

      assertThat(store.migrator().migrate()).containsExactly(2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
      // Version 7 is a table setting: the tables written at version 1 end with it like a fresh database.
      assertMergeSelectorBase10(db);

      QueryResult logs = engine.query("SELECT Body, LogAttributes, EventName, Timestamp FROM `" + db
          + "`.otel_logs", Map.of());
      assertThat(logs.rows()).containsExactly(List.of("old body", Map.of("k", "v"), "", OtlpFixtures.T0));
      QueryResult spans = engine.query("SELECT count(), min(Timestamp) FROM `" + db + "`.otel_traces", Map.of());
      assertThat(spans.rows().get(0)).containsExactly(2L, OtlpFixtures.T0);
      QueryResult points = engine.query("SELECT count() FROM `" + db + "`.otel_metrics_histogram", Map.of());
      assertThat(points.rows().get(0)).containsExactly(1L);
      // Version 5 changed the gauge's codecs without a mutation: its version-1 points read as written.
      QueryResult gauge = engine.query("SELECT count(), min(TimeUnix) FROM `" + db + "`.otel_metrics_gauge",
          Map.of());
      assertThat(gauge.rows()).containsExactly(gaugeBefore);
      // Version 6 rolled the server spans written before it into the per-minute table, once.
      QueryResult servers = engine.query("SELECT count(), sum(Duration) FROM `" + db + "`.otel_traces"
          + " WHERE SpanKind IN ('Server', 'SPAN_KIND_SERVER')", Map.of());
      QueryResult rolled = engine.query("SELECT sum(Spans), sum(DurationSum) FROM `" + db
          + "`.tskotel_server_minutes", Map.of());
      assertThat((Long) servers.rows().get(0).get(0)).isPositive();
      assertThat(rolled.rows()).containsExactly(servers.rows().get(0));
      for (String stmt : Migrations.all().get(5).statements(settings(db))) {
        engine.execute(stmt, Map.of());
      }
      assertThat(engine.query("SELECT sum(Spans), sum(DurationSum) FROM `" + db + "`.tskotel_server_minutes",
          Map.of()).rows()).as("run again, the backfill adds nothing").containsExactly(servers.rows().get(0));
      assertThat(engine.query("SELECT count() FROM system.mutations WHERE database = {db:String}",
          Map.of("db", db)).rows().get(0)).containsExactly(0L);
      assertThat(engine.query("SELECT name, compression_codec FROM system.columns WHERE database = {db:String}"
          + " AND table = 'otel_metrics_gauge' AND name IN ('TimeUnix', 'Value') ORDER BY name",
          Map.of("db", db)).rows())
          .containsExactly(List.of("TimeUnix", "CODEC(Delta(8), LZ4)"), List.of("Value", "CODEC(LZ4)"));
      // Version 9's HttpStatus: computed from the maps for the spans written before it, same as written after.
      String httpStatus = "SELECT countIf(HttpStatus != greatest(toInt64OrZero(SpanAttributes["
          + "'http.response.status_code']), toInt64OrZero(SpanAttributes['http.status_code']))), count() FROM `"
          + db + "`.otel_traces";
      assertThat(engine.query(httpStatus, Map.of()).rows()).containsExactly(List.of(0L, 2L));
      // Version 8 set otel_traces' maps to buckets (merged parts only), 11 took it back; the spans written
      // before read as written.
      assertMapsBasic(db);
      engine.execute("OPTIMIZE TABLE `" + db + "`.otel_traces FINAL", Map.of());
      assertThat(engine.query("SELECT count(), min(Timestamp) FROM `" + db + "`.otel_traces", Map.of()).rows())
          .containsExactly(spans.rows().get(0));
      assertThat(engine.query(httpStatus, Map.of()).rows()).as("merged").containsExactly(List.of(0L, 2L));
      // And the latest layout takes new rows.
      store.writeLogs(List.of(OtlpFixtures.logs("svc", OtlpFixtures.log(OtlpFixtures.T0, "new"))));
      assertThat(engine.query("SELECT EventName FROM `" + db + "`.otel_logs WHERE Body = 'new'", Map.of()).rows())
          .containsExactly(List.of("payment.declined"));
    }
  }
}
