package io.tskotel.collector.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tskotel.collector.receiver.internal.OtlpJson;
import io.tskotel.collector.testing.OtlpRequests;
import io.tskotel.exporter.AlertRecord;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreConfig;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.testing.OtlpFixtures;
import io.tskotel.exporter.testing.TestStores;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same rows written through a store inserting RowBinary and through one inserting Native (the
 * transcoder) must leave the same rows in every table, the materialized views' targets included: the load
 * generator's realistic requests, the OTLP fuzz corpus, the fixtures, and alerts, in small inserts so that a
 * batch becomes several blocks.
 */
class NativeInsertDifferentialTest {
  private static ClickHouseStore rowBinary;
  private static ClickHouseStore nativeStore;

  @BeforeAll
  static void setUp() throws StoreException {
    rowBinary = store(StoreConfig.InsertFormat.ROWBINARY);
    nativeStore = store(StoreConfig.InsertFormat.NATIVE);
  }

  @AfterAll
  static void tearDown() {
    rowBinary.close();
    nativeStore.close();
  }

  // TTL 0: the fixtures' fixed dates must reach the tables.
  private static ClickHouseStore store(StoreConfig.InsertFormat format) throws StoreException {
    return TestStores.newStore(NativeInsertDifferentialTest.class, b -> {
      b.insertFormat(format).maxInsertBytes(64 * 1024);
      for (String signal : List.of("traces", "logs", "metrics", "alerts")) {
        b.ttl(signal, Duration.ZERO);
      }
    });
  }

  @FunctionalInterface
  private interface Write {
    void to(ClickHouseStore store) throws StoreException;
  }

  /** Writes to both stores: both take it, or both refuse it. */
  private static void both(Write write) {
    String a = outcome(write, rowBinary);
    String b = outcome(write, nativeStore);
    assertThat(b).as("native vs rowbinary outcome").isEqualTo(a);
  }

  private static String outcome(Write write, ClickHouseStore store) {
    try {
      write.to(store);
      return "ok";
    } catch (StoreException e) {
      return "refused " + e.retryable();
    }
  }

  @Test
  void everyTable_sameRowsAsRowBinary() throws Exception {
    long now = System.currentTimeMillis() * 1_000_000L;
    for (LoadConfig.Signal signal : LoadConfig.Signal.values()) {
      LoadConfig load = new LoadConfig(signal, LoadConfig.Protocol.GRPC, URI.create("http://127.0.0.1:4317"), null,
          1, 8, 0, Duration.ofSeconds(1), 0, 200, 3, 10, 0.05, 10, null, null, Duration.ofSeconds(60));
      Payloads payloads = new Payloads(load, 7, now);
      List<byte[]> requests = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        requests.add(payloads.request(i).toByteArray());
      }
      both(s -> write(s, signal, requests));
    }
    for (LoadConfig.Signal signal : LoadConfig.Signal.values()) {
      for (Message m : corpus(signal)) {
        both(s -> write(s, signal, List.of(m.toByteArray())));
      }
    }
    for (long r = 0; r < 3; r++) {
      long seed = r;
      both(s -> s.writeTraceRequests(List.of(OtlpRequests.traces(seed, 5, "op").toByteArray())));
      both(s -> s.writeLogRequests(List.of(OtlpRequests.logs(seed, 4).toByteArray())));
      both(s -> s.writeMetricRequests(List.of(OtlpRequests.gauges(seed, 6).toByteArray())));
    }
    both(s -> s.writeTraces(List.of(OtlpFixtures.sampleTraces())));
    both(s -> s.writeMetrics(List.of(OtlpFixtures.sampleMetrics("checkout"))));
    Instant t = Instant.now();
    both(s -> s.writeAlerts(List.of(
        new AlertRecord(t, "threshold", "critical", "error rate 7% > 5%", 0.07, 0.05,
            Map.of("service", "checkout", "route", "/pay"), "firing", "0123456789abcdef", t, null),
        new AlertRecord(t, "threshold", "warning", "", 1, 2, Map.of(), "resolved", "fedcba9876543210",
            t.minusSeconds(60), t))));

    Map<String, List<Object>> expected = contents(rowBinary);
    Map<String, List<Object>> actual = contents(nativeStore);
    assertThat(actual).isEqualTo(expected);
    for (String table : List.of("otel_traces", "otel_logs", "otel_metrics_gauge", "tskotel_alerts")) {
      assertThat(((Number) expected.get(table).get(0)).longValue()).as("rows in %s", table).isPositive();
    }
    // Migration 6's materialized view is fed by otel_traces inserts: its target got the same rows.
    assertThat(((Number) expected.get("tskotel_server_minutes").get(0)).longValue()).isPositive();
  }

  private static void write(ClickHouseStore s, LoadConfig.Signal signal, List<byte[]> requests)
      throws StoreException {
    switch (signal) {
      case TRACES -> s.writeTraceRequests(requests);
      case LOGS -> s.writeLogRequests(requests);
      case METRICS -> s.writeMetricRequests(requests);
    }
  }

  private static List<Message> corpus(LoadConfig.Signal signal) throws Exception {
    List<Message> out = new ArrayList<>();
    URL dir = NativeInsertDifferentialTest.class.getResource("/fuzz/otlp/" + signal.name().toLowerCase());
    try (Stream<Path> files = Files.list(Paths.get(dir.toURI()))) {
      for (Path p : files.sorted().toList()) {
        if (!p.toString().endsWith(".json")) {
          continue;
        }
        Message.Builder b = switch (signal) {
          case TRACES -> ExportTraceServiceRequest.newBuilder();
          case METRICS -> ExportMetricsServiceRequest.newBuilder();
          case LOGS -> ExportLogsServiceRequest.newBuilder();
        };
        try {
          OtlpJson.merge(Files.readAllBytes(p), b);
          out.add(b.build());
        } catch (OtlpJson.InvalidOtlpJsonException e) {
          // refused as JSON: not a request
        }
      }
    }
    return out;
  }

  /** Per table of the store's database: rows, and the sum of a hash of every stored column of each row. */
  private static Map<String, List<Object>> contents(ClickHouseStore store) throws StoreException {
    String db = store.config().database();
    Map<String, List<Object>> out = new LinkedHashMap<>();
    List<List<Object>> tables = store.engine().query("SELECT name, engine FROM system.tables"
        + " WHERE database = {db:String} AND engine NOT IN ('MaterializedView', 'View') ORDER BY name",
        Map.of("db", db)).rows();
    for (List<Object> t : tables) {
      String table = (String) t.get(0);
      // A summing table's rows depend on how inserts were cut into blocks and merged: compare it merged.
      String fin = t.get(1).equals("MergeTree") ? "" : " FINAL";
      // Stored columns only; a default of the insert time (now()) differs between two inserts by design.
      List<String> columns = store.engine().query("SELECT name FROM system.columns WHERE database = {db:String}"
          + " AND table = {t:String} AND default_kind != 'ALIAS' AND position(default_expression, 'now') = 0"
          + " ORDER BY position", Map.of("db", db, "t", table)).rows().stream()
          .map(r -> "`" + r.get(0) + "`").toList();
      List<Object> row = store.engine().query("SELECT count(), sum(cityHash64(" + String.join(", ", columns)
          + ")) FROM `" + db + "`.`" + table + "`" + fin, Map.of()).rows().get(0);
      out.put(table, row);
    }
    return out;
  }
}
