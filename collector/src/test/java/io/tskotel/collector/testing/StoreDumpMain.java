package io.tskotel.collector.testing;

import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints the rows of one read-only query against an embedded store's data directory, one row per line
 * (columns tab-separated), then {@link #END}. A test JVM already runs chDB on a data path of its own (one
 * per process), so tests read another process's store through this.
 *
 * <p>Usage: {@code StoreDumpMain DATA_PATH DATABASE SQL}
 */
public final class StoreDumpMain {
  public static final String END = "END";

  private StoreDumpMain() {}

  public static void main(String[] args) throws Exception {
    StoreConfig config = StoreConfig.builder().dataPath(Path.of(args[0])).database(args[1])
        .migrateOnStart(false).build();
    StringBuilder out = new StringBuilder();
    try (ClickHouseStore store = ClickHouseStore.embedded(config)) {
      for (List<Object> row : store.query(args[2], Map.of()).rows()) {
        out.append(row.stream().map(String::valueOf).collect(Collectors.joining("\t"))).append('\n');
      }
    }
    out.append(END).append('\n');
    System.out.print(out);
    System.out.flush();
  }
}
