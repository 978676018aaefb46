package io.tskotel.exporter.internal.encode;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributesTest {
  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  @Test
  void writeMap_sortsByKeyAndKeepsFirstOfRepeatedKeys() {
    EncodeStats stats = new EncodeStats();
    RowBinaryWriter w = new RowBinaryWriter();
    Attributes.writeMap(w, List.of(kv("b", "2"), kv("a", "1"), kv("b", "dup")), stats);
    // 2 entries: "a"->"1", "b"->"2"
    assertThat(HexFormat.of().formatHex(w.toByteArray())).isEqualTo("02" + "0161" + "0131" + "0162" + "0132");
    assertThat(stats.snapshot()).containsEntry("duplicate_attribute_keys", 1L);
  }

  @Test
  void writeMap_sameSetInAnyOrderEncodesEqually() {
    EncodeStats stats = new EncodeStats();
    RowBinaryWriter a = new RowBinaryWriter();
    RowBinaryWriter b = new RowBinaryWriter();
    Attributes.writeMap(a, List.of(kv("x", "1"), kv("y", "2"), kv("é", "3")), stats);
    Attributes.writeMap(b, List.of(kv("é", "3"), kv("y", "2"), kv("x", "1")), stats);
    assertThat(a.toByteArray()).isEqualTo(b.toByteArray());
  }

  @Test
  void writeMap_repeatedAndChangedKeySequences_eachSortedByItsOwnKeys() {
    // The thread's remembered order for 3 keys must serve only the same key sequence.
    EncodeStats stats = new EncodeStats();
    List<List<KeyValue>> inputs = List.of(
        List.of(kv("c", "1"), kv("a", "2"), kv("b", "3")),
        List.of(kv("c", "4"), kv("a", "5"), kv("b", "6")),
        List.of(kv("b", "7"), kv("c", "8"), kv("a", "9")),
        List.of(kv("c", "x"), kv("a", "y"), kv("c", "dup")));
    List<String> expected = List.of("a=2 b=3 c=1", "a=5 b=6 c=4", "a=9 b=7 c=8", "a=y c=x");
    for (int i = 0; i < inputs.size(); i++) {
      StringBuilder got = new StringBuilder();
      for (KeyValue e : Attributes.sortedUnique(inputs.get(i), stats)) {
        got.append(got.isEmpty() ? "" : " ").append(e.getKey()).append('=').append(e.getValue().getStringValue());
      }
      assertThat(got.toString()).as("input %d", i).isEqualTo(expected.get(i));
    }
    assertThat(stats.snapshot()).containsEntry("duplicate_attribute_keys", 1L);
  }

  @Test
  void compareCodePoints_supplementaryAfterBmp() {
    // UTF-16 order would put U+1F600 (surrogates D83D..) before U+FF5E; UTF-8 byte order does not.
    assertThat(Attributes.compareCodePoints("\uD83D\uDE00", "\uFF5E")).isPositive();
    assertThat(Attributes.compareCodePoints("a", "ab")).isNegative();
    assertThat(Attributes.compareCodePoints("b", "a")).isPositive();
  }

  @Test
  void writeMap_empty() {
    RowBinaryWriter w = new RowBinaryWriter();
    Attributes.writeMap(w, List.of(), new EncodeStats());
    assertThat(w.toByteArray()).containsExactly(0);
  }
}
