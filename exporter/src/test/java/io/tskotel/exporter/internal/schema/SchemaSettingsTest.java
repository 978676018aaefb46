package io.tskotel.exporter.internal.schema;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaSettingsTest {
  @Test
  void constructor_rejectsInjectionInEveryTemplatedValue() {
    assertThatThrownBy(() -> new SchemaSettings("otel`; DROP TABLE x; --", "c` ON", "MergeTree) ; DROP",
        List.of("/ok/{shard}", "x'); DROP"), Map.of("traces", Duration.ofMillis(5), "bogus", Duration.ZERO)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("database: \"otel`; DROP TABLE x; --\"")
        .hasMessageContaining("cluster: \"c` ON\"")
        .hasMessageContaining("engine: \"MergeTree) ; DROP\"")
        .hasMessageContaining("engineParams[1]")
        .hasMessageContaining("ttl.traces: PT0.005S")
        .hasMessageContaining("ttl.bogus: unknown signal");
  }
}
