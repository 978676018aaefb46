package io.tskotel.exporter.internal.chdb;

import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.testing.RowBinaryBytes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A separate JVM for what one process cannot show: data surviving a restart, and the error when the
 * library is missing. {@code main(mode, dataPath[, first, count])} prints one result line and exits.
 */
public final class ChdbChildProcess {
  static final Instant BASE = Instant.parse("2024-05-06T07:08:09.000000001Z");

  private ChdbChildProcess() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path path = Path.of(args[1]);
    ChdbEngine engine;
    try {
      engine = ChdbEngine.builder().dataPath(path).poolSize(2).build();
    } catch (StoreException e) {
      System.out.println("BUILD-FAILED retryable=" + e.retryable() + " " + e.getMessage());
      System.exit(3);
      return;
    }
    switch (mode) {
      case "write", "write-and-wait" -> {
        int first = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        engine.execute("CREATE DATABASE IF NOT EXISTS restart", Map.of());
        engine.execute(
            "CREATE TABLE IF NOT EXISTS restart.spans (Timestamp DateTime64(9), Name String,"
                + " Attributes Map(LowCardinality(String), String)) ENGINE = MergeTree ORDER BY Timestamp",
            Map.of());
        RowBinaryBytes rows = new RowBinaryBytes();
        for (int i = first; i < first + count; i++) {
          rows.dateTime64Nanos(BASE.plusNanos(i)).string("span-" + i).stringMap("i", Integer.toString(i));
        }
        byte[] bytes = rows.toByteArray();
        engine.insertRowBinary(
            "INSERT INTO restart.spans (Timestamp, Name, Attributes)", bytes, bytes.length, count);
        System.out.println("WRITTEN " + count);
        System.out.flush();
        if (mode.equals("write-and-wait")) {
          // The parent kills this process here: nothing may depend on an orderly exit.
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
      }
      case "read" -> {
        QueryResult result =
            engine.query(
                "SELECT count(), min(Timestamp), max(Timestamp), countIf(Attributes['i'] = substring(Name, 6))"
                    + " FROM restart.spans",
                Map.of());
        System.out.println("READ " + result.rows().get(0));
      }
      default -> throw new IllegalArgumentException("mode: " + mode);
    }
    // An orderly exit closes the engine first, as the collector does: chDB left running when the JVM exits
    // can crash in its static destructors (see ChdbRuntime), which would fail the exit code the parent reads.
    engine.close();
    System.exit(0);
  }
}
