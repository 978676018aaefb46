package io.tskotel.collector.receiver;

import static io.tskotel.collector.receiver.OtlpTestData.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.exporter.testing.Prerequisites;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Node.js OpenTelemetry SDK ({@code src/test/node/send.js}) exports over OTLP/gRPC, HTTP/JSON and
 * HTTP/protobuf; everything it says it sent must be what the sink received.
 */
class NodeSdkExportTest {
  static final Path NODE_DIR = Path.of("src", "test", "node");
  static final String INSTALL =
      "npm --prefix collector/src/test/node install --no-package-lock --no-audit --no-fund";
  private static final List<String> LABELS = List.of("node-grpc", "node-http-json", "node-http-proto");

  private static final RecordingSink sink = new RecordingSink();
  private static OtlpReceiver receiver;

  @BeforeAll
  static void start() {
    receiver =
        OtlpReceiver.create(
            OtlpReceiverConfig.builder().host("127.0.0.1").grpcPort(0).httpPort(0).build(), sink);
    receiver.start();
  }

  @AfterAll
  static void stop() {
    receiver.shutdown();
  }

  private static String nodeExecutable() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        Path node = Path.of(dir, "node");
        if (Files.isExecutable(node)) {
          return node.toString();
        }
      }
    }
    Prerequisites.require(false, "node is not installed: the Node.js OpenTelemetry SDK test needs it (apt-get install nodejs npm)");
    throw new AssertionError("unreachable");
  }

  @Test
  void export_nodeSdk_everythingArrivesExactly(@TempDir Path tmp) throws Exception {
    String node = nodeExecutable();
    for (String module :
        List.of("exporter-trace-otlp-grpc", "exporter-metrics-otlp-proto", "exporter-logs-otlp-http", "sdk-logs")) {
      if (!Files.isDirectory(NODE_DIR.resolve("node_modules/@opentelemetry/" + module))) {
        Prerequisites.require(false, "Node.js OpenTelemetry modules are not installed (@opentelemetry/" + module
            + " missing): run '" + INSTALL + "' to enable this test");
      }
    }
    Path out = tmp.resolve("stdout.json");
    Path err = tmp.resolve("stderr.txt");
    Process process =
        new ProcessBuilder(
                node, "send.js", Integer.toString(receiver.grpcPort()), Integer.toString(receiver.httpPort()))
            .directory(NODE_DIR.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("node send.js did not finish in 120 s; stderr:\n" + Files.readString(err));
    }
    String stderr = Files.readString(err);
    assertThat(process.exitValue()).as("node send.js exit code; stderr:\n%s\nstdout:\n%s", stderr, Files.readString(out))
        .isZero();
    JsonNode report = new ObjectMapper().readTree(Files.readString(out));
    assertThat(report.get("failures")).as("failed exports").isEmpty();

    for (JsonNode variant : report.get("variants")) {
      String label = variant.get("label").asText();
      assertSpans(label, variant.get("spans"));
      assertLogs(label, variant.get("logs"));
      assertMetrics(label);
    }
    assertThat(sink.itemCount(Signal.TRACES)).isEqualTo(2 * LABELS.size());
    assertThat(sink.itemCount(Signal.LOGS)).isEqualTo(LABELS.size());
    assertThat(ReceiverCounts.rejected(receiver, Signal.TRACES)).isZero();
    assertThat(ReceiverCounts.rejected(receiver, Signal.METRICS)).isZero();
    assertThat(ReceiverCounts.rejected(receiver, Signal.LOGS)).isZero();
  }

  private static boolean labelled(List<io.opentelemetry.proto.common.v1.KeyValue> resource, String label) {
    Map<String, Object> attributes = OtlpTestData.attributes(resource);
    return label.equals(attributes.get("test.label")) && "node-sdk-test".equals(attributes.get("service.name"));
  }

  private static void assertSpans(String label, JsonNode sent) {
    Map<String, Span> received =
        sink.resourceSpans().stream()
            .filter(rs -> labelled(rs.getResource().getAttributesList(), label))
            .flatMap(rs -> rs.getScopeSpansList().stream())
            .peek(ss -> assertThat(ss.getScope().getName()).isEqualTo("node-receiver-test"))
            .flatMap(ss -> ss.getSpansList().stream())
            .collect(Collectors.toMap(s -> hex(s.getSpanId()), Function.identity()));
    assertThat(received).as(label).hasSize(sent.size());
    for (JsonNode expected : sent) {
      Span actual = received.get(expected.get("spanId").asText());
      assertThat(actual).as("%s span %s", label, expected.get("name")).isNotNull();
      assertThat(hex(actual.getTraceId())).isEqualTo(expected.get("traceId").asText());
      assertThat(hex(actual.getParentSpanId())).isEqualTo(expected.get("parentSpanId").asText());
      assertThat(actual.getName()).isEqualTo(expected.get("name").asText());
      assertThat(actual.getKindValue()).isEqualTo(expected.get("kind").asInt());
      assertThat(actual.getStartTimeUnixNano()).isEqualTo(Long.parseLong(expected.get("startTimeUnixNano").asText()));
      assertThat(actual.getEndTimeUnixNano()).isEqualTo(Long.parseLong(expected.get("endTimeUnixNano").asText()));
      assertThat(OtlpTestData.attributes(actual.getAttributesList())).isEqualTo(plain(expected.get("attributes")));
      assertThat(actual.getEventsCount()).isEqualTo(expected.get("events").size());
      for (int i = 0; i < actual.getEventsCount(); i++) {
        JsonNode event = expected.get("events").get(i);
        assertThat(actual.getEvents(i).getName()).isEqualTo(event.get("name").asText());
        assertThat(actual.getEvents(i).getTimeUnixNano()).isEqualTo(Long.parseLong(event.get("timeUnixNano").asText()));
        assertThat(OtlpTestData.attributes(actual.getEvents(i).getAttributesList())).isEqualTo(plain(event.get("attributes")));
      }
      assertThat(actual.getStatus().getCodeValue()).isEqualTo(expected.get("status").get("code").asInt());
      assertThat(actual.getStatus().getMessage()).isEqualTo(expected.get("status").get("message").asText());
    }
  }

  private static void assertLogs(String label, JsonNode sent) {
    List<LogRecord> received =
        sink.resourceLogs().stream()
            .filter(rl -> labelled(rl.getResource().getAttributesList(), label))
            .flatMap(rl -> rl.getScopeLogsList().stream())
            .flatMap(sl -> sl.getLogRecordsList().stream())
            .toList();
    assertThat(received).as(label).hasSize(sent.size());
    JsonNode expected = sent.get(0);
    LogRecord actual = received.getFirst();
    assertThat(actual.getBody().getStringValue()).isEqualTo(expected.get("body").asText());
    assertThat(actual.getTimeUnixNano()).isEqualTo(Long.parseLong(expected.get("timeUnixNano").asText()));
    assertThat(actual.getObservedTimeUnixNano()).isEqualTo(Long.parseLong(expected.get("observedTimeUnixNano").asText()));
    assertThat(actual.getSeverityNumberValue()).isEqualTo(expected.get("severityNumber").asInt());
    assertThat(actual.getSeverityText()).isEqualTo(expected.get("severityText").asText());
    assertThat(OtlpTestData.attributes(actual.getAttributesList())).isEqualTo(plain(expected.get("attributes")));
    assertThat(hex(actual.getTraceId())).isEqualTo(expected.get("traceId").asText());
    assertThat(hex(actual.getSpanId())).isEqualTo(expected.get("spanId").asText());
  }

  private static double value(NumberDataPoint point) {
    return point.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? point.getAsInt() : point.getAsDouble();
  }

  private static void assertMetrics(String label) {
    // The first export of this label is the flush; shutdown sends the same cumulative values again.
    Map<String, Metric> received =
        sink.resourceMetrics().stream()
            .filter(rm -> labelled(rm.getResource().getAttributesList(), label))
            .limit(1)
            .flatMap(rm -> rm.getScopeMetricsList().stream())
            .flatMap(sm -> sm.getMetricsList().stream())
            .collect(Collectors.toMap(Metric::getName, Function.identity()));
    assertThat(received).as(label).containsOnlyKeys("node.requests", "node.temperature", "node.latency", "node.payload");

    Metric requests = received.get("node.requests");
    assertThat(requests.getUnit()).isEqualTo("{request}");
    assertThat(requests.getDescription()).isEqualTo("Requests served");
    assertThat(requests.getSum().getIsMonotonic()).isTrue();
    Map<Object, Double> byRoute = new LinkedHashMap<>();
    for (NumberDataPoint p : requests.getSum().getDataPointsList()) {
      assertThat(p.getStartTimeUnixNano()).isPositive().isLessThanOrEqualTo(p.getTimeUnixNano());
      byRoute.put(OtlpTestData.attributes(p.getAttributesList()).get("route"), value(p));
    }
    assertThat(byRoute).containsExactlyInAnyOrderEntriesOf(Map.of("/a", 3.0, "/b", 4.0));

    NumberDataPoint temperature = received.get("node.temperature").getGauge().getDataPoints(0);
    assertThat(value(temperature)).isEqualTo(21.5);
    assertThat(OtlpTestData.attributes(temperature.getAttributesList())).containsEntry("core", 1L);

    HistogramDataPoint latency = received.get("node.latency").getHistogram().getDataPoints(0);
    assertThat(latency.getCount()).isEqualTo(3);
    assertThat(latency.getSum()).isEqualTo(555.0);
    assertThat(latency.getMin()).isEqualTo(5.0);
    assertThat(latency.getMax()).isEqualTo(500.0);
    assertThat(latency.getBucketCountsCount()).isEqualTo(latency.getExplicitBoundsCount() + 1);
    assertThat(latency.getBucketCountsList().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);

    ExponentialHistogramDataPoint payload =
        received.get("node.payload").getExponentialHistogram().getDataPoints(0);
    assertThat(payload.getCount()).isEqualTo(5);
    assertThat(payload.getZeroCount()).isEqualTo(1);
    assertThat(payload.getSum()).isEqualTo(1031.0);
    assertThat(payload.getPositive().getBucketCountsList().stream().mapToLong(Long::longValue).sum()).isEqualTo(4);
  }

  /** JSON attribute values as the Java values {@link OtlpTestData#attributes} produces. */
  private static Map<String, Object> plain(JsonNode attributes) {
    Map<String, Object> map = new LinkedHashMap<>();
    attributes.properties().forEach(e -> map.put(e.getKey(), plainValue(e.getValue())));
    return map;
  }

  private static Object plainValue(JsonNode value) {
    if (value.isTextual()) {
      return value.asText();
    }
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    if (value.isIntegralNumber()) {
      return value.asLong();
    }
    if (value.isNumber()) {
      return value.asDouble();
    }
    List<Object> list = new ArrayList<>();
    value.forEach(v -> list.add(plainValue(v)));
    return list;
  }
}
