package io.tskotel.exporter.internal.rowbinary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.testing.RowBinaryBytes;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-made inputs: what the engine never sends, and the edges of the format. */
class RowBinaryReaderTest {

  private static RowBinaryBytes header(String... namesAndTypes) {
    RowBinaryBytes out = new RowBinaryBytes().varUInt(namesAndTypes.length / 2);
    for (int i = 0; i < namesAndTypes.length; i += 2) {
      out.string(namesAndTypes[i]);
    }
    for (int i = 1; i < namesAndTypes.length; i += 2) {
      out.string(namesAndTypes[i]);
    }
    return out;
  }

  @Test
  void read_headerOnly_hasNoRows() throws StoreException {
    QueryResult result = RowBinaryReader.read(header("a", "String", "b", "UInt8").toByteArray());

    assertThat(result.columnNames()).containsExactly("a", "b");
    assertThat(result.columnTypes()).containsExactly("String", "UInt8");
    assertThat(result.rows()).isEmpty();
  }

  @Test
  void read_severalRowsWithNulls() throws StoreException {
    byte[] bytes =
        header("s", "Nullable(String)", "n", "UInt16")
            .uint8(0).string("x").int16(65535)
            .uint8(1).int16(7)
            .toByteArray();

    QueryResult result = RowBinaryReader.read(bytes);

    assertThat(result.rows()).containsExactly(List.of("x", 65535L), Arrays.asList(null, 7L));
  }

  @Test
  void read_fromBufferPosition() throws StoreException {
    byte[] bytes = header("n", "UInt8").uint8(9).toByteArray();
    ByteBuffer buffer = ByteBuffer.allocate(bytes.length + 3);
    buffer.put(new byte[] {1, 2, 3}).put(bytes).flip().position(3);

    assertThat(RowBinaryReader.read(buffer).rows()).containsExactly(List.of(9L));
  }

  @Test
  void read_truncatedRow_isPermanent() {
    byte[] bytes = header("n", "UInt64").raw(new byte[] {1, 2, 3}).toByteArray();

    assertThatThrownBy(() -> RowBinaryReader.read(bytes))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("malformed RowBinaryWithNamesAndTypes");
  }

  @Test
  void read_stringLongerThanInput_isPermanent() {
    byte[] bytes = header("s", "String").varUInt(1_000_000).raw("abc".getBytes()).toByteArray();

    assertThatThrownBy(() -> RowBinaryReader.read(bytes)).hasMessageContaining("malformed");
  }

  @Test
  void read_hugeArrayLength_isPermanentNotOutOfMemory() {
    byte[] bytes = header("a", "Array(UInt8)").varUInt(Long.MAX_VALUE).toByteArray();

    assertThatThrownBy(() -> RowBinaryReader.read(bytes)).hasMessageContaining("out of range");
  }

  @Test
  void read_endlessVarint_isPermanent() {
    byte[] bytes = new byte[12];
    Arrays.fill(bytes, (byte) 0x80);

    assertThatThrownBy(() -> RowBinaryReader.read(bytes)).hasMessageContaining("varint");
  }

  @Test
  void read_unsupportedType_namesIt() {
    for (String type : List.of("JSON", "Dynamic", "Variant(String, UInt8)", "Array(String", "Decimal(100, 2)", "Object('json')")) {
      byte[] bytes = header("v", type).toByteArray();

      assertThatThrownBy(() -> RowBinaryReader.read(bytes))
          .as(type)
          .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isFalse())
          .hasMessageContaining("unsupported ClickHouse type in a result: " + type);
    }
  }

  @Test
  void read_enumValueWithoutName_isPermanent() {
    byte[] bytes = header("e", "Enum8('a' = 1)").uint8(2).toByteArray();

    assertThatThrownBy(() -> RowBinaryReader.read(bytes)).hasMessageContaining("enum value 2");
  }

  @Test
  void read_namedTupleWithQuotedNamesAndCommasInEnum() throws StoreException {
    byte[] bytes =
        header("t", "Tuple(`a, b` Enum8('x,y' = 1, 'z)' = 2), c LowCardinality(Nullable(String)))")
            .uint8(2).uint8(0).string("q")
            .toByteArray();

    assertThat(RowBinaryReader.read(bytes).rows()).containsExactly(List.of(List.of("z)", "q")));
  }

  @Test
  void read_nestedType_isArrayOfTuples() throws StoreException {
    byte[] bytes =
        header("n", "Nested(a UInt8, b String)").varUInt(2).uint8(1).string("x").uint8(2).string("").toByteArray();

    assertThat(RowBinaryReader.read(bytes).rows())
        .containsExactly(List.of(List.of(List.of(1L, "x"), List.of(2L, ""))));
  }

  @Test
  void read_simpleAggregateFunction_isItsType() throws StoreException {
    byte[] bytes = header("s", "SimpleAggregateFunction(sum, UInt64)").int64(5).toByteArray();

    assertThat(RowBinaryReader.read(bytes).rows()).containsExactly(List.of(5L));
  }

  @Test
  void read_invalidUtf8_isReplacedNotFatal() throws StoreException {
    byte[] bytes = header("s", "String").bytes(new byte[] {'a', (byte) 0xFF, 'b'}).toByteArray();

    assertThat(RowBinaryReader.read(bytes).rows()).containsExactly(List.of("a\uFFFDb"));
  }
}
