package io.tskotel.collector.query;

import static io.tskotel.collector.query.ExplorerFixture.CART;
import static io.tskotel.collector.query.ExplorerFixture.CART_START;
import static io.tskotel.collector.query.ExplorerFixture.FAST;
import static io.tskotel.collector.query.ExplorerFixture.NO_SUCH;
import static io.tskotel.collector.query.ExplorerFixture.OLD;
import static io.tskotel.collector.query.ExplorerFixture.ORPHAN;
import static io.tskotel.collector.query.ExplorerFixture.STOCK;
import static io.tskotel.collector.query.ExplorerFixture.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tskotel.exporter.ClickHouseStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The explorer's functions over the real engine, on {@link ExplorerFixture}. */
class ExplorerQueriesTest {
  private static ClickHouseStore store;
  private static TraceQueries traces;
  private static LogQueries logs;

  @BeforeAll
  static void setUp() throws Exception {
    store = QueryFixture.newStore(ExplorerQueriesTest.class);
    ExplorerFixture.write(store);
    QueryConfig config = QueryConfig.builder().database(store.config().database()).explorerMaxRows(50).build();
    traces = TraceQueries.create(store, QueryFixture.CLOCK, config);
    logs = LogQueries.create(store, QueryFixture.CLOCK, config);
  }

  @AfterAll
  static void tearDown() {
    QueryFixture.dispose(store);
  }

  private static List<String> ids(TracePage page) {
    return page.items().stream().map(TraceSummary::traceId).toList();
  }

  private static List<String> bodies(LogPage page) {
    return page.items().stream().map(LogEntry::body).toList();
  }

  @Test
  void search_defaultsToTheLastHourNewestFirst() throws Exception {
    TracePage page = traces.search(TraceSearch.builder().build());
    assertThat(ids(page)).containsExactly(FAST, CART, STOCK, ORPHAN);
    assertThat(page.hasMore()).isFalse();
    TraceSummary cart = page.items().get(1);
    assertThat(cart.rootSpanId()).isEqualTo(span(CART, 1));
    assertThat(cart.service()).isEqualTo("checkout");
    assertThat(cart.name()).isEqualTo("GET /cart");
    assertThat(cart.start()).isEqualTo(CART_START);
    assertThat(cart.durationMs()).isEqualTo(40.0);
    assertThat(cart.spanCount()).isEqualTo(5); // a3 stored twice: the store keeps what arrived
    assertThat(cart.errorCount()).isEqualTo(2);
    assertThat(cart.services()).containsExactly("checkout", "payments");
    TraceSummary orphan = page.items().get(3);
    assertThat(orphan.rootSpanId()).isEqualTo(span(ORPHAN, 2)); // no root stored: the earliest span
    assertThat(orphan.name()).isEqualTo("process job");
  }

  @Test
  void search_eachFilter() throws Exception {
    assertThat(ids(traces.search(TraceSearch.builder().service("payments").build()))).containsExactly(CART);
    assertThat(ids(traces.search(TraceSearch.builder().name("GET /stock").build()))).containsExactly(STOCK);
    assertThat(ids(traces.search(TraceSearch.builder().name("/cart").build()))).containsExactly(FAST, CART);
    // status Error (a3), or a server span with HTTP status >= 400 (c1)
    assertThat(ids(traces.search(TraceSearch.builder().error(true).build()))).containsExactly(FAST, CART);
    assertThat(ids(traces.search(TraceSearch.builder().minDurationMs(40.0).build()))).containsExactly(CART, STOCK);
    assertThat(ids(traces.search(TraceSearch.builder().minDurationMs(40.5).build()))).containsExactly(STOCK);
    assertThat(ids(traces.search(TraceSearch.builder().attr("tenant", "acme").build()))).containsExactly(CART);
    assertThat(ids(traces.search(TraceSearch.builder().attr("deployment.environment", "prod").build())))
        .containsExactly(STOCK);
    assertThat(ids(traces.search(TraceSearch.builder().attr("tenant", "acme").attr("service.name", "x").build())))
        .isEmpty();
    assertThat(ids(traces.search(TraceSearch.builder().service("checkout").error(true).minDurationMs(1.0).build())))
        .containsExactly(FAST);
  }

  @Test
  void search_timeRange() throws Exception {
    Instant now = QueryFixture.NOW;
    assertThat(ids(traces.search(TraceSearch.builder().from(now.minus(Duration.ofHours(4))).build())))
        .containsExactly(FAST, CART, STOCK, ORPHAN, OLD);
    // Newest first walks back in slices (here 3.75 min, 11.25 min, 45 min, the rest): pages cross them.
    TraceSearch.Builder fourHours = TraceSearch.builder().from(now.minus(Duration.ofHours(4))).limit(2);
    TracePage second = traces.search(fourHours.offset(2).build());
    assertThat(ids(second)).containsExactly(STOCK, ORPHAN);
    assertThat(second.hasMore()).isTrue();
    TracePage third = traces.search(fourHours.offset(4).build());
    assertThat(ids(third)).containsExactly(OLD);
    assertThat(third.hasMore()).isFalse();
    assertThat(ids(traces.search(fourHours.offset(6).build()))).isEmpty();
    assertThat(ids(traces.search(TraceSearch.builder()
            .from(now.minus(Duration.ofMinutes(25))).to(now.minus(Duration.ofMinutes(8))).build())))
        .containsExactly(CART, STOCK);
  }

  @Test
  void search_slowestAndPaging() throws Exception {
    TraceSearch.Builder slowest = TraceSearch.builder().sort(TraceSearch.Sort.SLOWEST);
    assertThat(ids(traces.search(slowest.build()))).containsExactly(STOCK, CART, ORPHAN, FAST);
    TracePage first = traces.search(slowest.limit(2).build());
    assertThat(ids(first)).containsExactly(STOCK, CART);
    assertThat(first.hasMore()).isTrue();
    TracePage second = traces.search(slowest.offset(2).build());
    assertThat(ids(second)).containsExactly(ORPHAN, FAST);
    assertThat(second.hasMore()).isFalse();
    assertThat(second.offset()).isEqualTo(2);
  }

  @Test
  void search_validationListsEveryError() {
    assertThatThrownBy(() -> traces.search(TraceSearch.builder()
            .limit(0).offset(-1).minDurationMs(-1.0).attr("", "x")
            .from(QueryFixture.NOW).to(QueryFixture.NOW.minusSeconds(1)).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit: 0 (expected: 1..100)")
        .hasMessageContaining("offset: -1 (expected: 0..10000)")
        .hasMessageContaining("minDurationMs: -1 (expected: >= 0)")
        .hasMessageContaining("attr: \"=x\"")
        .hasMessageContaining("from: ");
    assertThatThrownBy(() -> traces.search(
            TraceSearch.builder().from(QueryFixture.NOW.minus(Duration.ofDays(8))).build()))
        .hasMessage("to - from: 8d (expected: <= 7d, the [query] explorer_max_range)");
  }

  @Test
  void trace_spansInTreeOrderWithEventsLinksAndLogs() throws Exception {
    TraceDetail t = traces.trace(CART.toUpperCase()).orElseThrow();
    assertThat(t.traceId()).isEqualTo(CART);
    assertThat(t.start()).isEqualTo(CART_START);
    assertThat(t.durationMs()).isEqualTo(40.0);
    assertThat(t.truncated()).isFalse();
    assertThat(t.spans()).extracting(TraceDetail.Span::spanId)
        .containsExactly(span(CART, 1), span(CART, 2), span(CART, 3), span(CART, 4)); // the duplicate a3 once
    assertThat(t.spans()).extracting(TraceDetail.Span::depth).containsExactly(0, 1, 1, 2);
    TraceDetail.Span root = t.spans().get(0);
    assertThat(root.parentSpanId()).isEmpty();
    assertThat(root.kind()).isEqualTo("Server");
    assertThat(root.status()).isEqualTo("Unset");
    assertThat(root.attributes()).containsEntry("http.route", "/cart").containsEntry("tenant", "acme");
    assertThat(root.resourceAttributes()).containsEntry("service.name", "checkout");
    TraceDetail.Span charge = t.spans().get(2);
    assertThat(charge.service()).isEqualTo("payments");
    assertThat(charge.parentSpanId()).isEqualTo(span(CART, 1));
    assertThat(charge.offsetMs()).isEqualTo(15.0);
    assertThat(charge.durationMs()).isEqualTo(20.0);
    assertThat(charge.status()).isEqualTo("Error");
    assertThat(charge.statusMessage()).isEqualTo("card expired");
    assertThat(charge.events()).singleElement().satisfies(e -> {
      assertThat(e.name()).isEqualTo("exception");
      assertThat(e.offsetMs()).isEqualTo(18.0);
      assertThat(e.attributes()).isEqualTo(Map.of("exception.message", "card expired"));
    });
    assertThat(charge.links()).singleElement().isEqualTo(
        new TraceDetail.Link(STOCK, span(STOCK, 1), Map.of("link.kind", "follows")));
    assertThat(t.spans().get(1).kind()).isEqualTo("Client");
    assertThat(t.logs()).extracting(LogEntry::body)
        .containsExactly("cart loaded for user 42", "Payment declined: card EXPIRED for order-7");
    assertThat(t.logs().get(1).spanId()).isEqualTo(span(CART, 3));
  }

  @Test
  void trace_orphansAreRoots() throws Exception {
    TraceDetail t = traces.trace(ORPHAN).orElseThrow();
    assertThat(t.spans()).extracting(TraceDetail.Span::spanId).containsExactly(span(ORPHAN, 2), span(ORPHAN, 3));
    assertThat(t.spans()).extracting(TraceDetail.Span::depth).containsExactly(0, 1);
    assertThat(t.logs()).isEmpty();
  }

  @Test
  void trace_unknownIsEmptyAndBadIdRefused() throws Exception {
    assertThat(traces.trace(NO_SUCH)).isEmpty();
    assertThatThrownBy(() -> traces.trace("abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("traceId: \"abc\" (expected: 32 hex digits)");
    assertThatThrownBy(() -> traces.trace("' OR 1=1 --0000000000000000000000"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void logs_newestFirstInTheLastHour() throws Exception {
    LogPage page = logs.search(LogSearch.builder().build());
    assertThat(bodies(page)).containsExactly(
        "Payment declined: card EXPIRED for order-7", "cart loaded for user 42", "slow query detected on stock",
        "legacy failure", "tick 5", "tick 4", "tick 3", "tick 2", "tick 1");
    LogEntry legacy = page.items().get(3);
    assertThat(legacy.severity()).isEqualTo("error");
    assertThat(legacy.severityNumber()).isZero();
    LogEntry declined = page.items().get(0);
    assertThat(declined.traceId()).isEqualTo(CART);
    assertThat(declined.service()).isEqualTo("payments");
    assertThat(declined.severity()).isEqualTo("ERROR");
    assertThat(declined.time()).isEqualTo(CART_START.plusMillis(18));
  }

  @Test
  void logs_eachFilter() throws Exception {
    assertThat(bodies(logs.search(LogSearch.builder().service("inventory").build())))
        .containsExactly("slow query detected on stock");
    // WARN and up; "legacy" has no number but its text says error
    assertThat(bodies(logs.search(LogSearch.builder().severity(Severity.WARN).build())))
        .containsExactly("Payment declined: card EXPIRED for order-7", "slow query detected on stock",
            "legacy failure");
    assertThat(bodies(logs.search(LogSearch.builder().traceId(CART.toUpperCase()).build())))
        .containsExactly("Payment declined: card EXPIRED for order-7", "cart loaded for user 42");
    assertThat(bodies(logs.search(LogSearch.builder().attr("db", "main").build())))
        .containsExactly("slow query detected on stock");
    assertThat(bodies(logs.search(LogSearch.builder().attr("service.name", "ticker").limit(1).build())))
        .containsExactly("tick 5");
    assertThat(bodies(logs.search(LogSearch.builder().from(QueryFixture.NOW.minus(Duration.ofHours(3))).build())))
        .hasSize(10).endsWith("cart loaded for user 7");
    // newest first reads slices backwards (here 2.8 min, 8.4 min, 34 min, the rest): a page crosses them
    LogPage three = logs.search(LogSearch.builder().from(QueryFixture.NOW.minus(Duration.ofHours(3))).limit(3).build());
    assertThat(bodies(three)).containsExactly(
        "Payment declined: card EXPIRED for order-7", "cart loaded for user 42", "slow query detected on stock");
    assertThat(three.hasMore()).isTrue();
    LogPage older = logs.search(LogSearch.builder().from(QueryFixture.NOW.minus(Duration.ofHours(3))).limit(10)
        .before(three.items().get(2).time()).build());
    assertThat(bodies(older)).hasSize(7).startsWith("legacy failure").endsWith("cart loaded for user 7");
    assertThat(older.hasMore()).isFalse();
  }

  @Test
  void logs_textAsTokenOrSubstring() throws Exception {
    // a word: whole words only, any case
    assertThat(bodies(logs.search(LogSearch.builder().q("expired").build())))
        .containsExactly("Payment declined: card EXPIRED for order-7");
    assertThat(bodies(logs.search(LogSearch.builder().q("expir").build()))).isEmpty();
    assertThat(bodies(logs.search(LogSearch.builder().q("TICK").build()))).hasSize(5);
    // anything else, or a quoted word: a substring, any case
    assertThat(bodies(logs.search(LogSearch.builder().q("\"expir\"").build())))
        .containsExactly("Payment declined: card EXPIRED for order-7");
    assertThat(bodies(logs.search(LogSearch.builder().q("card expired for ORDER-7").build())))
        .containsExactly("Payment declined: card EXPIRED for order-7");
    assertThat(bodies(logs.search(LogSearch.builder().q("user 4").build())))
        .containsExactly("cart loaded for user 42");
    assertThat(bodies(logs.search(LogSearch.builder().q("' OR 1=1 --").build()))).isEmpty();
  }

  @Test
  void logs_pagingBeforeAndTailAfter() throws Exception {
    LogSearch.Builder ticks = LogSearch.builder().service("ticker").limit(2);
    LogPage first = logs.search(ticks.build());
    assertThat(bodies(first)).containsExactly("tick 5", "tick 4");
    assertThat(first.hasMore()).isTrue();
    LogPage second = logs.search(ticks.before(first.items().get(1).time()).build());
    assertThat(bodies(second)).containsExactly("tick 3", "tick 2");
    LogPage third = logs.search(ticks.before(second.items().get(1).time()).build());
    assertThat(bodies(third)).containsExactly("tick 1");
    assertThat(third.hasMore()).isFalse();
    LogPage tail = logs.search(LogSearch.builder().service("ticker").after(first.items().get(1).time()).build());
    assertThat(bodies(tail)).containsExactly("tick 5");
  }

  @Test
  void config_explorerKeysFromTsk() {
    QueryConfig c = QueryConfig.fromTsk(
        io.tskotel.tsk.Tsk.parse("[query]\nexplorer_max_range: \"2d\"\nexplorer_max_rows: 5\n"), "otel");
    assertThat(c.explorerMaxRange()).isEqualTo(Duration.ofDays(2));
    assertThat(c.explorerMaxRows()).isEqualTo(5);
    assertThat(QueryConfig.defaults().explorerMaxRange()).isEqualTo(Duration.ofDays(7));
    assertThatThrownBy(() -> QueryConfig.fromTsk(
            io.tskotel.tsk.Tsk.parse("[query]\nexplorer_max_range: \"0s\"\nexplorer_max_rows: 0\n"), "otel"))
        .hasMessageContaining("explorer_max_range").hasMessageContaining("explorer_max_rows");
  }

  @Test
  void logs_validationListsEveryError() {
    assertThatThrownBy(() -> logs.search(LogSearch.builder()
            .limit(501).traceId("xyz").q("  ").attr("", "v")
            .before(QueryFixture.NOW.minusSeconds(10)).after(QueryFixture.NOW).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit: 501 (expected: 1..500)")
        .hasMessageContaining("traceId: \"xyz\" (expected: 32 hex digits)")
        .hasMessageContaining("q: \"  \"")
        .hasMessageContaining("attr: \"=v\"")
        .hasMessageContaining("after: ");
  }
}
