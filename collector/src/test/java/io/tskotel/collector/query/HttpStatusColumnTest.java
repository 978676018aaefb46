package io.tskotel.collector.query;

import static io.tskotel.collector.query.QueryFixture.kv;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tskotel.collector.query.internal.ServiceSql;
import io.tskotel.exporter.ClickHouseStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Migration 9's {@code HttpStatus} column counts exactly the spans the two map lookups it replaced counted
 * ({@link ServiceSql#ERROR_COUNT} before it), for every threshold, span by span: in a part written before
 * the column existed (the engine computes it from the map when reading), in inserted parts, and after a
 * merge wrote the column into the part.
 */
class HttpStatusColumnTest {
  /** The error condition before migration 9, as {@link ServiceSql#ERROR_COUNT} read it from the map. */
  private static final String FROM_MAPS =
      "StatusCode IN ('Error', 'STATUS_CODE_ERROR')"
          + " OR toInt64OrZero(SpanAttributes['http.response.status_code']) >= {threshold:Int64}"
          + " OR toInt64OrZero(SpanAttributes['http.status_code']) >= {threshold:Int64}";

  private static final String FROM_COLUMN =
      "StatusCode IN ('Error', 'STATUS_CODE_ERROR') OR HttpStatus >= {threshold:Int64}";

  private static ClickHouseStore store;
  private static long ids = 1;

  @BeforeAll
  static void setUp() throws Exception {
    store = QueryFixture.newStore(HttpStatusColumnTest.class);
    Map<String, String> db = Map.of("db", store.config().database());
    // A part written before migration 9 (no HttpStatus in its files), then the column back, as an upgrade.
    store.engine().execute("ALTER TABLE {db:Identifier}.otel_traces DROP COLUMN HttpStatus", db);
    store.writeTraces(spans("old"));
    store.engine().execute(
        "ALTER TABLE {db:Identifier}.otel_traces ADD COLUMN HttpStatus Int64 MATERIALIZED"
            + " greatest(toInt64OrZero(SpanAttributes['http.response.status_code']),"
            + " toInt64OrZero(SpanAttributes['http.status_code'])) CODEC(ZSTD(1))", db);
    store.writeTraces(spans("new"));
  }

  @AfterAll
  static void tearDown() {
    QueryFixture.dispose(store);
  }

  /** Every combination of the two attributes' values (absent, ints, strings, odd text) and the status. */
  private static List<ResourceSpans> spans(String service) {
    List<List<KeyValue>> current = values("http.response.status_code");
    List<List<KeyValue>> old = values("http.status_code");
    List<Span> spans = new ArrayList<>();
    for (List<KeyValue> a : current) {
      for (List<KeyValue> b : old) {
        for (boolean error : List.of(false, true)) {
          long id = ids++;
          Span.Builder s = Span.newBuilder()
              .setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(8, id).array()))
              .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array()))
              .setName("GET /x")
              .setKind(Span.SpanKind.SPAN_KIND_SERVER)
              .setStartTimeUnixNano(QueryFixture.nanos(QueryFixture.NOW) + id)
              .setEndTimeUnixNano(QueryFixture.nanos(QueryFixture.NOW) + id + 1_000_000)
              .addAllAttributes(a)
              .addAllAttributes(b)
              .addAttributes(kv("http.route", "/x"));
          if (error) {
            s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
          }
          spans.add(s.build());
        }
      }
    }
    return List.of(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", service)))
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans))
        .build());
  }

  private static List<List<KeyValue>> values(String key) {
    List<List<KeyValue>> out = new ArrayList<>();
    out.add(List.of());
    for (long v : new long[] {0, 200, 399, 400, 404, 499, 500, 501, 503, 599, 600, -500, 99_999_999_999L}) {
      out.add(List.of(kv(key, v)));
    }
    for (String v : new String[] {"", "500", " 500", "500 ", "5e2", "abc", "404.0", "0x1F4"}) {
      out.add(List.of(kv(key, v)));
    }
    return out;
  }

  private long mismatches(int threshold) throws Exception {
    Map<String, Object> p = Map.of("db", store.config().database(), "threshold", (long) threshold);
    return io.tskotel.collector.query.internal.Values.toLong(store.query(
        "SELECT countIf((" + FROM_MAPS + ") != (" + FROM_COLUMN + ")) FROM {db:Identifier}.otel_traces", p)
        .rows().get(0).get(0));
  }

  private List<Object> counts(String condition, int threshold) throws Exception {
    Map<String, Object> p = Map.of("db", store.config().database(), "threshold", (long) threshold);
    return store.query("SELECT ServiceName, count(), countIf(" + condition + ") FROM {db:Identifier}.otel_traces"
        + " GROUP BY ServiceName ORDER BY ServiceName", p).rows().stream().map(r -> (Object) r).toList();
  }

  @Test
  void errorCount_columnEqualsMapLookups_everySpanEveryThreshold() throws Exception {
    for (boolean merged : List.of(false, true)) {
      if (merged) {
        store.engine().execute("OPTIMIZE TABLE {db:Identifier}.otel_traces FINAL",
            Map.of("db", store.config().database()));
      }
      for (int threshold : List.of(100, 400, 404, 499, 500, 501, 503, 599)) {
        assertThat(mismatches(threshold)).as("merged %s, threshold %d", merged, threshold).isZero();
        assertThat(counts(FROM_COLUMN, threshold)).isEqualTo(counts(FROM_MAPS, threshold));
      }
      // The fixture is not trivial: at 500 some spans fail by status, some by each attribute, some not at all.
      List<Object> at500 = counts(FROM_COLUMN, 500);
      assertThat(at500).hasSize(2);
      for (Object row : at500) {
        List<?> r = (List<?>) row;
        long all = io.tskotel.collector.query.internal.Values.toLong(r.get(1));
        long failed = io.tskotel.collector.query.internal.Values.toLong(r.get(2));
        assertThat(failed).isGreaterThan(all / 2).isLessThan(all);
      }
    }
    assertThat(ServiceSql.ERROR_COUNT).contains("HttpStatus").doesNotContain("SpanAttributes");
  }
}
