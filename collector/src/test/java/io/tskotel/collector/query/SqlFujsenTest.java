package io.tskotel.collector.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SqlFujsenTest {
  static final String SPANS_BY_SERVICE =
      """
      -- server spans of one service, by name
      SELECT SpanName, count() AS n
      FROM {db:Identifier}.otel_traces
      WHERE ServiceName = {service:String} AND SpanKind = 'Server'
      GROUP BY SpanName ORDER BY SpanName
      """;

  private static ClickHouseStore store;
  private static SqlFujsens fujsen;
  private static Map<String, Long> before;

  /** The queries a [reports] section of the collector's TSK could declare, plus code fujsen (skipped). */
  static Map<String, Map<String, String>> bodies() {
    Map<String, String> reports = new LinkedHashMap<>();
    reports.put("spans_by_service", SPANS_BY_SERVICE);
    reports.put(
        "slow_spans",
        "WITH {min_ms:UInt32} * 1000000 AS limit_ns SELECT count() FROM otel_x.otel_traces WHERE Duration >= limit_ns;");
    reports.put("numbers", "SELECT number FROM system.numbers LIMIT {n:UInt64}");
    reports.put("sleepy", "SELECT count() FROM system.numbers");
    reports.put("echo", "SELECT {s:String} AS s, length({s:String}) AS len");
    reports.put("check_health", "def check_health():\n    return {}");
    return Map.of("reports", reports);
  }

  @BeforeAll
  static void setUp() throws Exception {
    store = QueryFixture.newStore(SqlFujsenTest.class, Duration.ofSeconds(1), 100);
    QueryFixture.writeSpans(store);
    QueryConfig config = QueryConfig.builder().database(store.config().database()).build();
    fujsen = SqlFujsens.of(SqlFujsens.parseAll(bodies()), store, config);
    before = QueryFixture.rowCounts(store);
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      assertThat(QueryFixture.rowCounts(store)).isEqualTo(before);
    } finally {
      QueryFixture.dispose(store);
    }
  }

  @Test
  void parse_onlyQueriesAreSqlFujsen() {
    assertThat(fujsen.all())
        .extracting(SqlFujsen::name)
        .containsExactlyInAnyOrder("spans_by_service", "slow_spans", "numbers", "sleepy", "echo");
    SqlFujsen s = fujsen.all().stream().filter(x -> x.name().equals("spans_by_service")).findFirst().get();
    assertThat(s.params()).isEqualTo(Map.of("db", "Identifier", "service", "String"));
    assertThat(SqlFujsen.isQuery("  with x as (select 1) select * from x")).isTrue();
    assertThat(SqlFujsen.isQuery("/* c */ SELECT 1")).isTrue();
    assertThat(SqlFujsen.isQuery("def f():\n  return 1")).isFalse();
    assertThat(SqlFujsen.isQuery("INSERT INTO t SELECT 1")).isFalse();
  }

  @Test
  void parse_refusesSecondStatement() {
    assertThatThrownBy(
            () -> SqlFujsens.parseAll(Map.of("s", Map.of("bad", "SELECT 1; DROP TABLE otel.otel_traces"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s.bad_fujsen")
        .hasMessageContaining("more than one statement");
    // A ';' inside a string or a comment is not a second statement.
    assertThat(SqlFujsen.parse("s", "ok", "SELECT 'a;b' -- c; d\n;")).isPresent();
    assertThatThrownBy(() -> SqlFujsen.parse("s", "t", "SELECT {a:String}, {a:UInt8}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two different types");
  }

  @Test
  void run_bindsParametersAsData() throws Exception {
    QueryResult r = fujsen.run("spans_by_service", Map.of("service", "shop"));
    assertThat(r.columnNames()).containsExactly("SpanName", "n");
    assertThat(r.rows()).containsExactly(List.of("GET /a", 6L), List.of("POST /b", 2L));
    assertThat(fujsen.run("reports.spans_by_service", Map.of("service", "auth")).rows())
        .containsExactly(List.of("login", 1L));
    for (String s : InjectionTest.HOSTILE) {
      assertThat(fujsen.run("spans_by_service", Map.of("service", s)).rows()).as(s).isEmpty();
      QueryResult echo = fujsen.run("echo", Map.of("s", s));
      assertThat(echo.rows().get(0).get(0)).as(s).isEqualTo(s);
    }
  }

  @Test
  void run_argumentErrorsNameTheSignature() {
    assertThatThrownBy(() -> fujsen.run("spans_by_service", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing service")
        .hasMessageContaining("{db:Identifier}, {service:String}");
    assertThatThrownBy(() -> fujsen.run("spans_by_service", Map.of("service", "shop", "extra", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown extra");
    assertThatThrownBy(() -> fujsen.run("spans_by_service", Map.of("service", "shop", "db", "system")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("db is bound to the store's database");
    assertThatThrownBy(() -> fujsen.run("check_health", Map.of()))
        .isInstanceOf(UnknownFujsenException.class)
        .hasMessageContaining("spans_by_service");
    assertThatThrownBy(() -> fujsen.run("nope'; DROP TABLE x", Map.of()))
        .isInstanceOf(UnknownFujsenException.class);
  }

  @Test
  void run_badValueForTypeIsRefusedByTheEngine() {
    assertThatThrownBy(() -> fujsen.run("numbers", Map.of("n", "5; DROP TABLE otel.otel_traces")))
        .isInstanceOf(StoreException.class)
        .matches(e -> !((StoreException) e).retryable());
    assertThatThrownBy(() -> fujsen.run("slow_spans", Map.of("min_ms", "-1")))
        .isInstanceOf(StoreException.class);
  }

  @Test
  void run_limitsAreEnforcedByTheEngine() throws Exception {
    assertThat(fujsen.run("numbers", Map.of("n", "100")).rows()).hasSize(100);
    assertThatThrownBy(() -> fujsen.run("numbers", Map.of("n", "101"))).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> fujsen.run("sleepy", Map.of()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("TIMEOUT");
  }

  @Test
  void run_writesAreRefusedByTheEngine() throws Exception {
    SqlFujsen sneaky =
        SqlFujsen.parse("s", "sneaky", "SELECT count() FROM {db:Identifier}.otel_traces SETTINGS readonly = 0")
            .orElseThrow();
    SqlFujsens withSneaky =
        SqlFujsens.of(
            List.of(sneaky),
            store,
            QueryConfig.builder().database(store.config().database()).build());
    assertThatThrownBy(() -> withSneaky.run("sneaky", Map.of())).isInstanceOf(StoreException.class);
  }

  /** The query functions' read-only SQL fujsen path refuses table functions reaching outside and SETTINGS. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "SELECT * FROM url('http://127.0.0.1:1/x', 'CSV', 'a String')",
      "SELECT * FROM remote('127.0.0.1:1', system.one)",
      "SELECT * FROM s3('http://127.0.0.1:1/b/k', 'CSV', 'a String')",
      "SELECT * FROM file('/etc/passwd', 'LineAsString')",
      "SELECT file('/etc/passwd')",
      "SELECT count() FROM {db:Identifier}.otel_traces SETTINGS max_result_rows = 0"})
  void run_outsideReachAndSettingsClauses_areRefused(String sql) throws Exception {
    SqlFujsen outside = SqlFujsen.parse("s", "outside", sql).orElseThrow();
    SqlFujsens fujsens = SqlFujsens.of(
        List.of(outside), store, QueryConfig.builder().database(store.config().database()).build());
    assertThatThrownBy(() -> fujsens.run("outside", Map.of()))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageMatching("(?s).*(reaches outside the store|SETTINGS clause).*");
  }

  @Test
  void run_namesThatOnlyLookLikeTableFunctions_stillRun() throws Exception {
    SqlFujsen harmless = SqlFujsen.parse("s", "harmless",
        "SELECT 'url(' AS a, `file name` AS b FROM (SELECT 1 AS `file name`) -- remote(x)").orElseThrow();
    SqlFujsens fujsens = SqlFujsens.of(
        List.of(harmless), store, QueryConfig.builder().database(store.config().database()).build());
    assertThat(fujsens.run("harmless", Map.of()).rows()).hasSize(1);
  }
}
