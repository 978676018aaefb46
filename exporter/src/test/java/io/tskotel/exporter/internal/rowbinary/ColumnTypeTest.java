package io.tskotel.exporter.internal.rowbinary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Type names as {@code system.columns} reports them, parsed for the transcoder. */
class ColumnTypeTest {

  @Test
  void parse_argumentsWithQuotesCommasAndNesting() {
    assertThat(ColumnType.parse("DateTime64(9, 'Europe/Paris')"))
        .isEqualTo(new ColumnType.Fixed("DateTime64(9, 'Europe/Paris')", 8));
    assertThat(ColumnType.parse("Enum8('a, b' = 1, 'c)' = 2)")).isEqualTo(new ColumnType.Fixed("Enum8('a, b' = 1, 'c)' = 2)", 1));
    assertThat(ColumnType.parse("Map(LowCardinality(String), Array(Map(String, UInt64)))").nativeName())
        .isEqualTo("Map(String, Array(Map(String, UInt64)))");
    assertThat(ColumnType.parse("LowCardinality(Nullable(String))").nativeName()).isEqualTo("Nullable(String)");
    assertThat(ColumnType.parse("FixedString(16)")).isEqualTo(new ColumnType.Fixed("FixedString(16)", 16));
  }

  @Test
  void parse_typesItCannotTranscode_refusedByName() {
    for (String t : new String[] {"Tuple(String, UInt8)", "JSON", "Variant(String, UInt64)", "Map(String)",
        "Array(String", "Dynamic"}) {
      assertThatThrownBy(() -> ColumnType.parse(t)).as(t).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("type ");
    }
  }
}
