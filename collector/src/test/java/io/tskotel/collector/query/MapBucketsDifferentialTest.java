package io.tskotel.collector.query;

import static io.tskotel.collector.query.QueryFixture.NOW;
import static io.tskotel.collector.query.QueryFixture.kv;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An operator may store {@code otel_traces}' maps in buckets of keys once parts merge (migration 8 did it for
 * everyone until migration 11 took it back; docs/operations.md has the statement); readers must not see a
 * difference. The same spans go into a migrated store ({@code basic}) and into one given the buckets settings,
 * both are merged into one part (bucketed in the second) and then get a second, unmerged insert (basic in
 * both, as the parts an insert writes), and Grafana-style SQL and our functions must answer the same on
 * both: one key, whole maps with their key order, keys, filters, group-bys, reads that start inside a
 * granule and small blocks.
 */
class MapBucketsDifferentialTest {
  private static final Instant AT = NOW.plusMillis(25_500);
  private static ClickHouseStore buckets;
  private static ClickHouseStore basic;

  @BeforeAll
  static void setUp() throws Exception {
    buckets = QueryFixture.newStore(MapBucketsDifferentialTest.class);
    basic = QueryFixture.newStore(MapBucketsDifferentialTest.class);
    buckets.engine().execute("ALTER TABLE {db:Identifier}.otel_traces MODIFY SETTING map_serialization_version"
        + " = 'with_buckets', map_serialization_version_for_zero_level_parts = 'basic',"
        + " map_buckets_min_avg_size = 0", Map.of("db", buckets.config().database()));
    for (ClickHouseStore s : List.of(buckets, basic)) {
      s.writeTraces(spans(0, 3));
      s.writeTraces(spans(1, 3));
      s.engine().execute("OPTIMIZE TABLE {db:Identifier}.otel_traces FINAL", Map.of("db", s.config().database()));
      s.writeTraces(spans(2, 3));
    }
  }

  @AfterAll
  static void tearDown() {
    QueryFixture.dispose(buckets);
    QueryFixture.dispose(basic);
  }

  /**
   * Every third span of two services (from {@code third}), one each 0.3 s over the last 70 minutes: 0 to 24
   * attributes besides {@code http.route}, {@code tenant} and a status code, some keys absent in most rows,
   * one key whose value is empty, in an order that varies by row.
   */
  private static List<ResourceSpans> spans(int third, int of) {
    List<ResourceSpans> out = new ArrayList<>();
    for (String service : List.of("shop", "auth")) {
      List<Span> spans = new ArrayList<>();
      int i = 0;
      for (Instant t = AT.minus(Duration.ofMinutes(70)); !t.isAfter(AT); t = t.plusMillis(300), i++) {
        if (i % of != third) {
          continue;
        }
        long id = (service.equals("shop") ? 1L << 40 : 2L << 40) + i;
        Span.Builder b = Span.newBuilder()
            .setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(8, id / 5).array()))
            .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array()))
            .setName(service.equals("shop") ? "GET /a" : "login")
            .setKind(i % 11 == 0 ? Span.SpanKind.SPAN_KIND_CLIENT : Span.SpanKind.SPAN_KIND_SERVER)
            .setStartTimeUnixNano(QueryFixture.nanos(t))
            .setEndTimeUnixNano(QueryFixture.nanos(t) + (1 + (i * 13L) % 97) * 1_000_000L);
        if (i % 9 == 0) {
          b.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
        }
        int extra = (i * 7) % 25;
        for (int k = 0; k < extra; k++) {
          int key = (k * 5 + i) % 25;
          b.addAttributes(kv("attr.k" + key, key == 3 ? "" : "v" + ((i + key) % 13)));
        }
        b.addAttributes(kv("http.route", "/r" + i % 6));
        b.addAttributes(kv("tenant", "t" + i % 17));
        b.addAttributes(kv("http.response.status_code", i % 7 == 0 ? 500 : i % 7 == 1 ? 404 : 200));
        spans.add(b.build());
      }
      out.add(ResourceSpans.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(kv("service.name", service))
              .addAttributes(kv("host.name", service + "-1")))
          .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans))
          .build());
    }
    return out;
  }

  @Test
  void setUp_bucketsOnlyInTheOptedInStoresMergedPart() throws Exception {
    // (level, SpanAttributes substreams) per active part: the merged part of the opted-in table has more.
    List<List<Object>> b = parts(buckets);
    List<List<Object>> p = parts(basic);
    assertThat(b).hasSize(2);
    assertThat(p).hasSize(2);
    assertThat((Long) b.get(1).get(1)).as("level 1 (merged)").isGreaterThan((Long) p.get(1).get(1));
    assertThat(b.get(0)).as("level 0 (inserted): basic in both").isEqualTo(p.get(0));
  }

  private static List<List<Object>> parts(ClickHouseStore s) throws StoreException {
    return s.engine().query("SELECT toUInt64(p.level), toUInt64(length(c.substreams)) FROM system.parts AS p"
        + " INNER JOIN system.parts_columns AS c ON c.database = p.database AND c.table = p.table"
        + " AND c.name = p.name WHERE p.database = {db:String} AND p.table = 'otel_traces' AND p.active"
        + " AND c.active AND c.column = 'SpanAttributes' ORDER BY p.level",
        Map.of("db", s.config().database())).rows();
  }

  @Test
  void sql_grafanaStyleReads_sameAnswers() throws Exception {
    long from = QueryFixture.nanos(AT.minus(Duration.ofMinutes(40)).plusMillis(1234));
    long to = QueryFixture.nanos(AT.minus(Duration.ofMinutes(20)).plusMillis(567));
    String window = " FROM {db:Identifier}.otel_traces WHERE Timestamp >= fromUnixTimestamp64Nano({from:Int64})"
        + " AND Timestamp <= fromUnixTimestamp64Nano({to:Int64})";
    List<String> queries = List.of(
        "SELECT SpanAttributes['http.route'] AS r, count(), sum(Duration)" + window + " GROUP BY r ORDER BY r",
        "SELECT SpanId, toString(SpanAttributes), toString(ResourceAttributes)" + window + " ORDER BY SpanId",
        "SELECT SpanId, mapKeys(SpanAttributes), SpanAttributes.values" + window + " ORDER BY SpanId",
        "SELECT SpanId, SpanAttributes['attr.k3'], SpanAttributes['attr.k17'], SpanAttributes['absent']" + window
            + " ORDER BY SpanId",
        "SELECT count(), countIf(mapContains(SpanAttributes, 'attr.k3')), countIf(SpanAttributes['attr.k5'] = 'v7')"
            + window,
        "SELECT SpanId" + window + " AND SpanAttributes['tenant'] = 't4' AND SpanAttributes['attr.k9'] != ''"
            + " ORDER BY SpanId",
        "SELECT SpanAttributes['tenant'] AS t, uniqExact(SpanAttributes), max(length(SpanAttributes))" + window
            + " GROUP BY t ORDER BY t",
        "SELECT SpanId, SpanAttributes FROM {db:Identifier}.otel_traces ORDER BY SpanId",
        "SELECT SpanId, SpanAttributes['attr.k11'] FROM {db:Identifier}.otel_traces WHERE SpanId > {span:String}"
            + " ORDER BY Timestamp DESC, SpanId LIMIT 300");
    for (String sql : queries) {
      for (String settings : List.of("", " SETTINGS max_block_size = 37, max_threads = 1")) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("from", from);
        p.put("to", to);
        p.put("span", "0000010000000100");
        List<List<Object>> expected = rows(basic, sql + settings, p);
        assertThat(expected).as(sql).isNotEmpty();
        assertThat(rows(buckets, sql + settings, p)).as(sql + settings).isEqualTo(expected);
      }
    }
  }

  private static List<List<Object>> rows(ClickHouseStore s, String sql, Map<String, Object> params)
      throws StoreException {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("db", s.config().database());
    params.forEach((k, v) -> p.put(k, String.valueOf(v)));
    return s.engine().query(sql, p).rows();
  }

  @Test
  void functions_dashboardSearchAndTraces_sameAnswers() throws Exception {
    for (Instant at : List.of(AT, AT.minusSeconds(95), AT.minus(Duration.ofMinutes(33)).plusMillis(700))) {
      for (boolean rollups : List.of(true, false)) {
        assertThat(functions(buckets, at, rollups).dashboardData())
            .as("dashboard at %s, rollups %s", at, rollups)
            .isEqualTo(functions(basic, at, rollups).dashboardData());
      }
      assertThat(functions(buckets, at, true).latency(Duration.ofMinutes(7)))
          .isEqualTo(functions(basic, at, true).latency(Duration.ofMinutes(7)))
          .isNotEmpty();
      for (TraceSearch search : List.of(
          TraceSearch.builder().attr("tenant", "t4").build(),
          TraceSearch.builder().attr("tenant", "t4").attr("attr.k9", "v2").sort(TraceSearch.Sort.SLOWEST).build(),
          TraceSearch.builder().service("shop").error(true).limit(50).build())) {
        TracePage page = traces(basic, at).search(search);
        assertThat(page.items()).as("%s finds traces", search).isNotEmpty();
        assertThat(traces(buckets, at).search(search)).as("%s", search).isEqualTo(page);
        for (TraceSummary t : page.items().subList(0, Math.min(5, page.items().size()))) {
          assertThat(traces(buckets, at).trace(t.traceId())).isEqualTo(traces(basic, at).trace(t.traceId()));
        }
      }
    }
  }

  private static QueryFunctions functions(ClickHouseStore s, Instant at, boolean rollups) {
    return QueryFunctions.builder(s).clock(Clock.fixed(at, ZoneOffset.UTC))
        .config(QueryConfig.builder().database(s.config().database()).build()).rollups(rollups).build();
  }

  private static TraceQueries traces(ClickHouseStore s, Instant at) {
    return TraceQueries.create(s, Clock.fixed(at, ZoneOffset.UTC),
        QueryConfig.builder().database(s.config().database()).build());
  }
}
