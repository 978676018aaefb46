package io.tskotel.collector.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.collector.pipeline.internal.SignalWriter;
import io.tskotel.collector.receiver.OtlpMutator;
import io.tskotel.collector.receiver.internal.OtlpJson;
import io.tskotel.collector.testing.OtlpRequests;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.encode.EncodeStats;
import io.tskotel.exporter.internal.encode.LogEncoder;
import io.tskotel.exporter.internal.encode.SpanEncoder;
import io.tskotel.exporter.internal.encode.WireLogEncoder;
import io.tskotel.exporter.internal.encode.WireSpanEncoder;
import io.tskotel.exporter.internal.encode.WireMetricEncoder;
import io.tskotel.exporter.internal.encode.MetricEncoder;
import io.tskotel.exporter.internal.encode.MetricTable;
import io.tskotel.exporter.testing.CollectingSink;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The batcher's wire path (item count on the wire, {@link WireSpanEncoder} / {@link WireLogEncoder} /
 * {@link WireMetricEncoder}) against the object path it replaced (parse, count the lists, {@link SpanEncoder}
 * / {@link LogEncoder} / {@link MetricEncoder}): the load
 * generator's realistic requests, the OTLP fuzz corpus and the test fixtures, then seeded mutations of all of
 * them (structure-aware and byte-level, as {@code OtlpFuzzTest} makes them). Every input must give the same
 * RowBinary bytes and counts, or be refused by both.
 */
class WireEncodeDifferentialTest {
  private static final long NOW = 1_764_633_600_000_000_000L; // fixed: rows never reach a table here

  private record Seed(Signal signal, Message request) {}

  private static List<Seed> seeds() throws IOException {
    List<Seed> seeds = new ArrayList<>();
    for (Signal signal : Signal.values()) {
      LoadConfig load = new LoadConfig(LoadConfig.Signal.valueOf(signal.name()),
          LoadConfig.Protocol.GRPC, URI.create("http://127.0.0.1:4317"), null, 1, 8, 0, Duration.ofSeconds(1), 0,
          50, 3, 10, 0.05, 10, null, null, Duration.ofSeconds(60));
      Payloads payloads = new Payloads(load, 42, NOW);
      for (int i = 0; i < 4; i++) {
        seeds.add(new Seed(signal, payloads.request(i)));
      }
      URL dir = WireEncodeDifferentialTest.class.getResource("/fuzz/otlp/" + signal.name().toLowerCase(Locale.ROOT));
      try (Stream<Path> files = Files.list(Paths.get(dir.toURI()))) {
        for (Path p : files.sorted().toList()) {
          if (p.toString().endsWith(".json")) {
            Message.Builder b = switch (signal) {
              case TRACES -> ExportTraceServiceRequest.newBuilder();
              case METRICS -> ExportMetricsServiceRequest.newBuilder();
              case LOGS -> ExportLogsServiceRequest.newBuilder();
            };
            try {
              OtlpJson.merge(Files.readAllBytes(p), b);
              seeds.add(new Seed(signal, b.build()));
            } catch (OtlpJson.InvalidOtlpJsonException e) {
              // a corpus file that is meant to be refused as JSON: not a request
            }
          }
        }
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
    for (long r = 0; r < 3; r++) {
      seeds.add(new Seed(Signal.TRACES, OtlpRequests.traces(r, 5, "op")));
      seeds.add(new Seed(Signal.LOGS, OtlpRequests.logs(r, 4)));
      seeds.add(new Seed(Signal.METRICS, OtlpRequests.gauges(r, 6)));
    }
    return seeds;
  }

  /** What one path made of a request: RowBinary as hex, rows, items counted, repairs; or refused. */
  private record Outcome(String hex, long rows, long items, Object repairs, boolean refused) {}

  private static Outcome objectPath(Signal signal, byte[] body) {
    EncodeStats stats = new EncodeStats();
    Map<MetricTable, CollectingSink> sinks = new EnumMap<>(MetricTable.class);
    long items = 0;
    try {
      switch (signal) {
        case TRACES -> {
          List<ResourceSpans> list = ExportTraceServiceRequest.parseFrom(body).getResourceSpansList();
          for (ResourceSpans rs : list) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
              items += ss.getSpansCount();
            }
          }
          new SpanEncoder(stats).encode(list, sinkOf(sinks, MetricTable.GAUGE));
        }
        case LOGS -> {
          List<ResourceLogs> list = ExportLogsServiceRequest.parseFrom(body).getResourceLogsList();
          for (ResourceLogs rl : list) {
            for (ScopeLogs sl : rl.getScopeLogsList()) {
              items += sl.getLogRecordsCount();
            }
          }
          new LogEncoder(stats).encode(list, sinkOf(sinks, MetricTable.GAUGE));
        }
        case METRICS -> {
          List<ResourceMetrics> list = ExportMetricsServiceRequest.parseFrom(body).getResourceMetricsList();
          for (ResourceMetrics rm : list) {
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
              for (Metric m : sm.getMetricsList()) {
                items += SignalWriter.Metrics.points(m);
              }
            }
          }
          new MetricEncoder(stats).encode(list, t -> sinkOf(sinks, t));
        }
      }
    } catch (InvalidProtocolBufferException | StoreException e) {
      return new Outcome("", 0, 0, null, true);
    }
    return outcome(sinks, items, stats.snapshot());
  }

  /** Traces and logs use the first sink only; metrics one per table. */
  private static CollectingSink sinkOf(Map<MetricTable, CollectingSink> sinks, MetricTable t) {
    return sinks.computeIfAbsent(t, k -> new CollectingSink());
  }

  private static Outcome outcome(Map<MetricTable, CollectingSink> sinks, long items, Object repairs) {
    StringBuilder hex = new StringBuilder();
    long rows = 0;
    for (Map.Entry<MetricTable, CollectingSink> e : sinks.entrySet()) {
      if (e.getValue().rows > 0) {
        hex.append(e.getKey()).append(':').append(HexFormat.of().formatHex(e.getValue().w.toByteArray()))
            .append(' ');
        rows += e.getValue().rows;
      }
    }
    return new Outcome(hex.toString(), rows, items, repairs, false);
  }

  private final EncodeStats stats = new EncodeStats();
  // One encoder per signal for the whole run, as one batcher thread has: their memos carry over.
  private final WireSpanEncoder spans = new WireSpanEncoder(stats);
  private final WireLogEncoder logs = new WireLogEncoder(stats);
  private final WireMetricEncoder metrics = new WireMetricEncoder(stats);

  private Outcome wirePath(Signal signal, byte[] body) {
    long items;
    try {
      items = SignalWriter.of(signal).decode(body).items();
    } catch (InvalidProtocolBufferException e) {
      return new Outcome("", 0, 0, null, true); // the batcher dead-letters it before any encoding
    }
    Map<String, Long> before = stats.snapshot();
    Map<MetricTable, CollectingSink> sinks = new EnumMap<>(MetricTable.class);
    try {
      long rows = switch (signal) {
        case TRACES -> spans.encode(List.of(body), sinkOf(sinks, MetricTable.GAUGE), 0).rows();
        case LOGS -> logs.encode(List.of(body), sinkOf(sinks, MetricTable.GAUGE), 0).rows();
        case METRICS -> metrics.encode(List.of(body), t -> sinkOf(sinks, t), 0).rows();
      };
      assertThat(rows).isEqualTo(sinks.values().stream().mapToLong(x -> x.rows).sum());
    } catch (StoreException e) {
      assertThat(e.retryable()).isFalse();
      return new Outcome("", 0, 0, null, true);
    }
    Map<String, Long> repairs = new LinkedHashMap<>();
    stats.snapshot().forEach((k, v) -> repairs.put(k, v - before.get(k)));
    return outcome(sinks, items, repairs);
  }

  private long parsedRequests() {
    return spans.parsedRequests() + logs.parsedRequests() + metrics.parsedRequests();
  }

  private static String parseError(Signal signal, byte[] body) {
    try {
      switch (signal) {
        case TRACES -> ExportTraceServiceRequest.parseFrom(body);
        case METRICS -> ExportMetricsServiceRequest.parseFrom(body);
        case LOGS -> ExportLogsServiceRequest.parseFrom(body);
      }
      return "parses";
    } catch (InvalidProtocolBufferException e) {
      return "parse error: " + e.getMessage();
    }
  }

  @Test
  void seeds_realisticPayloadsCorpusAndFixtures_sameRowsOnTheWire() throws IOException {
    List<Seed> seeds = seeds();
    long rows = 0;
    for (Seed seed : seeds) {
      byte[] body = seed.request().toByteArray();
      Outcome wire = wirePath(seed.signal(), body);
      assertThat(wire).as(seed.toString()).isEqualTo(objectPath(seed.signal(), body));
      assertThat(wire.refused()).isFalse();
      rows += wire.rows();
    }
    assertThat(rows).isGreaterThan(300);
    assertThat(parsedRequests()).isZero(); // all of them read on the wire
  }

  @Test
  void fuzz_mutatedRequests_sameRowsOrBothRefuse() throws IOException {
    List<Seed> seeds = seeds();
    long seed = Long.getLong("tskotel.fuzz.seed", 20261202L);
    long inputs = Long.getLong("tskotel.wire.fuzz.inputs", 3000);
    Random random = new Random(seed);
    OtlpMutator mutator = new OtlpMutator(random);
    long refused = 0;
    long written = 0;
    for (long i = 0; i < inputs; i++) {
      Seed s = seeds.get(random.nextInt(seeds.size()));
      byte[] body;
      int r = random.nextInt(10);
      if (r < 6) {
        body = mutator.mutate(s.request()).toByteArray(); // valid protobuf, odd content
      } else if (r < 9) {
        body = mutator.mutateBytes(s.request().toByteArray(),
            seeds.get(random.nextInt(seeds.size())).request().toByteArray());
      } else {
        body = mutator.mutateBytes(mutator.mutate(s.request()).toByteArray(), new byte[0]);
      }
      Outcome object = objectPath(s.signal(), body);
      Outcome wire = wirePath(s.signal(), body);
      long n = i;
      byte[] input = body;
      assertThat(wire).as(() -> "input " + n + " (seed " + seed + "), " + parseError(s.signal(), input) + ": "
          + HexFormat.of().formatHex(Arrays.copyOf(input, Math.min(input.length, 2000)))).isEqualTo(object);
      if (wire.refused()) {
        refused++;
      } else {
        written++;
      }
    }
    System.out.printf(Locale.ROOT, "wire encode fuzz: %d inputs (seed %d): %d written alike, %d refused by both;"
        + " %d requests handed to the parser%n", inputs, seed, written, refused,
        parsedRequests());
    assertThat(written).isGreaterThan(inputs / 2);
    assertThat(refused).isPositive();
  }
}
