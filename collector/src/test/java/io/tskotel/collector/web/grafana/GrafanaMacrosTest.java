package io.tskotel.collector.web.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GrafanaMacrosTest {

  @Test
  void expand_everyMacro_becomesBoundParameters() {
    GrafanaMacros.Expanded e =
        GrafanaMacros.expand(
            "SELECT $__timeInterval(Timestamp) AS time, count() / $__interval_s FROM otel_traces"
                + " WHERE $__timeFilter(Timestamp) AND dateDiff('second', $__fromTime, $__toTime) > 0"
                + " AND $__conditionalAll(ServiceName IN (${service:singlequote}), $service)"
                + " AND Body = ${search:sqlstring}",
            "db1", 100, 200, 10, Map.of("service", "api", "search", "it's"));
    assertThat(e.sql())
        .isEqualTo(
            "SELECT toStartOfInterval(toDateTime(Timestamp), toIntervalSecond({g_interval_s:UInt32}))"
                + " AS time, count() / {g_interval_s:UInt32} FROM {g_db:Identifier}.otel_traces"
                + " WHERE Timestamp >= toDateTime({g_from:Int64}) AND Timestamp <= toDateTime({g_to:Int64})"
                + " AND dateDiff('second', toDateTime({g_from:Int64}), toDateTime({g_to:Int64})) > 0"
                + " AND (ServiceName IN ({v_service:String})) AND Body = {v_search:String}");
    assertThat(e.params())
        .containsEntry("g_db", "db1")
        .containsEntry("g_from", "100")
        .containsEntry("g_to", "200")
        .containsEntry("v_service", "api")
        .containsEntry("v_search", "it's");
  }

  @Test
  void expand_conditionalAllWithAll_isTrue() {
    GrafanaMacros.Expanded e =
        GrafanaMacros.expand(
            "SELECT 1 FROM otel_logs WHERE $__conditionalAll(ServiceName IN (${service:singlequote}), $service)",
            "db", 0, 1, 1, Map.of("service", GrafanaMacros.ALL));
    assertThat(e.sql()).isEqualTo("SELECT 1 FROM {g_db:Identifier}.otel_logs WHERE 1=1");
  }

  @Test
  void expand_unknownMacro_fails() {
    assertThatThrownBy(() -> GrafanaMacros.expand("SELECT $__unixEpochFilter(t)", "db", 0, 1, 1, Map.of()))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("unexpanded");
  }
}
