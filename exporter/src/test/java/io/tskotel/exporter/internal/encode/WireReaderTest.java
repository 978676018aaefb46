package io.tskotel.exporter.internal.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WireReaderTest {
  private static void assertAgrees(byte[] b, int off, int len) {
    assertThat(WireReader.Utf8.isValid(b, off, len))
        .as("%s", HexFormat.of().formatHex(b, off, off + len))
        .isEqualTo(ByteString.copyFrom(b, off, len).isValidUtf8());
  }

  @Test
  void utf8_everyOneAndTwoByteSequence_agreesWithProtobuf() {
    byte[] b = new byte[2];
    for (int i = 0; i < 256; i++) {
      b[0] = (byte) i;
      assertAgrees(b, 0, 1);
      for (int j = 0; j < 256; j++) {
        b[1] = (byte) j;
        assertAgrees(b, 0, 2);
      }
    }
  }

  @Test
  void utf8_threeAndFourByteLeadsWithEveryContinuation_agreesWithProtobuf() {
    int[] tails = {0x00, 0x3F, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
    for (int lead = 0xE0; lead <= 0xFF; lead++) {
      for (int second = 0x70; second <= 0xC5; second++) {
        for (int t : tails) {
          assertAgrees(new byte[] {(byte) lead, (byte) second, (byte) t}, 0, 3);
          for (int u : tails) {
            assertAgrees(new byte[] {(byte) lead, (byte) second, (byte) t, (byte) u}, 0, 4);
          }
        }
      }
    }
  }

  @Test
  void utf8_randomTextWithAsciiRunsAtEveryOffset_agreesWithProtobuf() {
    Random random = new Random(11);
    String[] pieces = {"abcdefgh", "x", "é", "界", "\uD83D\uDE00", "0123456789abcdefXYZ"};
    for (int n = 0; n < 20_000; n++) {
      StringBuilder sb = new StringBuilder();
      for (int k = random.nextInt(8); k >= 0; k--) {
        sb.append(pieces[random.nextInt(pieces.length)]);
      }
      byte[] b = sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      if (random.nextBoolean() && b.length > 0) {
        b[random.nextInt(b.length)] = (byte) random.nextInt(256); // break it somewhere, maybe
      }
      int off = b.length == 0 ? 0 : random.nextInt(b.length);
      assertAgrees(b, off, b.length - off);
      assertAgrees(b, 0, b.length);
    }
  }

  @Test
  void utf8_shortStringsBeforeNonAsciiBytes_agreesWithProtobuf() {
    // The check reads a short string's tail as one long, past its end: the bytes after it must not count.
    Random random = new Random(13);
    byte[] b = new byte[48];
    for (int n = 0; n < 300_000; n++) {
      for (int j = 0; j < b.length; j++) {
        b[j] = (byte) (random.nextInt(4) == 0 ? 0x80 + random.nextInt(128) : random.nextInt(128));
      }
      int off = random.nextInt(24);
      int len = random.nextInt(17);
      for (int j = off; j < off + len; j++) {
        b[j] = (byte) (random.nextInt(20) == 0 ? 0x80 + random.nextInt(128) : random.nextInt(128));
      }
      assertAgrees(b, off, len);
    }
  }

  @Test
  void reader_malformedVarintLengthAndWireTypes_unsure() {
    WireReader r = new WireReader();
    byte[] tenContinuations = new byte[11];
    java.util.Arrays.fill(tenContinuations, (byte) 0x80);
    assertThatThrownBy(() -> r.at(tenContinuations, 0, 11).varint()).isSameAs(WireReader.UNSURE);
    assertThatThrownBy(() -> r.at(new byte[] {0x0A, 0x05, 1}, 0, 3).skip(r.tag())).isSameAs(WireReader.UNSURE);
    assertThatThrownBy(() -> r.at(new byte[] {0x0B}, 0, 1).tag()).isSameAs(WireReader.UNSURE); // a group
    assertThatThrownBy(() -> r.at(new byte[] {0x07}, 0, 1).tag()).isSameAs(WireReader.UNSURE); // field 0
    assertThatThrownBy(() -> r.at(new byte[] {0x09, 1, 2}, 0, 3).fixed64()).isSameAs(WireReader.UNSURE);
    r.at(new byte[] {(byte) 0x96, 0x01, 0x0D, 1, 0, 0, 0}, 0, 7);
    assertThat(r.varint()).isEqualTo(150);
    assertThat(r.tag()).isEqualTo(1 << 3 | WireReader.FIXED32);
    assertThat(r.fixed32()).isEqualTo(1);
    assertThat(r.more()).isFalse();
  }
}
