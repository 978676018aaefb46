package io.tskotel.exporter.internal.rowbinary;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.chdb.ChdbEngine;
import io.tskotel.exporter.testing.ChdbTestEngine;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every type the reader decodes, produced by the real engine. */
class RowBinaryReaderEngineTest {
  private static ChdbEngine engine;

  @BeforeAll
  static void setUp() {
    engine = ChdbTestEngine.shared();
  }

  private static Object value(String expression) throws StoreException {
    QueryResult result = engine.query("SELECT " + expression + " AS v", Map.of());
    assertThat(result.rows()).hasSize(1);
    return result.rows().get(0).get(0);
  }

  private static String type(String expression) throws StoreException {
    return engine.query("SELECT " + expression + " AS v", Map.of()).columnTypes().get(0);
  }

  @Test
  void signedIntegers_decodeToLong() throws StoreException {
    assertThat(value("toInt8(-128)")).isEqualTo(-128L);
    assertThat(value("toInt16(-32768)")).isEqualTo(-32768L);
    assertThat(value("toInt32(-2147483648)")).isEqualTo(-2147483648L);
    assertThat(value("toInt64('-9223372036854775808')")).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void unsignedIntegers_decodeToLongOrBigInteger() throws StoreException {
    assertThat(value("toUInt8(255)")).isEqualTo(255L);
    assertThat(value("toUInt16(65535)")).isEqualTo(65535L);
    assertThat(value("toUInt32(4294967295)")).isEqualTo(4294967295L);
    assertThat(value("toUInt64('9223372036854775807')")).isEqualTo(Long.MAX_VALUE);
    assertThat(value("toUInt64('18446744073709551615')"))
        .isEqualTo(new BigInteger("18446744073709551615"));
  }

  @Test
  void wideIntegers_decodeToBigInteger() throws StoreException {
    assertThat(value("toInt128('-170141183460469231731687303715884105728')"))
        .isEqualTo(new BigInteger("-170141183460469231731687303715884105728"));
    assertThat(value("toUInt128('340282366920938463463374607431768211455')"))
        .isEqualTo(new BigInteger("340282366920938463463374607431768211455"));
    assertThat(value("toInt256('-12345678901234567890123456789012345678901234567890')"))
        .isEqualTo(new BigInteger("-12345678901234567890123456789012345678901234567890"));
    assertThat(value("toUInt256('115792089237316195423570985008687907853269984665640564039457584007913129639935')"))
        .isEqualTo(new BigInteger("115792089237316195423570985008687907853269984665640564039457584007913129639935"));
  }

  @Test
  void floatsAndBool() throws StoreException {
    assertThat(value("toFloat32(1.5)")).isEqualTo(1.5d);
    assertThat(value("toFloat64(-0.1)")).isEqualTo(-0.1d);
    assertThat(value("toFloat64(nan)")).isEqualTo(Double.NaN);
    assertThat(value("-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(value("true")).isEqualTo(true);
    assertThat(value("false")).isEqualTo(false);
  }

  @Test
  void strings_emptyUnicodeAndLarge() throws StoreException {
    assertThat(value("''")).isEqualTo("");
    assertThat(value("'héllo, 世界 🌍'")).isEqualTo("héllo, 世界 🌍");
    assertThat(value("toFixedString('ab', 4)")).isEqualTo("ab\0\0");
    Object large = value("repeat('xy', 524288)");
    assertThat(large).isEqualTo("xy".repeat(524288));
  }

  @Test
  void strings_megabyteUnicodeParameterRoundTrips() throws StoreException {
    String megabyte = "é世🌍x".repeat((1 << 20) / 10 + 1);

    QueryResult result =
        engine.query("SELECT {s:String} AS s, length({s:String}) AS n", Map.of("s", megabyte));

    assertThat(result.rows().get(0))
        .containsExactly(megabyte, (long) megabyte.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
  }

  @Test
  void datesAndTimes() throws StoreException {
    assertThat(value("toDate('2024-02-29')")).isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(value("toDate32('1900-01-01')")).isEqualTo(LocalDate.of(1900, 1, 1));
    assertThat(value("toDateTime('2024-02-29 12:34:56', 'UTC')"))
        .isEqualTo(Instant.parse("2024-02-29T12:34:56Z"));
    assertThat(value("toDateTime64('2024-02-29 12:34:56.123456789', 9, 'UTC')"))
        .isEqualTo(Instant.parse("2024-02-29T12:34:56.123456789Z"));
    assertThat(value("toDateTime64('2024-02-29 12:34:56.123', 3, 'Asia/Tokyo')"))
        .isEqualTo(Instant.parse("2024-02-29T03:34:56.123Z"));
    assertThat(value("toDateTime64('1969-12-31 23:59:59.999999999', 9, 'UTC')"))
        .isEqualTo(Instant.parse("1969-12-31T23:59:59.999999999Z"));
    assertThat(value("toDateTime64(0, 0, 'UTC')")).isEqualTo(Instant.EPOCH);
  }

  @Test
  void dateTime64_nanosecondsSurviveParameterRoundTrip() throws StoreException {
    QueryResult result =
        engine.query(
            "SELECT {t:DateTime64(9, 'UTC')} AS t", Map.of("t", "2024-05-06 07:08:09.000000001"));

    assertThat(result.rows().get(0).get(0)).isEqualTo(Instant.parse("2024-05-06T07:08:09.000000001Z"));
  }

  @Test
  void nullableAndNothing() throws StoreException {
    assertThat(value("NULL")).isNull();
    assertThat(type("NULL")).isEqualTo("Nullable(Nothing)");
    assertThat(value("toNullable('a')")).isEqualTo("a");
    assertThat(value("CAST(NULL AS Nullable(Int32))")).isNull();
    assertThat(value("[]")).isEqualTo(List.of());
    assertThat(type("[]")).isEqualTo("Array(Nothing)");
    assertThat(value("[NULL, 1]")).isEqualTo(Arrays.asList(null, 1L));
  }

  @Test
  void lowCardinality() throws StoreException {
    assertThat(value("toLowCardinality('svc')")).isEqualTo("svc");
    assertThat(value("CAST(NULL AS LowCardinality(Nullable(String)))")).isNull();
  }

  @Test
  void arraysMapsTuples() throws StoreException {
    assertThat(value("[[1, 2], [], [3]]")).isEqualTo(List.of(List.of(1L, 2L), List.of(), List.of(3L)));
    Object map = value("map('b', 1, 'a', 2)");
    assertThat(map).isInstanceOf(Map.class);
    assertThat(List.<Object>copyOf(((Map<?, ?>) map).keySet())).containsExactly("b", "a");
    assertThat(map).isEqualTo(Map.of("a", 2L, "b", 1L));
    assertThat(value("CAST(map('k', [1.5]) AS Map(LowCardinality(String), Array(Float64)))"))
        .isEqualTo(Map.of("k", List.of(1.5d)));
    assertThat(value("tuple(1, 'a', NULL)")).isEqualTo(Arrays.asList(1L, "a", null));
    assertThat(value("CAST(tuple(1, 'x') AS Tuple(a UInt8, `b c` String))")).isEqualTo(List.of(1L, "x"));
  }

  @Test
  void uuidDecimalEnum() throws StoreException {
    UUID uuid = UUID.fromString("61f0c404-5cb3-11e7-907b-a6006ad3dba0");
    assertThat(value("toUUID('61f0c404-5cb3-11e7-907b-a6006ad3dba0')")).isEqualTo(uuid);
    assertThat(value("toDecimal32('-1.25', 2)")).isEqualTo(new BigDecimal("-1.25"));
    assertThat(value("toDecimal64('123456789.123456789', 9)")).isEqualTo(new BigDecimal("123456789.123456789"));
    assertThat(value("toDecimal128('-1234567890123456789012.5', 1)"))
        .isEqualTo(new BigDecimal("-1234567890123456789012.5"));
    assertThat(value("toDecimal256('1.000001', 6)")).isEqualTo(new BigDecimal("1.000001"));
    assertThat(value("CAST('b' AS Enum8('a' = 1, 'b' = -2))")).isEqualTo("b");
    assertThat(value("CAST('it''s' AS Enum16('it\\'s' = 1000, 'x' = 2))")).isEqualTo("it's");
  }

  @Test
  void nested_selectedWholeAndByColumn() throws StoreException {
    String db = ChdbTestEngine.newDatabase(RowBinaryReaderEngineTest.class);
    try {
      engine.execute(
          "CREATE TABLE {db:Identifier}.t (Id UInt8, Events Nested(Timestamp DateTime64(9),"
              + " Name LowCardinality(String), Attributes Map(LowCardinality(String), String)))"
              + " ENGINE = MergeTree ORDER BY Id",
          Map.of("db", db));
      engine.execute(
          "INSERT INTO {db:Identifier}.t SELECT 1, [toDateTime64('2024-01-01 00:00:00.000000001', 9, 'UTC'),"
              + " toDateTime64('2024-01-01 00:00:00.000000002', 9, 'UTC')], ['a', 'b'], [map('k', 'v'), map()]",
          Map.of("db", db));

      QueryResult byColumn =
          engine.query(
              "SELECT Events.Timestamp, Events.Name, Events.Attributes FROM {db:Identifier}.t",
              Map.of("db", db));
      QueryResult whole = engine.query("SELECT Events FROM {db:Identifier}.t", Map.of("db", db));

      Instant t1 = Instant.parse("2024-01-01T00:00:00.000000001Z");
      Instant t2 = Instant.parse("2024-01-01T00:00:00.000000002Z");
      assertThat(byColumn.rows())
          .containsExactly(List.of(List.of(t1, t2), List.of("a", "b"), List.of(Map.of("k", "v"), Map.of())));
      assertThat(whole.rows())
          .containsExactly(List.of(List.of(List.of(t1, "a", Map.of("k", "v")), List.of(t2, "b", Map.of()))));
    } finally {
      ChdbTestEngine.dropDatabase(db);
    }
  }

  @Test
  void emptyResult_keepsHeader() throws StoreException {
    QueryResult result = engine.query("SELECT number AS n FROM numbers(0)", Map.of());

    assertThat(result.rows()).isEmpty();
    assertThat(result.columnNames()).containsExactly("n");
    assertThat(result.columnTypes()).containsExactly("UInt64");
  }
}
