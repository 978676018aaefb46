package io.tskotel.exporter;

import io.tskotel.exporter.testing.OtlpFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs in a JVM of its own (chDB lives once per process): {@code write <dir>} stores sample telemetry
 * through an embedded store on {@code dir} and exits; {@code read <dir>} opens the store again and prints
 * the row counts.
 */
public final class RestartProbe {
  private RestartProbe() {}

  public static void main(String[] args) throws Exception {
    StoreConfig config = StoreConfig.builder().dataPath(Path.of(args[1])).database("restart").build();
    try (ClickHouseStore store = ClickHouseStore.embedded(config)) {
      if (args[0].equals("write")) {
        store.writeTraces(List.of(OtlpFixtures.sampleTraces()));
        store.writeLogs(List.of(OtlpFixtures.logs("svc", OtlpFixtures.log(OtlpFixtures.T0, "kept"))));
        store.writeMetrics(List.of(OtlpFixtures.sampleMetrics("svc")));
      }
      List<List<Object>> rows = store.query("SELECT (SELECT count() FROM restart.otel_traces),"
          + " (SELECT count() FROM restart.otel_logs), (SELECT count() FROM restart.otel_metrics_summary),"
          + " (SELECT max(Version) FROM restart.tskotel_schema_migrations)", Map.of()).rows();
      System.out.println("COUNTS " + rows.get(0));
    }
  }
}
