package io.tskotel.exporter;

import static io.tskotel.exporter.testing.OtlpFixtures.T0;
import static io.tskotel.exporter.testing.OtlpFixtures.attr;
import static io.tskotel.exporter.testing.OtlpFixtures.nanos;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tskotel.exporter.testing.OtlpFixtures;
import io.tskotel.exporter.testing.TestStores;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Column types and odd input through the encoders, proven on the engine. */
class EncoderEdgeCasesTest {
  private static ClickHouseStore store;
  private static String db;

  @BeforeAll
  static void open() throws StoreException {
    // A small insert size, so large batches are sent as several inserts.
    store = TestStores.newStore(EncoderEdgeCasesTest.class, b -> b.maxInsertBytes(64 * 1024));
    db = store.config().database();
  }

  @AfterAll
  static void close() {
    store.close();
  }

  private static List<List<Object>> rows(String sql) throws StoreException {
    return store.engine().query(sql.replace("$db", "`" + db + "`"), Map.of()).rows();
  }

  private static ResourceSpans one(String service, Span span) {
    return ResourceSpans.newBuilder().setResource(OtlpFixtures.resource(service))
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)).build();
  }

  @Test
  void strings_emptyUnicodeAndOneMegabyte() throws StoreException {
    String big = "ü".repeat(512 * 1024); // 1 MiB of UTF-8
    Span s = Span.newBuilder().setTraceId(OtlpFixtures.id("11111111111111111111111111111111"))
        .setSpanId(OtlpFixtures.id("2222222222222222")).setName("")
        .setStartTimeUnixNano(nanos(T0)).setEndTimeUnixNano(nanos(T0) + 1)
        .addAttributes(attr("big", big)).addAttributes(attr("", "empty key"))
        .addAttributes(attr("emoji 😀", "日本語 \u0000 nul")).build();
    store.writeTraces(List.of(one("unicode ✓", s)));

    List<List<Object>> r = rows("SELECT SpanName, ServiceName, SpanAttributes['big'] = repeat('ü', 524288),"
        + " length(SpanAttributes['big']), SpanAttributes[''], SpanAttributes['emoji 😀'] FROM $db.otel_traces"
        + " WHERE TraceId = '11111111111111111111111111111111'");
    assertThat(r).containsExactly(List.of("", "unicode ✓", 1L, 1_048_576L, "empty key", "日本語 \u0000 nul"));
  }

  @Test
  void nanoseconds_keptAndNestedArraysEmpty() throws StoreException {
    Span s = Span.newBuilder().setTraceId(OtlpFixtures.id("33333333333333333333333333333333"))
        .setSpanId(OtlpFixtures.id("4444444444444444"))
        .setStartTimeUnixNano(nanos(T0) + 1).setEndTimeUnixNano(nanos(T0) + 2).build();
    store.writeTraces(List.of(one("ns", s)));
    assertThat(rows("SELECT toUnixTimestamp64Nano(Timestamp), Duration, Events.Name, Links.Attributes,"
        + " SpanKind, StatusCode FROM $db.otel_traces WHERE ServiceName = 'ns'"))
        .containsExactly(List.of(nanos(T0) + 1, 1L, List.of(), List.of(), "Unspecified", "Unset"));
  }

  @Test
  void oddInput_repairedAndCountedNeverThrown() throws StoreException {
    long before = store.stats().get("repaired.missing_service_name");
    Span s = Span.newBuilder()
        .setTraceId(ByteString.copyFrom(new byte[16])) // all zero: no trace
        .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3})) // wrong length: kept as hex
        .setStartTimeUnixNano(nanos(T0) + 10).setEndTimeUnixNano(nanos(T0)) // ends before it starts
        .setKindValue(42) // unknown enum value
        .addAttributes(attr("k", "first")).addAttributes(attr("k", "second"))
        .build();
    store.writeTraces(List.of(one(null, s)));
    assertThat(rows("SELECT TraceId, SpanId, Duration, SpanKind, ServiceName, SpanAttributes FROM $db.otel_traces"
        + " WHERE SpanId = '010203'"))
        .containsExactly(List.of("", "010203", 0L, "Unspecified", "unknown_service", Map.of("k", "first")));
    Map<String, Long> stats = store.stats();
    assertThat(stats.get("repaired.missing_service_name")).isEqualTo(before + 1);
    assertThat(stats.get("repaired.negative_duration")).isPositive();
    assertThat(stats.get("repaired.bad_span_id")).isPositive();
    assertThat(stats.get("repaired.unknown_enum_value")).isPositive();
    assertThat(stats.get("repaired.duplicate_attribute_keys")).isPositive();
  }

  @Test
  void metricWithoutData_skippedAndPointWithoutValueIsZero() throws StoreException {
    ResourceMetrics rm = ResourceMetrics.newBuilder().setResource(OtlpFixtures.resource("m-odd"))
        .addScopeMetrics(ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("nothing"))
            .addMetrics(Metric.newBuilder().setName("empty.point").setGauge(Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(nanos(T0))))))
        .build();
    store.writeMetrics(List.of(rm));
    assertThat(rows("SELECT MetricName, Value FROM $db.otel_metrics_gauge WHERE ServiceName = 'm-odd'"))
        .containsExactly(List.of("empty.point", 0.0));
    assertThat(store.stats().get("repaired.metric_without_data")).isPositive();
    assertThat(store.stats().get("repaired.point_without_value")).isPositive();
  }

  @Test
  void exemplarWithoutValue_isZeroAndCounted() throws StoreException {
    ResourceMetrics rm = ResourceMetrics.newBuilder().setResource(OtlpFixtures.resource("m-exemplar"))
        .addScopeMetrics(ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("g").setGauge(Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(nanos(T0)).setAsDouble(1)
                    .addExemplars(io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder()
                        .setTimeUnixNano(nanos(T0)))))))
        .build();
    long before = store.stats().get("repaired.point_without_value");
    store.writeMetrics(List.of(rm));
    assertThat(rows("SELECT Value, Exemplars.Value FROM $db.otel_metrics_gauge WHERE ServiceName = 'm-exemplar'"))
        .containsExactly(List.of(1.0, List.of(0.0)));
    assertThat(store.stats().get("repaired.point_without_value")).isEqualTo(before + 1);
  }

  @Test
  void largeBatch_severalBlocksOneInsertOnePartLosesNothing() throws StoreException {
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (int i = 0; i < 5_000; i++) {
      ss.addSpans(OtlpFixtures.span("5555555555555555555555555555" + String.format("%04x", i % 65536),
          String.format("%016x", i + 1), "", T0.plusNanos(i), 100));
    }
    ResourceSpans rs = ResourceSpans.newBuilder().setResource(OtlpFixtures.resource("bulk")).addScopeSpans(ss).build();
    store.engine().execute("SYSTEM STOP MERGES {db:Identifier}.otel_traces", Map.of("db", db));
    try {
      store.writeTraces(List.of(rs));
    } finally {
      store.engine().execute("SYSTEM START MERGES {db:Identifier}.otel_traces", Map.of("db", db));
    }
    // Several Native blocks of 64 KiB, one insert kept open: one part (merges stopped, so none joined them).
    assertThat(rows("SELECT count(), uniqExact(SpanId), sum(length(Events.Name)), uniqExact(_part) FROM $db.otel_traces"
        + " WHERE ServiceName = 'bulk'")).containsExactly(List.of(5_000L, 5_000L, 10_000L, 1L));
  }

  @Test
  void maps_storedInTheOrderClickHouseSortsTheirKeys() throws StoreException {
    // U+FF21 sorts before U+1F600 by code point (and UTF-8 bytes), after it by UTF-16 unit: the order a
    // naive String sort would give is not the engine's.
    List<String> keys = List.of("😀", "Ａ", "b", "a", "é", "");
    Span.Builder s = Span.newBuilder().setTraceId(OtlpFixtures.id("77777777777777777777777777777777"))
        .setSpanId(OtlpFixtures.id("8888888888888888")).setStartTimeUnixNano(nanos(T0));
    java.util.Map<String, String> labels = new java.util.HashMap<>();
    for (String k : keys) {
      s.addAttributes(attr(k, "v"));
      labels.put(k, "v");
    }
    store.writeTraces(List.of(one("sorted", s.build())));
    store.writeAlerts(List.of(new AlertRecord(T0, "sorted", "info", "m", 0, 0, labels)));

    List<List<Object>> r = rows("SELECT mapKeys(SpanAttributes) = arraySort(mapKeys(SpanAttributes)),"
        + " length(mapKeys(SpanAttributes)) FROM $db.otel_traces WHERE ServiceName = 'sorted'");
    assertThat(r).containsExactly(List.of(1L, 6L));
    r = rows("SELECT mapKeys(labels) = arraySort(mapKeys(labels)), length(mapKeys(labels))"
        + " FROM $db.tskotel_alerts WHERE type = 'sorted'");
    assertThat(r).containsExactly(List.of(1L, 6L));
  }

  @Test
  void bodyOfEveryValueType_storedAsString() throws StoreException {
    store.writeLogs(List.of(OtlpFixtures.logs("bodies",
        OtlpFixtures.log(T0, "x").toBuilder().setBody(AnyValue.newBuilder().setIntValue(7)).build(),
        OtlpFixtures.log(T0.plusNanos(1), "x").toBuilder().setBody(AnyValue.newBuilder()
            .setKvlistValue(io.opentelemetry.proto.common.v1.KeyValueList.newBuilder()
                .addValues(KeyValue.newBuilder().setKey("msg").setValue(AnyValue.newBuilder().setStringValue("<hi>")))))
            .build(),
        OtlpFixtures.log(T0.plusNanos(2), "x").toBuilder().clearBody().setTimeUnixNano(0).build())));
    assertThat(rows("SELECT Body, toUnixTimestamp64Nano(Timestamp) FROM $db.otel_logs WHERE ServiceName = 'bodies'"
        + " ORDER BY Timestamp, Body"))
        .containsExactly(List.of("7", nanos(T0)), List.of("{\"msg\":\"\\u003chi\\u003e\"}", nanos(T0) + 1),
            // No time: the observed time (time + 5 in the fixture, taken from the cleared record's own field)
            List.of("", nanos(T0) + 2 + 5));
  }
}
