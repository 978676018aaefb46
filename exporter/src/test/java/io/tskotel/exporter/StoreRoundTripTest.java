package io.tskotel.exporter;

import static io.tskotel.exporter.testing.OtlpFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tskotel.exporter.testing.OtlpFixtures;
import io.tskotel.exporter.testing.TestStores;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** For each signal: OTLP objects written through the store and read back from chDB, field by field. */
class StoreRoundTripTest {
  private static ClickHouseStore store;
  private static String db;

  @BeforeAll
  static void open() throws StoreException {
    store = TestStores.newStore(StoreRoundTripTest.class);
    db = store.config().database();
  }

  @AfterAll
  static void close() {
    store.close();
  }

  private static List<List<Object>> rows(String sql, Map<String, ?> params) throws StoreException {
    return store.query(sql.replace("$db", "`" + db + "`"), params).rows();
  }

  private static Map<String, String> map(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static final Map<String, String> SPAN_ATTRIBUTES = map(
      "blob", "aGk=", "cached", "true", "ctx", "{\"a\":\"2\",\"z\":\"1\"}", "http.route", "/orders/{id}",
      "http.status_code", "200", "ratio", "0.5", "tags", "[\"a\",2]");

  @Test
  void writeTraces_readBackEqual() throws StoreException {
    ResourceSpans rs = OtlpFixtures.sampleTraces();
    store.writeTraces(List.of(rs));

    List<List<Object>> r = rows("SELECT Timestamp, TraceId, SpanId, ParentSpanId, TraceState, SpanName, SpanKind,"
        + " ServiceName, ResourceAttributes, ScopeName, ScopeVersion, SpanAttributes, Duration, StatusCode,"
        + " StatusMessage, Events.Timestamp, Events.Name, Events.Attributes, Links.TraceId, Links.SpanId,"
        + " Links.TraceState, Links.Attributes FROM $db.otel_traces ORDER BY Timestamp", Map.of());

    assertThat(r).hasSize(2);
    Span s0 = rs.getScopeSpans(0).getSpans(0);
    assertThat(r.get(0)).containsExactly(
        T0, "5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174", "", "vendor=a", s0.getName(), "Server",
        "checkout", map("deployment.environment", "test", "host.name", "h1", "service.name", "checkout"),
        "io.tskotel.test", "1.2.3", SPAN_ATTRIBUTES, 1_234_567L, "Error", "failed",
        List.of(T0.plusNanos(1), T0.plusNanos(999)), List.of("cache.miss", "exception"),
        List.of(map("key", "order:1"), map("exception.message", "boom ✗", "exception.type", "E")),
        List.of("0af7651916cd43dd8448eb211c80319c"), List.of("b7ad6b7169203331"), List.of("k=v"),
        List.of(map("link.kind", "follows")));
    assertThat(r.get(1).get(0)).isEqualTo(T0.plusNanos(7));
    assertThat(r.get(1).get(3)).isEqualTo("eee19b7ec3c1b174");
    assertThat(r.get(1).get(12)).isEqualTo(5L);
    // Map keys come back in the sorted order they were written in.
    @SuppressWarnings("unchecked")
    Map<String, String> attrs = (Map<String, String>) r.get(0).get(11);
    assertThat(attrs.keySet()).containsExactly("blob", "cached", "ctx", "http.route", "http.status_code", "ratio", "tags");

    // The materialized view filled the trace lookup table.
    assertThat(rows("SELECT TraceId, min(Start), max(End) FROM $db.otel_traces_trace_id_ts GROUP BY TraceId",
        Map.of())).containsExactly(List.of("5b8efff798038103d269b633813fc60c",
            Instant.ofEpochSecond(T0.getEpochSecond()), Instant.ofEpochSecond(T0.getEpochSecond())));
  }

  @Test
  void writeLogs_readBackEqual() throws StoreException {
    Instant t = T0.plusSeconds(5);
    store.writeLogs(List.of(OtlpFixtures.logs("billing", OtlpFixtures.log(t, "card declined: 4242"))));

    List<List<Object>> r = rows("SELECT Timestamp, TraceId, SpanId, TraceFlags, SeverityText, SeverityNumber,"
        + " ServiceName, Body, ResourceSchemaUrl, ResourceAttributes, ScopeSchemaUrl, ScopeName, ScopeVersion,"
        + " ScopeAttributes, LogAttributes, EventName, TimestampTime FROM $db.otel_logs"
        + " WHERE ServiceName = {svc:String}", Map.of("svc", "billing"));

    assertThat(r).containsExactly(List.of(t, "5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174", 1L, "WARN",
        13L, "billing", "card declined: 4242", "https://opentelemetry.io/schemas/1.29.0",
        map("host.name", "h1", "service.name", "billing"), "https://opentelemetry.io/schemas/1.30.0",
        "io.tskotel.test", "1.2.3", map("scope.attr", "s"), map("code.function", "pay", "user.id", "42"),
        "payment.declined", Instant.ofEpochSecond(t.getEpochSecond())));
  }

  @Test
  void writeMetrics_everyPointTypeReadBackEqual() throws StoreException {
    store.writeMetrics(List.of(OtlpFixtures.sampleMetrics("inventory")));
    Instant start = T0.minusSeconds(60);
    List<Object> common = List.of(map("host.name", "h1", "service.name", "inventory"),
        "https://opentelemetry.io/schemas/1.29.0", "io.tskotel.test", "1.2.3", map("scope.attr", "s"), 2L,
        "https://s/1", "inventory");
    String commonCols = "ResourceAttributes, ResourceSchemaUrl, ScopeName, ScopeVersion, ScopeAttributes,"
        + " ScopeDroppedAttrCount, ScopeSchemaUrl, ServiceName";
    String exemplarCols = "Exemplars.FilteredAttributes, Exemplars.TimeUnix, Exemplars.Value,"
        + " Exemplars.SpanId, Exemplars.TraceId";
    String trace = "5b8efff798038103d269b633813fc60c";
    String span = "eee19b7ec3c1b174";

    List<List<Object>> gauge = rows("SELECT " + commonCols + ", MetricName, MetricDescription, MetricUnit,"
        + " Attributes, StartTimeUnix, TimeUnix, Value, Flags, " + exemplarCols + " FROM $db.otel_metrics_gauge",
        Map.of());
    assertThat(gauge).hasSize(1);
    assertThat(gauge.get(0).subList(0, 8)).isEqualTo(common);
    assertThat(gauge.get(0).subList(8, gauge.get(0).size())).containsExactly("queue.depth", "items waiting",
        "{item}", map("queue", "orders"), start, T0, 17.0, 0L, List.of(map("exemplar.attr", "x")),
        List.of(T0.minusNanos(3)), List.of(16.5), List.of(span), List.of(trace));

    assertThat(rows("SELECT MetricName, Attributes, StartTimeUnix, TimeUnix, Value, Flags, AggregationTemporality,"
        + " IsMonotonic, length(Exemplars.Value) FROM $db.otel_metrics_sum", Map.of()))
        .containsExactly(List.of("http.requests", map("method", "GET", "route", "/a"), start, T0, 1234.5, 1L, 2L,
            true, 0L));

    assertThat(rows("SELECT MetricName, MetricUnit, TimeUnix, Count, Sum, BucketCounts, ExplicitBounds, "
        + exemplarCols + ", Flags, Min, Max, AggregationTemporality FROM $db.otel_metrics_histogram", Map.of()))
        .containsExactly(List.of("http.duration", "ms", T0, 6L, 42.25, List.of(1L, 3L, 2L), List.of(5.0, 10.0),
            List.of(map("exemplar.attr", "x"), map("exemplar.attr", "x")),
            List.of(T0.minusNanos(1), T0.minusNanos(2)), List.of(7.0, 19.0), List.of(span, span),
            List.of(trace, trace), 0L, 0.5, 20.0, 1L));

    assertThat(rows("SELECT MetricName, Count, Sum, Scale, ZeroCount, PositiveOffset, PositiveBucketCounts,"
        + " NegativeOffset, NegativeBucketCounts, Exemplars.Value, Exemplars.TimeUnix, Min, Max,"
        + " AggregationTemporality FROM $db.otel_metrics_exponential_histogram", Map.of()))
        .containsExactly(List.of("rpc.size", 10L, 999.0, 3L, 1L, -2L, List.of(4L, 5L), 1L, List.of(0L),
            List.of(12.0), List.of(T0), 0.0, 300.0, 2L));

    assertThat(rows("SELECT MetricName, StartTimeUnix, TimeUnix, Count, Sum, ValueAtQuantiles.Quantile,"
        + " ValueAtQuantiles.Value, Flags FROM $db.otel_metrics_summary", Map.of()))
        .containsExactly(List.of("gc.pause", start, T0, 3L, 0.75, List.of(0.5, 0.99), List.of(0.2, 0.4), 0L));

    assertThat(store.stats()).containsEntry("rows_written.otel_metrics_exponential_histogram", 1L);
  }

  @Test
  void writeAlerts_readBackEqual() throws StoreException {
    AlertRecord a = new AlertRecord(T0, "threshold", "critical", "error rate 7% > 5%", 0.07, 0.05,
        Map.of("service", "checkout", "env", "prod"));
    store.writeAlerts(List.of(a));
    assertThat(rows("SELECT timestamp, type, severity, message, value, threshold, labels FROM $db.tskotel_alerts"
        + " WHERE type = 'threshold'",
        Map.of())).containsExactly(List.of(T0, "threshold", "critical", "error rate 7% > 5%", 0.07, 0.05,
            map("env", "prod", "service", "checkout")));
  }

  @Test
  void writeAlerts_transitionColumns_readBackEqual() throws StoreException {
    Instant resolved = T0.plusSeconds(90);
    store.writeAlerts(List.of(
        new AlertRecord(T0, "state_columns", "warning", "m", 91, 80, Map.of(), "firing", "0123456789abcdef", T0, null),
        new AlertRecord(resolved, "state_columns", "warning", "m", 12, 80, Map.of(), "resolved", "0123456789abcdef",
            T0, resolved)));
    assertThat(rows("SELECT state, fingerprint, started_at, resolved_at FROM $db.tskotel_alerts"
        + " WHERE type = 'state_columns' ORDER BY timestamp",
        Map.of())).containsExactly(
            List.of("firing", "0123456789abcdef", T0, Instant.EPOCH),
            List.of("resolved", "0123456789abcdef", T0, resolved));
  }

  @Test
  void query_typedParamsBindRoundTrip() throws StoreException {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("s", "tab\there, quote ' and back\\slash\nnewline ✓");
    p.put("l", Long.MIN_VALUE);
    p.put("d", 0.1);
    p.put("t", Instant.parse("2026-01-02T03:04:05.000000007Z"));
    p.put("dur", java.time.Duration.ofNanos(1_500));
    p.put("names", List.of("a'b", "c\\d", ""));
    p.put("b", true);
    p.put("u", new BigInteger("18446744073709551615"));
    List<List<Object>> r = store.query("SELECT {s:String}, {l:Int64}, {d:Float64}, {t:DateTime64(9)},"
        + " {dur:UInt64}, {names:Array(String)}, {b:Bool}, {u:UInt64}", p).rows();
    assertThat(r).containsExactly(List.of(p.get("s"), Long.MIN_VALUE, 0.1, p.get("t"), 1500L,
        List.of("a'b", "c\\d", ""), true, new BigInteger("18446744073709551615")));
  }

  @Test
  void query_isReadOnly() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> store.query("DROP TABLE `" + db + "`.otel_traces", Map.of()))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse());
  }

  @Test
  void health_reportsVersion() {
    StoreHealth h = store.health();
    assertThat(h.healthy()).isTrue();
    assertThat(h.detail()).startsWith("embedded ClickHouse 2");
  }
}
