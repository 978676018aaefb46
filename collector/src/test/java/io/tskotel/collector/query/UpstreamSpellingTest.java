package io.tskotel.collector.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.collector.web.charts.ChartSeries;
import io.tskotel.collector.web.charts.Charts;
import io.tskotel.exporter.testing.TestStores;
import io.tskotel.exporter.testing.VizTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Server spans stored in the spelling older clickhouseexporters wrote ({@code SPAN_KIND_SERVER},
 * {@code STATUS_CODE_ERROR}) count exactly as ours do, in the query functions and in the dashboard's charts.
 */
class UpstreamSpellingTest {
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MINUTES);
  static ClickHouseStore store;
  static QueryFunctions functions;
  static double errorRateOurs;
  static double requestRateOurs;

  @BeforeAll
  static void writeFixtureThenRespell() throws Exception {
    store = TestStores.newStore(UpstreamSpellingTest.class);
    new VizTelemetry(NOW).writeTo(store);
    functions =
        QueryFunctions.builder(store)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .config(QueryConfig.builder().database(store.config().database()).build())
            .build();
    errorRateOurs = functions.errorRate(Duration.ofHours(1));
    requestRateOurs = functions.requestRate(Duration.ofHours(1));
    Map<String, String> db = Map.of("db", store.config().database());
    store.engine().execute(
        "INSERT INTO {db:Identifier}.otel_traces SELECT * REPLACE ('SPAN_KIND_SERVER' AS SpanKind,"
            + " multiIf(StatusCode = 'Error', 'STATUS_CODE_ERROR', StatusCode = 'Ok', 'STATUS_CODE_OK',"
            + " 'STATUS_CODE_UNSET') AS StatusCode)"
            + " FROM (SELECT * FROM {db:Identifier}.otel_traces WHERE SpanKind = 'Server')",
        db);
    store.engine().execute("DELETE FROM {db:Identifier}.otel_traces WHERE SpanKind = 'Server'", db);
  }

  @AfterAll
  static void close() {
    store.close();
  }

  @Test
  void fixture_respelled() throws Exception {
    var kinds =
        store.query(
            "SELECT SpanKind, StatusCode, count() FROM {db:Identifier}.otel_traces"
                + " WHERE SpanKind IN ('Server', 'SPAN_KIND_SERVER') GROUP BY SpanKind, StatusCode"
                + " ORDER BY StatusCode",
            Map.of("db", store.config().database()));
    assertThat(kinds.rows())
        .containsExactly(
            List.of("SPAN_KIND_SERVER", "STATUS_CODE_ERROR", 1L),
            List.of("SPAN_KIND_SERVER", "STATUS_CODE_UNSET", 5L));
  }

  @Test
  void functions_countUpstreamSpelling() throws Exception {
    assertThat(requestRateOurs).isEqualTo(6.0 / 3600);
    assertThat(errorRateOurs).isEqualTo(100.0 * 2 / 6);
    assertThat(functions.requestRate(Duration.ofHours(1))).isEqualTo(requestRateOurs);
    assertThat(functions.errorRate(Duration.ofHours(1))).isEqualTo(errorRateOurs);
  }

  @Test
  void charts_countUpstreamSpelling() throws Exception {
    Charts hour =
        ChartSeries.builder(store, store.config().database())
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .build()
            .query(Duration.ofHours(1));
    List<Double> rates = hour.series().get("request_rate");
    assertThat(rates.subList(52, 58)).containsOnly(1.0 / 60);
    List<Double> errors = hour.series().get("error_rate");
    assertThat(errors.subList(52, 58)).containsExactly(0.0, 0.0, 0.0, 100.0, 0.0, 100.0);
  }
}
