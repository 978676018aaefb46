package io.tskotel.exporter.internal.encode;

import static io.tskotel.exporter.internal.encode.WireDifferential.assertSameLogs;
import static io.tskotel.exporter.internal.encode.WireDifferential.assertSameTraces;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WireEncodersTest {
  private static final long T0 = 1_700_000_000_000_000_000L;

  private static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  private static KeyValue kv(String k, AnyValue v) {
    return KeyValue.newBuilder().setKey(k).setValue(v).build();
  }

  private static KeyValue kv(String k, String v) {
    return kv(k, str(v));
  }

  /** Every kind of attribute value the schema renders, nested arrays and key-value lists included. */
  static List<KeyValue> everyValue() {
    AnyValue kvlist = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
        .addValues(kv("z", "last")).addValues(kv("a", AnyValue.newBuilder().setIntValue(-3).build()))
        .addValues(kv("a", "dup")).addValues(kv("<&>", str("\"q\"\n\u2028")))
        .addValues(KeyValue.newBuilder().setKey("unset"))).build();
    AnyValue array = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
        .addValues(str("s")).addValues(AnyValue.newBuilder().setBoolValue(true))
        .addValues(AnyValue.newBuilder().setDoubleValue(Double.NaN))
        .addValues(AnyValue.newBuilder().setDoubleValue(1.5e300))
        .addValues(AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {0, -1, 7})))
        .addValues(kvlist)
        .addValues(AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(AnyValue.getDefaultInstance())))
        .addValues(AnyValue.getDefaultInstance())).build();
    List<KeyValue> out = new ArrayList<>(List.of(
        kv("string", "v"), kv("empty", ""), kv("utf8", "é界\uD83D\uDE00"),
        kv("bool.true", AnyValue.newBuilder().setBoolValue(true).build()),
        kv("bool.false", AnyValue.newBuilder().setBoolValue(false).build()),
        kv("int", AnyValue.newBuilder().setIntValue(42).build()),
        kv("int.neg", AnyValue.newBuilder().setIntValue(-7).build()),
        kv("int.min", AnyValue.newBuilder().setIntValue(Long.MIN_VALUE).build()),
        kv("int.max", AnyValue.newBuilder().setIntValue(Long.MAX_VALUE).build()),
        kv("int.zero", AnyValue.newBuilder().setIntValue(0).build()),
        kv("bytes", AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hello?")).build()),
        kv("bytes.empty", AnyValue.newBuilder().setBytesValue(ByteString.EMPTY).build()),
        kv("array", array), kv("kvlist", kvlist),
        kv("array.empty", AnyValue.newBuilder().setArrayValue(ArrayValue.getDefaultInstance()).build()),
        kv("strindex", AnyValue.newBuilder().setStringValueStrindex(3).build()),
        kv("unset", AnyValue.getDefaultInstance()),
        KeyValue.newBuilder().setKey("no.value").build(),
        KeyValue.newBuilder().setValue(str("empty key")).build()));
    for (double d : new double[] {0.0, -0.0, 1.0, -2.5, 0.1, 1e-7, 1e-6, 123456789.125, 1e21, 1e15, 1e16,
        -1.5e-300, Double.MAX_VALUE, Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY}) {
      out.add(kv("double." + d, AnyValue.newBuilder().setDoubleValue(d).build()));
    }
    return out;
  }

  private static Span fullSpan(int i) {
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, (byte) i}))
        .setSpanId(ByteString.copyFrom(new byte[] {(byte) 0xAB, 0, 0, 0, 0, 0, 0, (byte) i}))
        .setParentSpanId(ByteString.copyFrom(new byte[8]))
        .setTraceState("vendor=a,other=b").setFlags(0x301).setName("GET /users/{id}")
        .setKind(Span.SpanKind.SPAN_KIND_SERVER).setStartTimeUnixNano(T0 + i).setEndTimeUnixNano(T0 + i + 1500)
        .addAllAttributes(List.of(kv("http.route", "/users/{id}"), kv("b", "1"), kv("a", "2"), kv("b", "dup")))
        .setDroppedAttributesCount(2).setDroppedEventsCount(3).setDroppedLinksCount(4)
        .addEvents(Span.Event.newBuilder().setTimeUnixNano(T0 + 10).setName("exception")
            .addAttributes(kv("exception.type", "IOException")).addAttributes(kv("exception.message", "boom"))
            .setDroppedAttributesCount(1))
        .addEvents(Span.Event.newBuilder())
        .addLinks(Span.Link.newBuilder().setTraceId(ByteString.copyFrom(new byte[16]))
            .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3})).setTraceState("k=v").setFlags(1)
            .addAttributes(kv("link", AnyValue.newBuilder().setIntValue(1).build())))
        .addLinks(Span.Link.newBuilder())
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("failed"))
        .build();
  }

  private static ResourceSpans resourceSpans(List<KeyValue> resource, Span... spans) {
    return ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAllAttributes(resource))
        .addScopeSpans(ScopeSpans.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("io.app").setVersion("1.2")
                .addAttributes(kv("scope.attr", "x")))
            .addAllSpans(List.of(spans)).setSchemaUrl("https://schema/1"))
        .setSchemaUrl("https://schema/r").build();
  }

  private static byte[] traces(ResourceSpans... rs) {
    return ExportTraceServiceRequest.newBuilder().addAllResourceSpans(List.of(rs)).build().toByteArray();
  }

  private static byte[] concat(Message... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Message m : parts) {
      out.writeBytes(m.toByteArray());
    }
    return out.toByteArray();
  }

  @Test
  void encode_everyValueKindEventsLinksStatusIdsAndRepairs_sameRowsAsTheObjectPath() {
    List<KeyValue> resource = new ArrayList<>(everyValue());
    resource.add(kv("service.name", "checkout"));
    Span weird = fullSpan(9).toBuilder()
        .setKindValue(42).setStatus(Status.newBuilder().setCodeValue(7))
        .setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3})) // wrong length: kept, counted
        .setSpanId(ByteString.copyFrom(new byte[8])) // zero: ""
        .setStartTimeUnixNano(-5).setEndTimeUnixNano(0) // past 2262, and end before start
        .addAllAttributes(everyValue()).build();
    Span zero = Span.newBuilder().build(); // nothing set: zero timestamps, empty ids
    WireDifferential.Outcome o = assertSameTraces(
        List.of(traces(resourceSpans(resource, fullSpan(1), weird, zero, fullSpan(2)))), T0 + 5);
    assertThat(o.rows()).isEqualTo(4);
    assertThat(o.expired()).isEqualTo(3); // fullSpan(1) and the zero span started before the cutoff
    assertThat(o.repairs()).containsEntry("duplicate_attribute_keys", 3L)
        .containsEntry("bad_trace_id", 1L).containsEntry("unknown_enum_value", 2L)
        .containsEntry("timestamp_out_of_range", 1L);
    assertThat(WireDifferential.lastParsedRequests).isZero(); // all on the wire, arrays and kvlists too
  }

  @Test
  void encode_missingAndEmptyResourceAndScope_sameRows() {
    byte[] bare = traces(
        ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(fullSpan(1))).build(),
        ResourceSpans.newBuilder().setResource(Resource.getDefaultInstance())
            .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.getDefaultInstance())
                .addSpans(fullSpan(2))).build(),
        ResourceSpans.newBuilder().setResource(Resource.newBuilder().addAttributes(kv("service.name", "")))
            .addScopeSpans(ScopeSpans.getDefaultInstance()).addScopeSpans(ScopeSpans.newBuilder()
                .addSpans(fullSpan(3))).build(),
        ResourceSpans.newBuilder().setResource(Resource.newBuilder()
            .addAttributes(kv("service.name", AnyValue.newBuilder().setIntValue(7).build()))
            .addAttributes(kv("service.name", "second"))).addScopeSpans(ScopeSpans.newBuilder()
                .addSpans(fullSpan(4))).build(),
        ResourceSpans.getDefaultInstance(), // no spans at all
        ResourceSpans.newBuilder().setResource(Resource.newBuilder().addAttributes(kv("service.name", "idle")))
            .build());
    WireDifferential.Outcome o = assertSameTraces(List.of(bare, new byte[0], traces()), Long.MIN_VALUE);
    assertThat(o.rows()).isEqualTo(4);
    assertThat(o.repairs()).containsEntry("missing_service_name", 3L);
    assertThat(WireDifferential.lastParsedRequests).isZero();
  }

  @Test
  void encode_keysInEveryOrderRepeatedAcrossSpans_sortedLikeAttributes() {
    // The same key sequences again and again (the remembered order), changed ones, long ones, non-ASCII.
    Random random = new Random(7);
    List<String> keys = List.of("z", "a", "é", "\uFF5E", "\uD83D\uDE00", "aa", "a", "", "b.c", "B");
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      Span.Builder s = Span.newBuilder().setName("s" + i);
      List<String> order = new ArrayList<>(keys);
      if (i % 3 == 0) {
        java.util.Collections.shuffle(order, random);
      }
      for (String k : order.subList(0, 1 + i % order.size())) {
        s.addAttributes(kv(k, "v" + i));
      }
      if (i % 10 == 0) {
        for (int j = 0; j < 80; j++) {
          s.addAttributes(kv("k" + ((j * 37) % 80), "long" + j));
        }
      }
      spans.add(s.build());
    }
    EncodeStats stats = new EncodeStats();
    WireSpanEncoder encoder = new WireSpanEncoder(stats); // one encoder: its memo carries over
    byte[] req = traces(resourceSpans(List.of(kv("service.name", "svc")), spans.toArray(Span[]::new)));
    for (int round = 0; round < 3; round++) {
      EncodeStats before = new EncodeStats();
      before.add(stats);
      WireDifferential.Outcome wire = WireDifferential.wireTraces(encoder, stats, List.of(req), 0);
      WireDifferential.Outcome object = WireDifferential.objectTraces(List.of(req), 0);
      assertThat(wire.rowBinaryHex()).isEqualTo(object.rowBinaryHex());
      assertThat(stats.snapshot().get("duplicate_attribute_keys") - before.snapshot().get("duplicate_attribute_keys"))
          .isEqualTo(object.repairs().get("duplicate_attribute_keys"));
    }
  }

  @Test
  void encode_fieldsOutOfOrderAndLastOneWins_sameRows() {
    // Concatenated messages are one message to protobuf: later scalars win, repeated fields append.
    Span a = fullSpan(1);
    byte[] reversed = concat(
        Span.newBuilder().setStatus(a.getStatus()).build(),
        Span.newBuilder().addLinks(a.getLinks(0)).build(),
        Span.newBuilder().addEvents(a.getEvents(0)).build(),
        Span.newBuilder().addAttributes(a.getAttributes(0)).build(),
        Span.newBuilder().setEndTimeUnixNano(a.getEndTimeUnixNano()).build(),
        Span.newBuilder().setStartTimeUnixNano(a.getStartTimeUnixNano()).build(),
        Span.newBuilder().setKind(a.getKind()).build(),
        Span.newBuilder().setName("first").build(),
        Span.newBuilder().setName("second wins").setTraceId(a.getTraceId()).build(),
        Span.newBuilder().setParentSpanId(a.getSpanId()).setSpanId(a.getSpanId()).build(),
        Span.newBuilder().setTraceId(ByteString.copyFrom(new byte[] {9, 9})).build(),
        Span.newBuilder().addAttributes(a.getAttributes(1)).setKindValue(3).build());
    byte[] scope = concat(
        ScopeSpans.newBuilder().addSpans(Span.newBuilder().setName("before scope")).build(),
        ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("late")).build());
    ByteArrayOutputStream scopeWithRaw = new ByteArrayOutputStream();
    scopeWithRaw.writeBytes(scope);
    scopeWithRaw.writeBytes(lengthDelimited(2, reversed)); // a span as raw bytes
    byte[] rs = concat(
        ResourceSpans.newBuilder().setSchemaUrl("a").build(),
        ResourceSpans.newBuilder().setSchemaUrl("b").build());
    ByteArrayOutputStream rsBytes = new ByteArrayOutputStream();
    rsBytes.writeBytes(lengthDelimited(2, scopeWithRaw.toByteArray()));
    rsBytes.writeBytes(rs);
    rsBytes.writeBytes(lengthDelimited(1,
        Resource.newBuilder().addAttributes(kv("service.name", "after spans")).build().toByteArray()));
    byte[] request = lengthDelimited(1, rsBytes.toByteArray());
    WireDifferential.Outcome o = assertSameTraces(List.of(request), 0);
    assertThat(o.rows()).isEqualTo(2);
    assertThat(WireDifferential.lastParsedRequests).isZero();
  }

  @Test
  void encode_messageFieldsSentTwice_mergedAsProtobufDoes() {
    // Status, scope, resource, a value sent twice: protobuf merges them; the encoder defers to the parser.
    byte[] span = concat(
        Span.newBuilder().setStatus(Status.newBuilder().setCodeValue(2)).build(),
        Span.newBuilder().setStatus(Status.newBuilder().setMessage("merged")).build());
    byte[] kvTwice = concat(KeyValue.newBuilder().setKey("k").setValue(str("one")).build(),
        KeyValue.newBuilder().setValue(AnyValue.newBuilder().setIntValue(2)).build());
    byte[] spanWithKv = lengthDelimited(9, kvTwice);
    for (byte[] s : List.of(span, spanWithKv)) {
      byte[] scope = lengthDelimited(2, s);
      byte[] req = lengthDelimited(1, lengthDelimited(2, scope));
      assertThat(assertSameTraces(List.of(req), 0).rows()).isEqualTo(1);
    }
    byte[] scopeTwice = concat(
        ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("n")).addSpans(fullSpan(1)).build(),
        ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setVersion("v")).build());
    byte[] resourceTwice = concat(
        ResourceSpans.newBuilder().setResource(Resource.newBuilder().addAttributes(kv("a", "1"))).build(),
        ResourceSpans.newBuilder().setResource(Resource.newBuilder().addAttributes(kv("service.name", "s")))
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(fullSpan(2))).build());
    assertThat(assertSameTraces(List.of(
        lengthDelimited(1, lengthDelimited(2, scopeTwice)), lengthDelimited(1, resourceTwice),
        traces(resourceSpans(List.of(), fullSpan(3)))), 0).rows()).isEqualTo(3);
  }

  @Test
  void encode_unknownFieldsAndWrongWireTypes_skippedAsProtobufDoes() {
    UnknownFieldSet unknown = UnknownFieldSet.newBuilder()
        .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(5).addFixed32(6).addFixed64(7)
            .addLengthDelimited(ByteString.copyFromUtf8("\u00ff\u0000 not utf8 needed")).build())
        // Known field numbers with the wrong wire type are unknown fields to protobuf.
        .addField(5, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
        .addField(7, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("x")).build())
        .addField(1, UnknownFieldSet.Field.newBuilder().addFixed32(1).build())
        .build();
    Span span = fullSpan(1).toBuilder().setUnknownFields(unknown)
        .setEvents(0, fullSpan(1).getEvents(0).toBuilder().setUnknownFields(unknown))
        .setStatus(fullSpan(1).getStatus().toBuilder().setUnknownFields(unknown))
        .setAttributes(0, fullSpan(1).getAttributes(0).toBuilder().setUnknownFields(unknown)
            .setValue(str("v").toBuilder().setUnknownFields(unknown)))
        .build();
    ResourceSpans rs = resourceSpans(List.of(kv("service.name", "s")), span).toBuilder().setUnknownFields(unknown)
        .build();
    byte[] req = ExportTraceServiceRequest.newBuilder().addResourceSpans(rs).setUnknownFields(unknown).build()
        .toByteArray();
    assertThat(assertSameTraces(List.of(req), 0).rows()).isEqualTo(1);
    assertThat(WireDifferential.lastParsedRequests).isZero();
    UnknownFieldSet group = UnknownFieldSet.newBuilder().addField(50, UnknownFieldSet.Field.newBuilder()
        .addGroup(unknown).build()).build();
    byte[] withGroup = traces(resourceSpans(List.of(), fullSpan(2).toBuilder().setUnknownFields(group).build()));
    assertThat(assertSameTraces(List.of(withGroup), 0).rows()).isEqualTo(1); // the parser's path, same rows
  }

  @Test
  void encode_malformedRequest_permanentErrorLikeTheParse() {
    byte[] valid = traces(resourceSpans(List.of(kv("service.name", "s")), fullSpan(1), fullSpan(2)));
    List<byte[]> bad = new ArrayList<>();
    bad.add(Arrays.copyOf(valid, valid.length - 3)); // truncated inside a span
    byte[] invalidUtf8 = traces(resourceSpans(List.of(), Span.newBuilder().setName("NAME").build()));
    int at = indexOf(invalidUtf8, "NAME".getBytes());
    invalidUtf8[at] = (byte) 0xC0; // an overlong form: not UTF-8
    bad.add(invalidUtf8);
    byte[] keyUtf8 = traces(resourceSpans(List.of(kv("KEY", "v"))));
    keyUtf8[indexOf(keyUtf8, "KEY".getBytes())] = (byte) 0xED;
    bad.add(keyUtf8); // in a resource without spans: still refused
    byte[] keyTwice = concat(KeyValue.newBuilder().setKey("KEY").build(), kv("ok", "v"));
    keyTwice[indexOf(keyTwice, "KEY".getBytes())] = (byte) 0xFF;
    bad.add(lengthDelimited(1, lengthDelimited(2, lengthDelimited(2, lengthDelimited(9, keyTwice)))));
    bad.add(new byte[] {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}); // a length past the end
    bad.add(new byte[] {0x00}); // field 0
    bad.add(new byte[] {0x0C}); // an end-group tag
    AnyValue deep = str("x");
    for (int i = 0; i < 60; i++) {
      deep = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(deep)).build();
    }
    // Too deep for the parser, in a repeated key's value that is not stored: refused all the same.
    bad.add(traces(resourceSpans(List.of(kv("k", "first"), kv("k", deep)), fullSpan(1))));
    for (byte[] b : bad) {
      assertThat(assertSameTraces(List.of(valid, b), 0).refused()).isTrue();
    }
  }

  @Test
  void encode_logsEveryBodyKindSeverityFlagsAndTimes_sameRowsAsTheObjectPath() {
    List<LogRecord> records = new ArrayList<>();
    for (KeyValue v : everyValue()) {
      records.add(LogRecord.newBuilder().setTimeUnixNano(T0).setBody(v.getValue()).setSeverityText("INFO")
          .setSeverityNumberValue(9).build());
    }
    records.add(LogRecord.newBuilder().setObservedTimeUnixNano(T0 + 3).setSeverityNumberValue(300)
        .setFlags(0x1FF).setTraceId(fullSpan(1).getTraceId()).setSpanId(ByteString.copyFrom(new byte[5]))
        .setEventName("evt").addAllAttributes(everyValue()).setDroppedAttributesCount(3).build());
    records.add(LogRecord.newBuilder().setSeverityNumberValue(-1).setTimeUnixNano(-1).build());
    records.add(LogRecord.getDefaultInstance());
    ResourceLogs rl = ResourceLogs.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", "svc")).addAttributes(kv("b", "1"))
            .addAttributes(kv("a", "1")).addAttributes(kv("a", "dup")))
        .addScopeLogs(ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder().setName("sc")
                .setVersion("1").addAttributes(kv("y", "1")).addAttributes(kv("x", "2")).addAttributes(kv("x", "3")))
            .addAllLogRecords(records).setSchemaUrl("scope-url"))
        .addScopeLogs(ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder()
            .addAttributes(kv("q", "1")).addAttributes(kv("q", "not counted: no records"))))
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder().setBody(str("bare"))))
        .setSchemaUrl("resource-url").build();
    byte[] req = ExportLogsServiceRequest.newBuilder().addResourceLogs(rl)
        .addResourceLogs(ResourceLogs.getDefaultInstance())
        .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(ScopeLogs.newBuilder().addLogRecords(
            LogRecord.newBuilder().setBody(str("no resource")))))
        .build().toByteArray();
    byte[] bodyTwice = lengthDelimited(1, lengthDelimited(2, lengthDelimited(2, concat(
        LogRecord.newBuilder().setBody(str("one")).build(),
        LogRecord.newBuilder().setBody(AnyValue.newBuilder().setIntValue(5)).build()))));
    byte[] outOfOrder = lengthDelimited(1, concat(
        ResourceLogs.newBuilder().addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder()
            .setBody(str("x"))).setSchemaUrl("s1")).build(),
        ResourceLogs.newBuilder().setSchemaUrl("r2").setResource(Resource.newBuilder()
            .addAttributes(kv("service.name", "late"))).build()));
    WireDifferential.Outcome o = assertSameLogs(List.of(req, bodyTwice, outOfOrder), T0 + 1);
    assertThat(o.rows()).isEqualTo(records.size() + 4);
    assertThat(o.repairs()).containsEntry("duplicate_attribute_keys", 2L)
        .containsEntry("unknown_enum_value", 2L).containsEntry("missing_service_name", 2L);
    assertThat(WireDifferential.lastParsedRequests).isEqualTo(1); // only the body sent twice
    byte[] truncated = Arrays.copyOf(req, req.length - 2);
    assertThat(assertSameLogs(List.of(truncated), 0).refused()).isTrue();
  }

  @Test
  void encode_requestGivenUpHalfWay_leavesNoPartialRows() {
    // A merged status in the second span makes the encoder drop what it wrote of the request and
    // write the parser's rows instead: the output must still be exactly the object path's.
    byte[] merged = concat(
        Span.newBuilder().setStatus(Status.newBuilder().setCodeValue(1)).build(),
        Span.newBuilder().setStatus(Status.newBuilder().setMessage("m")).build());
    byte[] req = lengthDelimited(1, concatBytes(
        lengthDelimited(2, ScopeSpans.newBuilder().addSpans(fullSpan(1)).build().toByteArray()),
        lengthDelimited(2, lengthDelimited(2, merged))));
    assertThat(assertSameTraces(List.of(traces(resourceSpans(List.of(), fullSpan(5))), req), 0).rows())
        .isEqualTo(3);
    assertThat(WireDifferential.lastParsedRequests).isEqualTo(1);
  }

  @Test
  void encode_metricsOfEveryTypeExemplarsPackedAndUnpacked_sameRowsAsTheObjectPath() {
    Exemplar exemplar = Exemplar.newBuilder().setTimeUnixNano(T0).setAsDouble(2.5)
        .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .setTraceId(ByteString.copyFrom(new byte[16])).addFilteredAttributes(kv("b", "1"))
        .addFilteredAttributes(kv("a", "2")).build();
    Exemplar intExemplar = Exemplar.newBuilder().setAsInt(-3).setTraceId(ByteString.copyFrom(new byte[] {9})).build();
    UnknownFieldSet unpacked = UnknownFieldSet.newBuilder()
        .addField(6, UnknownFieldSet.Field.newBuilder().addFixed64(77).addFixed64(78).build())
        .addField(7, UnknownFieldSet.Field.newBuilder().addFixed64(Double.doubleToRawLongBits(-0.0)).build())
        .build();
    List<Metric> metrics = List.of(
        Metric.newBuilder().setName("gauge").setDescription("d").setUnit("ms")
            .setGauge(Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(1.5).setTimeUnixNano(T0)
                    .setStartTimeUnixNano(T0 - 1).addAllAttributes(everyValue()).addExemplars(exemplar)
                    .addExemplars(intExemplar).addExemplars(Exemplar.getDefaultInstance()).setFlags(1))
                .addDataPoints(NumberDataPoint.newBuilder().setAsInt(-42).setTimeUnixNano(T0 + 9))
                .addDataPoints(NumberDataPoint.getDefaultInstance()))
            .addMetadata(kv("meta", "x")).build(),
        Metric.newBuilder().setName("sum").setSum(Sum.newBuilder().setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(Double.NaN).addAttributes(kv("k", "v")))).build(),
        Metric.newBuilder().setName("hist").setHistogram(Histogram.newBuilder().setAggregationTemporalityValue(9)
            .addDataPoints(HistogramDataPoint.newBuilder().setCount(7).setSum(12.25).addBucketCounts(1)
                .addBucketCounts(6).addExplicitBounds(0.5).addExplicitBounds(Double.NEGATIVE_INFINITY)
                .setMin(-1).setMax(1e300).setFlags(3).addExemplars(exemplar).setUnknownFields(unpacked))
            .addDataPoints(HistogramDataPoint.getDefaultInstance())).build(),
        Metric.newBuilder().setName("exp").setExponentialHistogram(ExponentialHistogram.newBuilder()
            .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setScale(-3).setZeroCount(2).setCount(9)
                .setSum(1.0).setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(-5)
                    .addBucketCounts(1).addBucketCounts(300).addBucketCounts(Long.MAX_VALUE))
                .setNegative(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(4))
                .setZeroThreshold(0.1).setMin(0).setMax(8).addExemplars(intExemplar))
            .addDataPoints(ExponentialHistogramDataPoint.getDefaultInstance())).build(),
        Metric.newBuilder().setName("summary").setSummary(Summary.newBuilder()
            .addDataPoints(SummaryDataPoint.newBuilder().setCount(3).setSum(-0.0).addQuantileValues(
                SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(10))
                .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(99))
                .addQuantileValues(SummaryDataPoint.ValueAtQuantile.getDefaultInstance()))).build(),
        Metric.newBuilder().setName("no data").build(),
        Metric.newBuilder().setName("no points").setGauge(Gauge.getDefaultInstance()).build());
    ResourceMetrics rm = ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", "m")).addAttributes(kv("z", "1"))
            .addAttributes(kv("z", "dup")))
        .addScopeMetrics(ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName("s")
                .setVersion("v").setDroppedAttributesCount(7).addAttributes(kv("sa", "1")))
            .addAllMetrics(metrics).setSchemaUrl("scope-url"))
        .addScopeMetrics(ScopeMetrics.getDefaultInstance())
        .setSchemaUrl("res-url").build();
    byte[] req = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(rm)
        .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder()
            .addMetrics(metrics.get(1)))).build().toByteArray();
    WireDifferential.Outcome o = WireDifferential.assertSameMetrics(List.of(req), T0 + 5);
    assertThat(o.rows()).isEqualTo(3 + 1 + 2 + 2 + 1 + 1);
    assertThat(WireDifferential.lastParsedRequests).isZero();
    assertThat(o.repairs()).containsEntry("metric_without_data", 1L).containsEntry("point_without_value", 2L);
    // Data sent twice (merged by protobuf), a packed field of odd length, truncation: the parser decides.
    byte[] twice = lengthDelimited(1, lengthDelimited(2, lengthDelimited(2, concat(
        Metric.newBuilder().setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsInt(1)))
            .build(),
        Metric.newBuilder().setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsInt(2)))
            .build()))));
    assertThat(WireDifferential.assertSameMetrics(List.of(req, twice), 0).rows()).isEqualTo(12);
    byte[] oddPacked = lengthDelimited(1, lengthDelimited(2, lengthDelimited(2, lengthDelimited(9,
        lengthDelimited(1, lengthDelimited(6, new byte[] {1, 2, 3}))))));
    assertThat(WireDifferential.assertSameMetrics(List.of(req, oddPacked), 0).refused()).isTrue();
    assertThat(WireDifferential.assertSameMetrics(List.of(Arrays.copyOf(req, req.length - 1)), 0).refused())
        .isTrue();
  }

  private static byte[] concatBytes(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** A length-delimited field: tag, length, bytes. */
  static byte[] lengthDelimited(int field, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeVarint(out, field << 3 | 2);
    writeVarint(out, content.length);
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static void writeVarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
