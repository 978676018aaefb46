package io.tskotel.collector.query;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Traces and logs with known answers for the explorer, around {@link QueryFixture#NOW} (stores from {@link
 * QueryFixture#newStore} have no TTL). Ids are readable hex: trace {@code a…} is {@link #CART}, and so on.
 *
 * <ul>
 *   <li>{@link #CART} (10 min ago): checkout "GET /cart" server root a1 (40 ms, http.route /cart, tenant=acme)
 *       → a2 checkout "SELECT cart" client (+2 ms, 10 ms) and a3 payments "charge" server (+15 ms, 20 ms,
 *       Error "card expired", event "exception" at +18 ms, link to {@link #STOCK}/b1) → a4 payments "db"
 *       internal (+16 ms, 5 ms). Written child first, over two writes; a3 twice (a duplicate delivery).
 *   <li>{@link #STOCK} (20 min ago): inventory "GET /stock" server b1, 300 ms, resource deployment.environment
 *       prod.
 *   <li>{@link #FAST} (5 min ago): checkout "GET /cart" server c1, 5 ms, HTTP status 500 (failed, status Unset).
 *   <li>{@link #OLD} (3 h ago): checkout "GET /cart" server d1, 1 ms: outside the default hour.
 *   <li>{@link #ORPHAN} (30 min ago): worker "process job" e2 whose parent e1 is not stored, and its child e3.
 * </ul>
 *
 * Logs: see {@link #logs()}.
 */
public final class ExplorerFixture {
  public static final String CART = "a0000000000000000000000000000001";
  public static final String STOCK = "b0000000000000000000000000000002";
  public static final String FAST = "c0000000000000000000000000000003";
  public static final String OLD = "d0000000000000000000000000000004";
  public static final String ORPHAN = "e0000000000000000000000000000005";
  public static final String NO_SUCH = "f0000000000000000000000000000009";

  public static final Instant CART_START = QueryFixture.NOW.minus(Duration.ofMinutes(10));

  private ExplorerFixture() {}

  public static void write(ClickHouseStore store) throws StoreException {
    store.writeTraces(spansFirstWrite());
    store.writeTraces(spansSecondWrite());
    store.writeLogs(logs());
  }

  static Instant ago(Duration d) {
    return QueryFixture.NOW.minus(d);
  }

  static String span(String trace, int n) {
    return trace.substring(0, 1) + "00000000000000" + n;
  }

  private static List<ResourceSpans> spansFirstWrite() {
    Instant a = CART_START;
    Span a4 = span(CART, 4, 3, "db", Span.SpanKind.SPAN_KIND_INTERNAL, a.plusMillis(16), 5).build();
    Span a3 = span(CART, 3, 1, "charge", Span.SpanKind.SPAN_KIND_SERVER, a.plusMillis(15), 20)
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("card expired"))
        .addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(nanos(a.plusMillis(18)))
            .addAttributes(attr("exception.message", "card expired")))
        .addLinks(Span.Link.newBuilder().setTraceId(id(STOCK)).setSpanId(id(span(STOCK, 1)))
            .addAttributes(attr("link.kind", "follows")))
        .build();
    Span b1 = span(STOCK, 1, 0, "GET /stock", Span.SpanKind.SPAN_KIND_SERVER, ago(Duration.ofMinutes(20)), 300)
        .build();
    return List.of(
        resourceSpans("payments", List.of(), a4, a3),
        resourceSpans("inventory", List.of(attr("deployment.environment", "prod")), b1));
  }

  private static List<ResourceSpans> spansSecondWrite() {
    Instant a = CART_START;
    Span a1 = span(CART, 1, 0, "GET /cart", Span.SpanKind.SPAN_KIND_SERVER, a, 40)
        .addAttributes(attr("http.route", "/cart"))
        .addAttributes(attr("tenant", "acme"))
        .build();
    Span a2 = span(CART, 2, 1, "SELECT cart", Span.SpanKind.SPAN_KIND_CLIENT, a.plusMillis(2), 10).build();
    Span a3again = spansFirstWrite().get(0).getScopeSpans(0).getSpans(1);
    Span c1 = span(FAST, 1, 0, "GET /cart", Span.SpanKind.SPAN_KIND_SERVER, ago(Duration.ofMinutes(5)), 5)
        .addAttributes(attr("http.route", "/cart"))
        .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code")
            .setValue(AnyValue.newBuilder().setIntValue(500)))
        .build();
    Span d1 = span(OLD, 1, 0, "GET /cart", Span.SpanKind.SPAN_KIND_SERVER, ago(Duration.ofHours(3)), 1).build();
    Span e2 = span(ORPHAN, 2, 1, "process job", Span.SpanKind.SPAN_KIND_CONSUMER, ago(Duration.ofMinutes(30)), 7)
        .build();
    Span e3 = span(ORPHAN, 3, 2, "save", Span.SpanKind.SPAN_KIND_INTERNAL,
        ago(Duration.ofMinutes(30)).plusMillis(1), 2).build();
    return List.of(
        resourceSpans("checkout", List.of(), c1, a2, a1, d1),
        resourceSpans("payments", List.of(), a3again),
        resourceSpans("worker", List.of(), e3, e2));
  }

  /**
   * <ul>
   *   <li>payments ERROR "Payment declined: card EXPIRED for order-7" (trace CART, span a3) at CART +18 ms
   *   <li>checkout INFO "cart loaded for user 42" (trace CART, span a1) at CART +3 ms
   *   <li>inventory WARN "slow query detected on stock" (db=main) 20 min ago
   *   <li>legacy, no SeverityNumber, text "error": "legacy failure" 35 min ago
   *   <li>ticker DEBUG "tick 1".."tick 5" at 50 min ago + n s
   *   <li>checkout INFO "cart loaded for user 7" 2 h ago (outside the default hour)
   * </ul>
   */
  public static List<ResourceLogs> logs() {
    List<ResourceLogs> out = new ArrayList<>();
    out.add(resourceLogs("payments",
        log(CART_START.plusMillis(18), 17, "ERROR", "Payment declined: card EXPIRED for order-7")
            .setTraceId(id(CART)).setSpanId(id(span(CART, 3))).build()));
    out.add(resourceLogs("checkout",
        log(CART_START.plusMillis(3), 9, "INFO", "cart loaded for user 42")
            .setTraceId(id(CART)).setSpanId(id(span(CART, 1))).build(),
        log(ago(Duration.ofHours(2)), 9, "INFO", "cart loaded for user 7").build()));
    out.add(resourceLogs("inventory",
        log(ago(Duration.ofMinutes(20)), 13, "WARN", "slow query detected on stock")
            .addAttributes(attr("db", "main")).build()));
    out.add(resourceLogs("legacy", log(ago(Duration.ofMinutes(35)), 0, "error", "legacy failure").build()));
    List<LogRecord> ticks = new ArrayList<>();
    for (int n = 1; n <= 5; n++) {
      ticks.add(log(ago(Duration.ofMinutes(50)).plusSeconds(n), 5, "DEBUG", "tick " + n).build());
    }
    out.add(resourceLogs("ticker", ticks.toArray(LogRecord[]::new)));
    return out;
  }

  private static Span.Builder span(
      String trace, int n, int parent, String name, Span.SpanKind kind, Instant start, long millis) {
    return Span.newBuilder()
        .setTraceId(id(trace))
        .setSpanId(id(span(trace, n)))
        .setParentSpanId(parent == 0 ? ByteString.EMPTY : id(span(trace, parent)))
        .setName(name)
        .setKind(kind)
        .setStartTimeUnixNano(nanos(start))
        .setEndTimeUnixNano(nanos(start) + millis * 1_000_000);
  }

  private static LogRecord.Builder log(Instant t, int severity, String text, String body) {
    return LogRecord.newBuilder()
        .setTimeUnixNano(nanos(t))
        .setSeverityNumberValue(severity)
        .setSeverityText(text)
        .setBody(AnyValue.newBuilder().setStringValue(body));
  }

  private static ResourceSpans resourceSpans(String service, List<KeyValue> resource, Span... spans) {
    Resource.Builder r = Resource.newBuilder().addAttributes(attr("service.name", service)).addAllAttributes(resource);
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (Span s : spans) {
      ss.addSpans(s);
    }
    return ResourceSpans.newBuilder().setResource(r).addScopeSpans(ss).build();
  }

  private static ResourceLogs resourceLogs(String service, LogRecord... records) {
    ScopeLogs.Builder sl = ScopeLogs.newBuilder();
    for (LogRecord l : records) {
      sl.addLogRecords(l);
    }
    return ResourceLogs.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attr("service.name", service)))
        .addScopeLogs(sl)
        .build();
  }

  static KeyValue attr(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
