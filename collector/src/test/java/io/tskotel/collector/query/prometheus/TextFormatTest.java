package io.tskotel.collector.query.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextFormatTest {

  @Test
  void render_fixture_exactText() {
    assertThat(ExpositionFixture.render(ExpositionFixture.self(), ExpositionFixture.stored()))
        .isEqualTo(ExpositionFixture.TEXT);
  }

  @Test
  void render_collisions_areCounted() {
    FamilyAssembler assembler = new FamilyAssembler();
    assembler.addSelf(ExpositionFixture.self());
    assembler.addStored(ExpositionFixture.stored());
    assembler.families();
    assertThat(assembler.dropped()).isEqualTo(1);
    assertThat(assembler.shadowed()).isEqualTo(1);
  }

  @Test
  void render_histogramWithoutBuckets_onlyInf() {
    String text =
        ExpositionFixture.render(
            List.of(),
            List.of(
                new StoredSeries(
                    "h", "", "d", PromType.HISTOGRAM, "", "", "", Map.of(),
                    new StoredSeries.Histogram(List.of(), List.of(), 3.5, 2))));
    assertThat(text)
        .isEqualTo(
            """
            # HELP h d
            # TYPE h histogram
            h_bucket{le="+Inf"} 2
            h_sum 3.5
            h_count 2
            """);
  }

  @Test
  void render_exponentialHistogram_classicBucketsAroundZero() {
    // Scale 1: base sqrt(2). Negative bucket -1 covers (-1, -1/sqrt2]; positive bucket 1 covers
    // (sqrt2, 2]. Counts: negatives [3] at offset -1, zero 2, positives [0, 5] at offset 0.
    String text =
        ExpositionFixture.render(
            List.of(),
            List.of(
                new StoredSeries(
                    "e", "", "d", PromType.HISTOGRAM, "", "", "", Map.of(),
                    new StoredSeries.Exponential(1, 2, 0, List.of(0L, 5L), -1, List.of(3L), 4.5, 10))));
    assertThat(text)
        .isEqualTo(
            """
            # HELP e d
            # TYPE e histogram
            e_bucket{le="-0.7071067811865476"} 3
            e_bucket{le="0"} 5
            e_bucket{le="1.4142135623730951"} 5
            e_bucket{le="2"} 10
            e_bucket{le="+Inf"} 10
            e_sum 4.5
            e_count 10
            """);
  }

  @Test
  void render_familyClaimingAnotherFamiliesSampleName_leftOut() {
    // A gauge named x_count would be read as the _count of histogram x.
    String text =
        ExpositionFixture.render(
            List.of(),
            List.of(
                new StoredSeries(
                    "x", "", "d", PromType.HISTOGRAM, "", "", "", Map.of(),
                    new StoredSeries.Histogram(List.of(1.0), List.of(1L, 0L), 1, 1)),
                new StoredSeries(
                    "x.count", "", "d", PromType.GAUGE, "", "", "", Map.of(),
                    new StoredSeries.Value(5))));
    assertThat(text).doesNotContain("# TYPE x_count").contains("x_count 1\n");
  }
}
