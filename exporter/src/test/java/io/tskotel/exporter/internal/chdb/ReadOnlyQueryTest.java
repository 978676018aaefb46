package io.tskotel.exporter.internal.chdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.testing.ChdbTestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReadOnlyQueryTest {
  private static final Duration TIME = Duration.ofSeconds(10);

  @RegisterExtension static final ChdbTestDatabase database = new ChdbTestDatabase();

  private static ChdbEngine engine;
  private static String db;

  @BeforeAll
  static void setUp() throws StoreException {
    engine = database.engine();
    db = database.name();
    engine.execute(
        "CREATE TABLE {db:Identifier}.t (n UInt64) ENGINE = MergeTree ORDER BY n", Map.of("db", db));
    engine.execute("INSERT INTO {db:Identifier}.t SELECT number FROM numbers(5)", Map.of("db", db));
  }

  private static long count() throws StoreException {
    return (Long) engine.query("SELECT count() FROM {db:Identifier}.t", Map.of("db", db)).rows().get(0).get(0);
  }

  @Test
  void queryReadOnly_readsWithParameters() throws StoreException {
    QueryResult result =
        engine.queryReadOnly(
            "SELECT n FROM {db:Identifier}.t WHERE n >= {min:UInt64} ORDER BY n",
            Map.of("db", db, "min", "3"),
            TIME,
            100);

    assertThat(result.rows()).containsExactly(List.of(3L), List.of(4L));
  }

  @Test
  void queryReadOnly_writeIsRefused() throws StoreException {
    assertThatThrownBy(
            () -> engine.queryReadOnly("INSERT INTO " + db + ".t VALUES (9)", Map.of(), TIME, 100))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse());
    assertThatThrownBy(() -> engine.queryReadOnly("DROP TABLE " + db + ".t", Map.of(), TIME, 100))
        .isInstanceOf(StoreException.class);
    assertThatThrownBy(
            () -> engine.queryReadOnly("SELECT 1; DROP TABLE " + db + ".t", Map.of(), TIME, 100))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("exactly one SQL statement");

    assertThat(count()).isEqualTo(5);
  }

  @Test
  void queryReadOnly_setStatement_isRefusedBeforeRunning() {
    assertThatThrownBy(() -> engine.queryReadOnly("SET readonly = 0", Map.of(), TIME, 100))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("changes settings");
  }

  @Test
  void queryReadOnly_syntaxError_reportsEnginesMessage() {
    assertThatThrownBy(() -> engine.queryReadOnly("SELEC 1", Map.of(), TIME, 100))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("SYNTAX_ERROR");
  }

  @Test
  void queryReadOnly_settingsClauseCannotLiftReadonlyOrLimits() throws StoreException {
    assertThatThrownBy(
            () -> engine.queryReadOnly("SELECT 1 SETTINGS readonly = 0", Map.of(), TIME, 100))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("readonly");
    assertThatThrownBy(
            () ->
                engine.queryReadOnly(
                    "SELECT number FROM numbers(1000) SETTINGS max_result_rows = 0", Map.of(), TIME, 100))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("readonly");
  }

  /** The engine itself refuses, not the statement check in front of it. */
  @Test
  void readOnlyConnection_refusesWritesAndSetReadonlyZero() throws StoreException {
    ReadOnlyConnections.Limits limits = ReadOnlyConnections.Limits.of(TIME, 100);
    try (ChdbConnection connection = ChdbRuntime.connect(engine.dataPath(), limits.settings())) {
      assertThatThrownBy(() -> connection.execute("SET readonly = 0", Map.of()))
          .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse())
          .hasMessageContaining("READONLY");
      assertThatThrownBy(
              () -> connection.execute("INSERT INTO {db:Identifier}.t VALUES (9)", Map.of("db", db)))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("READONLY");
      assertThatThrownBy(
              () -> connection.execute("CREATE TABLE {db:Identifier}.x (a UInt8) ENGINE = Memory", Map.of("db", db)))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("READONLY");
      assertThatThrownBy(() -> connection.execute("SET max_result_rows = 0", Map.of()))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("READONLY");
      assertThat(connection.query("SELECT getSetting('readonly') AS r", Map.of()).rows())
          .containsExactly(List.of(1L));
    }
    assertThat(count()).isEqualTo(5);
  }

  @Test
  void queryReadOnly_tooManyRows_isPermanent() {
    assertThatThrownBy(
            () -> engine.queryReadOnly("SELECT number FROM numbers(1000)", Map.of(), TIME, 10))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("TOO_MANY_ROWS");
  }

  @Test
  void queryReadOnly_timeLimit_stopsStatementAsRetryable() {
    assertThatThrownBy(
            () ->
                engine.queryReadOnly(
                    "SELECT count() FROM numbers(100000000000) WHERE sipHash64(number) = 0",
                    Map.of(),
                    Duration.ofMillis(300),
                    10))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("TIMEOUT_EXCEEDED");
  }

  @Test
  void queryReadOnly_failureLeavesNextResultClean() throws StoreException {
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(
              () -> engine.queryReadOnly("SELECT throwIf(number = 3) FROM numbers(10)", Map.of(), TIME, 100))
          .isInstanceOf(StoreException.class);

      assertThat(engine.queryReadOnly("SELECT 'abc' AS s", Map.of(), TIME, 100).rows())
          .containsExactly(List.of("abc"));
    }
  }

  @Test
  void queryReadOnly_differentLimitsAreEachApplied() throws StoreException {
    for (int round = 0; round < 3; round++) {
      for (long max : new long[] {3, 7, 11}) {
        long limit = max;
        assertThat(
                engine
                    .queryReadOnly("SELECT number FROM numbers({n:UInt64})", Map.of("n", Long.toString(max)), TIME, max)
                    .rows())
            .hasSize((int) max);
        assertThatThrownBy(
                () ->
                    engine.queryReadOnly(
                        "SELECT number FROM numbers({n:UInt64})", Map.of("n", Long.toString(limit + 1)), TIME, limit))
            .hasMessageContaining("TOO_MANY_ROWS");
      }
    }
  }

  @Test
  void queryReadOnly_readingFilesIsRefused() {
    assertThatThrownBy(
            () -> engine.queryReadOnly("SELECT * FROM file('/etc/passwd', 'LineAsString')", Map.of(), TIME, 100))
        .isInstanceOf(StoreException.class);
  }

  /**
   * The engine's own readonly=1 refuses table functions that reach outside (not a failed connection: the
   * message names the read-only mode), with no help from the store's check in front of it.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "SELECT * FROM url('http://127.0.0.1:1/x', 'CSV', 'a String')",
      "SELECT * FROM remote('127.0.0.1:1', system.one)",
      "SELECT * FROM s3('http://127.0.0.1:1/tskotel-bucket/k.csv', 'CSV', 'a String')",
      "SELECT * FROM file('/etc/passwd', 'LineAsString')"})
  void queryReadOnly_tableFunctionsReachingOutside_areRefusedByReadonly(String sql) {
    assertThatThrownBy(() -> engine.queryReadOnly(sql, Map.of(), TIME, 100))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("readonly");
  }

  @Test
  void queryReadOnly_badLimits_areRejected() {
    assertThatThrownBy(() -> engine.queryReadOnly("SELECT 1", Map.of(), Duration.ZERO, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxExecutionTime");
    assertThatThrownBy(() -> engine.queryReadOnly("SELECT 1", Map.of(), TIME, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxResultRows");
  }
}
