package io.tskotel.exporter.internal.chdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.testing.ChdbTestEngine;
import io.tskotel.exporter.testing.RowBinaryBytes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChdbEngineTest {
  private static ChdbEngine engine;
  private static String db;

  @BeforeAll
  static void setUp() {
    engine = ChdbTestEngine.shared();
    db = ChdbTestEngine.newDatabase(ChdbEngineTest.class);
  }

  @AfterAll
  static void tearDown() {
    ChdbTestEngine.dropDatabase(db);
  }

  @Test
  void query_selectsConstant() throws StoreException {
    QueryResult result = engine.query("SELECT 1 AS one, 'x' AS s", Map.of());

    assertThat(result.columnNames()).containsExactly("one", "s");
    assertThat(result.columnTypes()).containsExactly("UInt8", "String");
    assertThat(result.rows()).containsExactly(List.of(1L, "x"));
  }

  @Test
  void insertRowBinary_rowsReadBack() throws StoreException {
    engine.execute(
        "CREATE TABLE {db:Identifier}.spans (Timestamp DateTime64(9), Name String,"
            + " Attributes Map(LowCardinality(String), String), Duration UInt64)"
            + " ENGINE = MergeTree ORDER BY Timestamp",
        Map.of("db", db));
    Instant t = Instant.parse("2024-05-06T07:08:09.123456789Z");
    RowBinaryBytes rows = new RowBinaryBytes();
    rows.dateTime64Nanos(t).string("GET /").stringMap("a", "1", "b", "2").int64(42);
    rows.dateTime64Nanos(t.plusNanos(1)).string("").stringMap().int64(-1);
    byte[] bytes = rows.toByteArray();

    engine.insertRowBinary(
        "INSERT INTO " + db + ".spans (Timestamp, Name, Attributes, Duration)", bytes, bytes.length, 2);

    QueryResult result =
        engine.query(
            "SELECT Timestamp, Name, Attributes, Duration FROM {db:Identifier}.spans ORDER BY Timestamp",
            Map.of("db", db));
    assertThat(result.rows())
        .containsExactly(
            List.of(t, "GET /", Map.of("a", "1", "b", "2"), 42L),
            List.of(t.plusNanos(1), "", Map.of(), new java.math.BigInteger("18446744073709551615")));
  }

  @Test
  void query_syntaxError_isPermanent() {
    assertThatThrownBy(() -> engine.query("SELEC 1", Map.of()))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("SYNTAX_ERROR");
  }
}
