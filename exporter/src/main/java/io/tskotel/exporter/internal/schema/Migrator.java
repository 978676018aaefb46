package io.tskotel.exporter.internal.schema;

import static java.util.Objects.requireNonNull;

import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.engine.SqlEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database to a schema version: runs the bootstrap, reads which versions are recorded in
 * {@code tskotel_schema_migrations}, and applies the missing ones in order, recording each after all its
 * statements succeeded. Safe to run concurrently from several processes: every statement is idempotent
 * and a version recorded twice is harmless.
 */
public final class Migrator {
  private static final Logger log = LoggerFactory.getLogger(Migrator.class);

  private final SqlEngine engine;
  private final SchemaSettings settings;
  private final List<Migration> migrations;

  public Migrator(SqlEngine engine, SchemaSettings settings) {
    this(engine, settings, Migrations.all());
  }

  Migrator(SqlEngine engine, SchemaSettings settings, List<Migration> migrations) {
    this.engine = requireNonNull(engine, "engine");
    this.settings = requireNonNull(settings, "settings");
    this.migrations = List.copyOf(migrations);
  }

  /** Applies every migration up to the latest; returns the versions applied now. */
  public List<Integer> migrate() throws StoreException {
    return migrateTo(migrations.get(migrations.size() - 1).version());
  }

  /** Applies the migrations up to and including {@code target}; returns the versions applied now. */
  public List<Integer> migrateTo(int target) throws StoreException {
    bootstrap();
    TreeSet<Integer> applied = recordedVersions();
    List<Integer> now = new ArrayList<>();
    for (Migration m : migrations) {
      if (m.version() > target || applied.contains(m.version())) {
        continue;
      }
      List<String> unknown = unknownSettings(m.template().requiredSettings());
      if (!unknown.isEmpty()) {
        // Not recorded: the next start after the server's upgrade applies it.
        log.warn("schema migration {} ({}) skipped for database {}: the server does not know the MergeTree"
            + " setting(s) {}", m.version(), m.name(), settings.database(), unknown);
        continue;
      }
      for (String statement : m.statements(settings)) {
        engine.execute(statement, Map.of());
      }
      record(m);
      now.add(m.version());
      log.info("schema migration {} ({}) applied to database {}", m.version(), m.name(), settings.database());
    }
    return now;
  }

  private List<String> unknownSettings(List<String> names) throws StoreException {
    List<String> unknown = new ArrayList<>();
    for (String name : names) {
      QueryResult r = engine.query("SELECT count() FROM system.merge_tree_settings WHERE name = {name:String}",
          Map.of("name", name));
      if (((Number) r.rows().get(0).get(0)).longValue() == 0) {
        unknown.add(name);
      }
    }
    return unknown;
  }

  /**
   * The versions recorded as applied (empty before the first migration). Only reads: asking does not
   * create the database, which on a cluster would be DDL through every node's queue.
   */
  public TreeSet<Integer> appliedVersions() throws StoreException {
    QueryResult exists = engine.query(
        "SELECT count() FROM system.tables WHERE database = {db:String} AND name = 'tskotel_schema_migrations'",
        Map.of("db", settings.database()));
    if (((Number) exists.rows().get(0).get(0)).longValue() == 0) {
      return new TreeSet<>();
    }
    return recordedVersions();
  }

  private TreeSet<Integer> recordedVersions() throws StoreException {
    QueryResult r = engine.query(
        "SELECT DISTINCT toUInt32(Version) FROM " + migrationsTable() + " ORDER BY 1", Map.of());
    TreeSet<Integer> versions = new TreeSet<>();
    for (List<Object> row : r.rows()) {
      versions.add(((Number) row.get(0)).intValue());
    }
    return versions;
  }

  /** The current version: the highest applied, 0 for an empty database. */
  public int currentVersion() throws StoreException {
    TreeSet<Integer> v = appliedVersions();
    return v.isEmpty() ? 0 : v.last();
  }

  private void bootstrap() throws StoreException {
    for (String statement : SqlTemplate.resource(Migrations.BOOTSTRAP).render(settings)) {
      engine.execute(statement, Map.of());
    }
  }

  private void record(Migration m) throws StoreException {
    engine.execute(
        "INSERT INTO " + migrationsTable() + " (Version, Name, Checksum) "
            + "SELECT {version:UInt32}, {name:String}, {checksum:String}",
        Map.of("version", Integer.toString(m.version()), "name", m.name(), "checksum", m.checksum()));
  }

  // The Distributed table on a cluster, so every node sees every record.
  private String migrationsTable() {
    return "`" + settings.database() + "`.`tskotel_schema_migrations`";
  }
}
