package io.tskotel.exporter.internal.rowbinary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RowBinaryWriterTest {
  private static String hex(RowBinaryWriter w) {
    return HexFormat.of().formatHex(w.toByteArray());
  }

  @Test
  void writeVarUInt_leb128() {
    RowBinaryWriter w = new RowBinaryWriter(16);
    w.writeVarUInt(0).writeVarUInt(127).writeVarUInt(128).writeVarUInt(300).writeVarUInt(-1L);
    assertThat(hex(w)).isEqualTo("00" + "7f" + "8001" + "ac02" + "ffffffffffffffffff01");
  }

  @Test
  void writeNumbers_littleEndian() {
    RowBinaryWriter w = new RowBinaryWriter();
    w.writeUInt8(0xAB).writeUInt16(0x0102).writeInt32(-2).writeUInt32(0xFFFFFFFFL).writeInt64(0x0102030405060708L);
    assertThat(hex(w)).isEqualTo("ab" + "0201" + "feffffff" + "ffffffff" + "0807060504030201");
  }

  @Test
  void writeUInt64_unsignedAbove2pow63() {
    RowBinaryWriter w = new RowBinaryWriter();
    w.writeUInt64(Long.parseUnsignedLong("18446744073709551615"));
    assertThat(hex(w)).isEqualTo("ffffffffffffffff");
  }

  @Test
  void writeFloat64_ieee754() {
    RowBinaryWriter w = new RowBinaryWriter();
    w.writeFloat64(1.5).writeFloat64(Double.NaN);
    assertThat(hex(w)).isEqualTo("000000000000f83f" + "000000000000f87f");
  }

  @Test
  void writeDateTime64Nanos_int64() {
    RowBinaryWriter w = new RowBinaryWriter();
    w.writeDateTime64Nanos(1_700_000_000_123_456_789L);
    assertThat(hex(w)).isEqualTo("15cd853dfe9c9717");
  }

  @Test
  void writeString_asciiUnicodeAndEmpty() {
    RowBinaryWriter w = new RowBinaryWriter(16);
    w.writeString("").writeString("ab").writeString("é€😀");
    // é = c3a9, € = e282ac, 😀 = f09f9880: 9 bytes
    assertThat(hex(w)).isEqualTo("00" + "026162" + "09c3a9e282acf09f9880");
  }

  @Test
  void writeString_growsBeyondInitialCapacity() {
    RowBinaryWriter w = new RowBinaryWriter(16);
    String big = "x".repeat(1 << 20);
    w.writeString(big);
    byte[] b = w.toByteArray();
    assertThat(b).hasSize(3 + (1 << 20));
    assertThat(HexFormat.of().formatHex(b, 0, 3)).isEqualTo("808040");
    assertThat(b[b.length - 1]).isEqualTo((byte) 'x');
  }

  @Test
  void writeHexString_lowercase() {
    RowBinaryWriter w = new RowBinaryWriter();
    w.writeHexString(new byte[] {(byte) 0xAB, 0x01});
    assertThat(new String(w.toByteArray(), 1, 4)).isEqualTo("ab01");
    assertThat(w.toByteArray()[0]).isEqualTo((byte) 4);
  }

  @Test
  void writeUuid_twoLittleEndianHalves() {
    RowBinaryWriter w = new RowBinaryWriter();
    w.writeUuid(UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"));
    assertThat(hex(w)).isEqualTo("7766554433221100" + "ffeeddccbbaa9988");
  }

  @Test
  void reset_keepsBuffer() {
    RowBinaryWriter w = new RowBinaryWriter(16);
    w.writeString("x".repeat(100));
    byte[] buf = w.buffer();
    w.reset();
    assertThat(w.size()).isZero();
    assertThat(w.buffer()).isSameAs(buf);
  }
}
