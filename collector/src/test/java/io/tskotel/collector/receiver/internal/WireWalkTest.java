package io.tskotel.collector.receiver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The wire walk on hand-made requests; OtlpFuzzTest compares it with the full parse + validate on
 * every fuzzed protobuf body.
 */
class WireWalkTest {
  private static final ByteString TRACE_ID = ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  private static final ByteString SPAN_ID = ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
  /** "é" cut after its first byte: not UTF-8. */
  private static final ByteString BROKEN_UTF8 = ByteString.copyFrom(new byte[] {'a', (byte) 0xC3});

  private static Span.Builder span() {
    return Span.newBuilder().setTraceId(TRACE_ID).setSpanId(SPAN_ID).setName("GET /users")
        .addAttributes(KeyValue.newBuilder().setKey("http.route").setValue(AnyValue.newBuilder().setStringValue("/users")));
  }

  private static byte[] traces(Span... spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue("checkout"))))
            .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(Arrays.asList(spans))))
        .build().toByteArray();
  }

  @Test
  void traces_validSpans_counted() {
    assertThat(WireWalk.traces(traces(span().build(), span().setParentSpanId(SPAN_ID).build(), span().build())))
        .isEqualTo(3);
    assertThat(WireWalk.traces(new byte[0])).isZero();
  }

  @Test
  void traces_anythingValidateRejects_fallsBack() {
    assertThat(WireWalk.traces(traces(span().build(), span().clearTraceId().build()))).isEqualTo(WireWalk.FALL_BACK);
    assertThat(WireWalk.traces(traces(span().setSpanId(ByteString.copyFrom(new byte[8])).build())))
        .isEqualTo(WireWalk.FALL_BACK);
    assertThat(WireWalk.traces(traces(span().setParentSpanId(ByteString.copyFrom(new byte[3])).build())))
        .isEqualTo(WireWalk.FALL_BACK);
    assertThat(WireWalk.traces(traces(span().addLinks(Span.Link.newBuilder().setTraceId(TRACE_ID)).build())))
        .isEqualTo(WireWalk.FALL_BACK);
  }

  @Test
  void traces_invalidUtf8Deep_fallsBackLikeTheParser() {
    // Built by hand (builders refuse it): a string two attribute levels down that is not UTF-8.
    byte[] inner = field(1, BROKEN_UTF8.toByteArray()); // AnyValue.string_value
    byte[] kv = concat(field(1, "k".getBytes(java.nio.charset.StandardCharsets.UTF_8)), field(2, inner));
    byte[] list = field(6, field(1, kv)); // AnyValue.kvlist_value
    byte[] attribute = concat(field(1, "nested".getBytes(java.nio.charset.StandardCharsets.UTF_8)), field(2, list));
    byte[] spanBytes = concat(span().build().toByteArray(), field(9, attribute));
    byte[] body = field(1, field(2, field(2, spanBytes)));
    assertThat(WireWalk.traces(field(1, field(2, field(2, span().build().toByteArray()))))).isEqualTo(1);
    assertThat(WireWalk.traces(body)).isEqualTo(WireWalk.FALL_BACK);
    assertThat(parses(body)).isFalse();
  }

  @Test
  void traces_malformedOrGroups_fallBack() throws IOException {
    byte[] body = traces(span().build());
    assertThat(WireWalk.traces(Arrays.copyOf(body, body.length - 1))).isEqualTo(WireWalk.FALL_BACK);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    cos.writeTag(7, 3); // an unknown group
    cos.writeTag(7, 4);
    cos.flush();
    byte[] withGroup = concat(body, out.toByteArray());
    assertThat(WireWalk.traces(withGroup)).isEqualTo(WireWalk.FALL_BACK);
  }

  @Test
  void traces_unknownFields_skipped() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    cos.writeString(99, "unknown, not checked");
    cos.writeUInt64(98, 7);
    cos.flush();
    assertThat(WireWalk.traces(concat(traces(span().build()), out.toByteArray()))).isEqualTo(1);
  }

  @Test
  void logs_optionalIds() {
    LogRecord ok = LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue("hi")).build();
    LogRecord withIds = ok.toBuilder().setTraceId(TRACE_ID).setSpanId(SPAN_ID).build();
    LogRecord badId = ok.toBuilder().setSpanId(TRACE_ID).build();
    assertThat(WireWalk.logs(logs(ok, withIds))).isEqualTo(2);
    assertThat(WireWalk.logs(logs(ok, badId))).isEqualTo(WireWalk.FALL_BACK);
  }

  private static byte[] logs(LogRecord... records) {
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(Arrays.asList(records))))
        .build().toByteArray();
  }

  @Test
  void metrics_pointsCountedAndRulesApplied() {
    NumberDataPoint point = NumberDataPoint.newBuilder().setAsDouble(1).build();
    Metric gauge = Metric.newBuilder().setName("g").setGauge(Gauge.newBuilder().addDataPoints(point).addDataPoints(point)).build();
    HistogramDataPoint histogram = HistogramDataPoint.newBuilder().setCount(3).addBucketCounts(1).addBucketCounts(2)
        .addExplicitBounds(10).build();
    Metric hist = Metric.newBuilder().setName("h").setHistogram(Histogram.newBuilder().addDataPoints(histogram)).build();
    assertThat(WireWalk.metrics(metrics(gauge, hist))).isEqualTo(3);

    Metric badCount = hist.toBuilder().setHistogram(Histogram.newBuilder().addDataPoints(histogram.toBuilder().setCount(4))).build();
    Metric noName = gauge.toBuilder().clearName().build();
    Metric noData = Metric.newBuilder().setName("empty").build();
    Metric badQuantile = Metric.newBuilder().setName("s").setSummary(io.opentelemetry.proto.metrics.v1.Summary.newBuilder()
        .addDataPoints(SummaryDataPoint.newBuilder().addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(1.5))))
        .build();
    for (Metric bad : new Metric[] {badCount, noName, noData, badQuantile}) {
      assertThat(WireWalk.metrics(metrics(gauge, bad))).as(bad.toString()).isEqualTo(WireWalk.FALL_BACK);
    }
    // The data oneof twice: protobuf replaces (or merges), the walk leaves it to the parser.
    byte[] metric = concat(gauge.toByteArray(), Metric.newBuilder().setSum(Sum.newBuilder().addDataPoints(point)).build().toByteArray());
    byte[] twice = field(1, field(2, field(2, metric)));
    assertThat(WireWalk.metrics(twice)).isEqualTo(WireWalk.FALL_BACK);
    assertThat(OtlpCodec.METRICS.validate(parse(twice)).keptItems()).isEqualTo(1);
  }

  private static ExportMetricsServiceRequest parse(byte[] body) {
    try {
      return ExportMetricsServiceRequest.parseFrom(body);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code bytes} as length-delimited field {@code number} of a message. */
  private static byte[] field(int number, byte[] bytes) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      CodedOutputStream cos = CodedOutputStream.newInstance(out);
      cos.writeByteArray(number, bytes);
      cos.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] metrics(Metric... metrics) {
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(Arrays.asList(metrics))))
        .build().toByteArray();
  }

  @Test
  void isValid_agreesWithProtobuf() {
    byte[] b = new byte[4];
    // Every 1- and 2-byte sequence, every 3-byte one starting with a non-ASCII byte.
    for (int x = 0; x < 256; x++) {
      b[0] = (byte) x;
      assertAgrees(b, 1);
      for (int y = 0; y < 256; y++) {
        b[1] = (byte) y;
        assertAgrees(b, 2);
        if (x >= 0x80) {
          for (int z = 0; z < 256; z++) {
            b[2] = (byte) z;
            assertAgrees(b, 3);
          }
        }
      }
    }
    Random random = new Random(7);
    for (int i = 0; i < 2_000_000; i++) {
      b[0] = (byte) (0xF0 + random.nextInt(16));
      b[1] = (byte) random.nextInt(256);
      b[2] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(64) : random.nextInt(256));
      b[3] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(64) : random.nextInt(256));
      assertAgrees(b, 4);
    }
  }

  @Test
  void isValid_longMostlyAsciiStrings_agreesWithProtobuf() {
    Random random = new Random(11);
    byte[] b = new byte[64];
    for (int i = 0; i < 500_000; i++) {
      for (int j = 0; j < b.length; j++) {
        b[j] = (byte) (random.nextInt(30) == 0 ? random.nextInt(256) : random.nextInt(128));
      }
      int from = random.nextInt(20);
      int to = from + random.nextInt(b.length - from + 1);
      boolean protobuf = ByteString.copyFrom(b, from, to - from).isValidUtf8();
      if (StrictUtf8.isValid(b, from, to) != protobuf) {
        throw new AssertionError(Arrays.toString(Arrays.copyOfRange(b, from, to)) + ": protobuf says " + protobuf);
      }
    }
  }

  private static void assertAgrees(byte[] b, int length) {
    boolean protobuf = ByteString.copyFrom(b, 0, length).isValidUtf8();
    if (StrictUtf8.isValid(b, 0, length) != protobuf) {
      throw new AssertionError(Arrays.toString(Arrays.copyOf(b, length)) + ": protobuf says " + protobuf);
    }
  }

  private static boolean parses(byte[] body) {
    try {
      ExportTraceServiceRequest.parseFrom(body);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
