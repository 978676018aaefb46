package io.tskotel.exporter.internal.rowbinary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.chdb.ChdbEngine;
import io.tskotel.exporter.testing.ChdbTestEngine;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every type the transcoder handles, against the real engine: the RowBinary the engine writes for some
 * rows, transcoded, must be byte for byte the engine's own Native for those rows (where it sends no
 * dictionaries), and inserted as Native it must read back as the same RowBinary.
 */
class NativeBlockEngineTest {
  private static final AtomicInteger tables = new AtomicInteger();
  private static ChdbEngine engine;
  private static String db;

  @BeforeAll
  static void setUp() throws StoreException {
    engine = ChdbTestEngine.shared();
    db = ChdbTestEngine.newDatabase(NativeBlockEngineTest.class);
    engine.execute("CREATE DATABASE IF NOT EXISTS `" + db + "`", Map.of());
  }

  /** {@code rows} rows of {@code expression} (of {@code number}) cast to {@code type}, through Native. */
  private static void roundTrip(String type, String expression, int rows) throws StoreException {
    String select = "SELECT CAST(" + expression + ", '" + type.replace("'", "\\'") + "') AS v FROM numbers("
        + rows + ") ORDER BY number";
    byte[] rowBinary = engine.queryFormatted(select, Map.of(), "RowBinary", Map.of());
    NativeBlock.Schema schema = NativeBlock.Schema.of(List.of("v"), List.of(type));
    RowBinaryWriter block = new NativeBlock().transcode(schema, rowBinary, rowBinary.length, rows);
    byte[] ours = Arrays.copyOf(block.buffer(), block.size());
    if (!type.contains("LowCardinality") && rows > 0) {
      byte[] theirs = engine.queryFormatted(select, Map.of(), "Native", Map.of());
      assertThat(ours).as("Native of %s", type).isEqualTo(theirs);
    }
    String table = "`" + db + "`.`t" + tables.incrementAndGet() + "`";
    engine.execute("CREATE TABLE " + table + " (n UInt64 DEFAULT 0, v " + type + ") ENGINE = Memory", Map.of());
    engine.insertNative("INSERT INTO " + table + " (`v`)", ours, ours.length, rows);
    byte[] back = engine.queryFormatted("SELECT v FROM " + table, Map.of(), "RowBinary", Map.of());
    assertThat(back).as("%s read back", type).isEqualTo(rowBinary);
  }

  @Test
  void fixedWidths_sameBytesAsTheEngine() throws StoreException {
    roundTrip("UInt8", "number % 256", 5);
    roundTrip("Int32", "-number * 1000", 5);
    roundTrip("UInt64", "number * 1000000007", 5);
    roundTrip("Float64", "number / 3", 5);
    roundTrip("Bool", "number % 2 = 1", 5);
    roundTrip("UUID", "toUUID(concat('61f0c404-5cb3-11e7-907b-a6006ad3dba', toString(number)))", 5);
    roundTrip("DateTime", "toDateTime(1700000000 + number, 'UTC')", 5);
  }

  @Test
  void dateTime64_asInt64Nanoseconds() throws StoreException {
    roundTrip("DateTime64(9)", "fromUnixTimestamp64Nano(toInt64(1700000000123456789 + number))", 5);
    roundTrip("DateTime64(3)", "fromUnixTimestamp64Milli(toInt64(1700000000123 + number))", 5);
  }

  @Test
  void strings_emptyMultibyteAndLong() throws StoreException {
    roundTrip("String", "multiIf(number = 0, '', number = 1, 'héllo ✓', repeat('x', 200 * number))", 4);
    roundTrip("LowCardinality(String)", "concat('service-', toString(number % 3))", 7);
    roundTrip("FixedString(4)", "toFixedString(leftPad(toString(number), 4, '0'), 4)", 3);
  }

  @Test
  void arrays_emptyFixedStringAndNested() throws StoreException {
    roundTrip("Array(UInt64)", "range(number)", 4);
    roundTrip("Array(Float64)", "arrayMap(x -> x / 2, range(number))", 4);
    roundTrip("Array(String)", "arrayMap(x -> repeat('a', x), range(number))", 4);
    roundTrip("Array(DateTime64(9))", "arrayMap(x -> fromUnixTimestamp64Nano(toInt64(x)), range(number))", 4);
    roundTrip("Array(Array(String))", "arrayMap(x -> arrayMap(y -> toString(y), range(x)), range(number))", 4);
    roundTrip("Array(LowCardinality(String))", "arrayMap(x -> toString(x % 2), range(number))", 4);
  }

  @Test
  void maps_emptyAndLowCardinalityKeys() throws StoreException {
    roundTrip("Map(String, String)",
        "mapFromArrays(arrayMap(x -> concat('k', toString(x)), range(number)), arrayMap(x -> repeat('v', x), range(number)))", 4);
    roundTrip("Map(LowCardinality(String), String)",
        "mapFromArrays(arrayMap(x -> concat('k', toString(x)), range(number)), arrayMap(x -> toString(x), range(number)))", 4);
    roundTrip("Map(String, UInt64)",
        "mapFromArrays(arrayMap(x -> toString(x), range(number)), range(number))", 4);
  }

  @Test
  void arrayOfMaps_offsetsThenKeysThenValues() throws StoreException {
    roundTrip("Array(Map(LowCardinality(String), String))",
        "arrayMap(x -> mapFromArrays(arrayMap(y -> concat('k', toString(y)), range(x)),"
            + " arrayMap(y -> toString(y * 7), range(x))), range(number))", 5);
  }

  @Test
  void nullable_nullMapThenValues() throws StoreException {
    roundTrip("Nullable(String)", "if(number % 2 = 0, NULL, toString(number))", 5);
    roundTrip("Nullable(Int32)", "if(number % 3 = 0, NULL, toInt32(number))", 5);
    roundTrip("Array(Nullable(String))", "arrayMap(x -> if(x = 1, NULL, toString(x)), range(number))", 4);
  }

  @Test
  void zeroRows_headerOnly() throws StoreException {
    roundTrip("Map(LowCardinality(String), String)", "map()", 0);
  }

  @Test
  void severalColumns_inTheInsertsOrder() throws StoreException {
    String select = "SELECT toString(number) AS a, range(number) AS b, toUInt8(number) AS c FROM numbers(3)";
    byte[] rowBinary = engine.queryFormatted(select, Map.of(), "RowBinary", Map.of());
    NativeBlock.Schema schema = NativeBlock.Schema.of(List.of("a", "b", "c"),
        List.of("String", "Array(UInt64)", "UInt8"));
    RowBinaryWriter block = new NativeBlock().transcode(schema, rowBinary, rowBinary.length, 3);
    byte[] theirs = engine.queryFormatted(select, Map.of(), "Native", Map.of());
    assertThat(Arrays.copyOf(block.buffer(), block.size())).isEqualTo(theirs);
  }

  @Test
  void transcode_wrongRowCount_refused() throws StoreException {
    byte[] rowBinary = engine.queryFormatted("SELECT toString(number) FROM numbers(3)", Map.of(), "RowBinary",
        Map.of());
    NativeBlock.Schema schema = NativeBlock.Schema.of(List.of("v"), List.of("String"));
    NativeBlock block = new NativeBlock();
    assertThatThrownBy(() -> block.transcode(schema, rowBinary, rowBinary.length, 2))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("expected: " + rowBinary.length);
    assertThatThrownBy(() -> block.transcode(schema, rowBinary, rowBinary.length - 1, 3))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void schema_unsupportedType_refused() {
    assertThatThrownBy(() -> NativeBlock.Schema.of(List.of("v"), List.of("Tuple(String, UInt8)")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Tuple(String, UInt8)");
    assertThatThrownBy(() -> NativeBlock.Schema.of(List.of("v", "w"), List.of("String")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void schema_lowCardinalityAnnouncedPlain() {
    NativeBlock.Schema schema = NativeBlock.Schema.of(List.of("a", "b", "c"), List.of(
        "LowCardinality(String)", "Map(LowCardinality(String), String)", "Array(Map(LowCardinality(String), String))"));
    assertThat(List.of(schema.nativeType(0), schema.nativeType(1), schema.nativeType(2)))
        .containsExactly("String", "Map(String, String)", "Array(Map(String, String))");
  }
}
