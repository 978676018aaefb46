package io.tskotel.collector.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.collector.query.internal.ExplorerSql;
import io.tskotel.exporter.ClickHouseStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The explorer's statements reach the schema's indexes: the engine's own plan ({@code EXPLAIN indexes = 1})
 * names the skip index it consults for each filter.
 */
class ExplorerIndexTest {
  private static ClickHouseStore store;

  @BeforeAll
  static void setUp() throws Exception {
    store = QueryFixture.newStore(ExplorerIndexTest.class);
    ExplorerFixture.write(store);
  }

  @AfterAll
  static void tearDown() {
    QueryFixture.dispose(store);
  }

  private static String plan(String sql, Map<String, Object> params) throws Exception {
    Map<String, Object> p = new LinkedHashMap<>(params);
    p.put("db", store.config().database());
    return store.query("EXPLAIN indexes = 1 " + sql, p).rows().stream()
        .map(r -> String.valueOf(r.get(0)))
        .collect(Collectors.joining("\n"));
  }

  private static Map<String, Object> range() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("from_ns", Times.nanos(QueryFixture.NOW.minusSeconds(3600)));
    p.put("to_ns", Times.nanos(QueryFixture.NOW));
    return p;
  }

  @Test
  void traceById_usesTheTraceIdBloomFilter() throws Exception {
    String plan = plan(ExplorerSql.TRACE_SPANS, Map.of("trace_id", ExplorerFixture.CART, "limit", 10L));
    assertThat(plan).contains("idx_trace_id");
    // the trace-id table's bounds reach the sort key's toDateTime(Timestamp) and the day partitions
    assertThat(plan).contains("Condition: and((toDateTime(Timestamp) in").contains("toDate(Timestamp) in");
    String summaries = plan(ExplorerSql.TRACE_SUMMARIES,
        Map.of("ids", java.util.List.of(ExplorerFixture.CART, ExplorerFixture.STOCK), "threshold", 400L));
    assertThat(summaries).contains("idx_trace_id");
  }

  @Test
  void traceSearch_usesThePrimaryKeyAndTheAttributeBloomFilters() throws Exception {
    Map<String, Object> p = range();
    p.put("service", "checkout");
    p.put("ak0", "tenant");
    p.put("av0", "acme");
    p.put("limit", 10L);
    String plan = plan(
        ExplorerSql.newestTraces(ExplorerSql.SPANS_IN_RANGE + ExplorerSql.SPAN_SERVICE + ExplorerSql.spanAttribute(0)),
        p);
    assertThat(plan).contains("PrimaryKey").contains("ServiceName").contains("idx_span_attr_value");
  }

  @Test
  void logText_usesTheBodyTokenFilter() throws Exception {
    Map<String, Object> p = range();
    p.put("q", "expired");
    p.put("limit", 10L);
    String token = ExplorerSql.LOG_COLUMNS + ExplorerSql.LOGS_IN_RANGE + ExplorerSql.LOG_TOKEN
        + ExplorerSql.LOGS_NEWEST_FIRST;
    assertThat(plan(token, p)).contains("idx_lower_body");
    p.put("q", "card expired for");
    p.put("qt0", "expired");
    String substring = ExplorerSql.LOG_COLUMNS + ExplorerSql.LOGS_IN_RANGE + ExplorerSql.LOG_SUBSTRING
        + ExplorerSql.logToken(0) + ExplorerSql.LOGS_NEWEST_FIRST;
    assertThat(plan(substring, p)).contains("idx_lower_body");
  }

  @Test
  void logsOfATrace_useTheTraceIdBloomFilter() throws Exception {
    Map<String, Object> p = range();
    p.put("trace_id", ExplorerFixture.CART);
    p.put("limit", 10L);
    String sql = ExplorerSql.LOG_COLUMNS + ExplorerSql.LOGS_IN_RANGE + ExplorerSql.LOG_TRACE_ID
        + ExplorerSql.LOGS_OLDEST_FIRST;
    assertThat(plan(sql, p)).contains("idx_trace_id");
  }
}
