package io.tskotel.exporter.internal.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryParamsTest {
  @Test
  void format_scalars() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("s", "a\tb\\c\nd'e");
    p.put("l", 42L);
    p.put("i", -7);
    p.put("d", 0.25);
    p.put("nan", Double.NaN);
    p.put("b", true);
    p.put("t", Instant.ofEpochSecond(1_700_000_000L, 123_456_789));
    p.put("dur", Duration.ofMillis(1500));
    p.put("n", null);
    assertThat(QueryParams.format(p)).containsExactly(
        Map.entry("s", "a\\tb\\\\c\\nd'e"),
        Map.entry("l", "42"),
        Map.entry("i", "-7"),
        Map.entry("d", "0.25"),
        Map.entry("nan", "nan"),
        Map.entry("b", "true"),
        Map.entry("t", "1700000000.123456789"),
        Map.entry("dur", "1500000000"),
        Map.entry("n", "\\N"));
  }

  @Test
  void format_instantBeforeEpoch() {
    assertThat(QueryParams.epochSeconds(Instant.ofEpochSecond(-2, 500_000_000))).isEqualTo("-1.500000000");
  }

  @Test
  void format_listsAndMapsAreQuoted() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("names", List.of("a'b", "c\\d"));
    p.put("nums", List.of(1L, 2L));
    p.put("nested", List.of(List.of("x")));
    p.put("m", Map.of("k", "v"));
    assertThat(QueryParams.format(p)).containsExactly(
        Map.entry("names", "['a\\'b','c\\\\d']"),
        Map.entry("nums", "[1,2]"),
        Map.entry("nested", "[['x']]"),
        Map.entry("m", "{'k':'v'}"));
  }

  @Test
  void format_rejectsBadNamesAndTypes() {
    assertThatThrownBy(() -> QueryParams.format(Map.of("bad name", 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("param name: bad name");
    assertThatThrownBy(() -> QueryParams.format(Map.of("x", new Object())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("param x: unsupported type");
    assertThatThrownBy(() -> QueryParams.format(Map.of("x", Arrays.asList(new StringBuilder("s")))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
