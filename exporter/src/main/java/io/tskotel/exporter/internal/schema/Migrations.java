package io.tskotel.exporter.internal.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * The schema's history, oldest first. A released migration is never edited: a change is a new file with
 * the next number. Files live in {@code src/main/resources/io/tskotel/exporter/schema/}.
 */
public final class Migrations {
  private Migrations() {}

  /** Creates the database and the migrations table; runs before every check. Not a numbered migration. */
  public static final String BOOTSTRAP = "0000_bootstrap.sql";

  private static final List<String> FILES = List.of(
      "0001_otel_tables.sql",
      "0002_tskotel_alerts.sql",
      "0003_logs_event_name.sql",
      "0004_alerts_state.sql",
      "0005_gauge_read_codecs.sql",
      "0006_minute_rollups.sql",
      "0007_merge_selector.sql",
      "0008_map_buckets.sql",
      "0009_http_status_column.sql",
      "0010_compress_block_size.sql",
      "0011_map_buckets_off.sql");

  private static final List<Migration> ALL = load();

  public static List<Migration> all() {
    return ALL;
  }

  public static int latestVersion() {
    return ALL.get(ALL.size() - 1).version();
  }

  static List<String> files() {
    return FILES;
  }

  private static List<Migration> load() {
    List<Migration> out = new ArrayList<>();
    for (int i = 0; i < FILES.size(); i++) {
      String file = FILES.get(i);
      int version = Integer.parseInt(file.substring(0, 4));
      if (version != i + 1) {
        throw new IllegalStateException("migration " + file + " out of sequence (expected: " + (i + 1) + ")");
      }
      String name = file.substring(5, file.length() - ".sql".length());
      out.add(new Migration(version, name, SqlTemplate.resource(file)));
    }
    return List.copyOf(out);
  }
}
