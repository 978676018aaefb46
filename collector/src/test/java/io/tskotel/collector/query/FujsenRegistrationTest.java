package io.tskotel.collector.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tskotel.exporter.AlertRecord;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.QueryResult;
import io.tskotel.tsk.Tsk;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The functions through the TSK fujsen registry, under the seed's names. */
class FujsenRegistrationTest {
  /** Sections of the seed (bodies shortened) plus a SQL fujsen and a [query] section. */
  static final String TSK =
      """
      [metrics]
      request_count: @metric("counter", "requests_total")
      response_time: @metric("histogram", "response_time_seconds")
      get_metrics_fujsen = '''
      def get_metrics(metric_name, time_range='1h', aggregation='avg'):
          return query(...)
      '''

      [business_metrics]
      user_registrations: @metric("counter", "user_registrations_total")

      [alerting]
      calculate_error_rate_fujsen = '''
      def calculate_error_rate():
          return 0
      '''

      [dashboard]
      metrics_endpoint: "/metrics"
      generate_dashboard_data_fujsen = '''def generate_dashboard_data(): pass'''
      calculate_request_rate_fujsen = '''def calculate_request_rate(): pass'''
      calculate_revenue_today_fujsen = '''def calculate_revenue_today(): pass'''
      get_recent_alerts_fujsen = '''def get_recent_alerts(): pass'''
      export_metrics_fujsen = '''def export_metrics(): pass'''

      [reports]
      spans_by_service_fujsen = '''
      SELECT SpanName, count() AS n FROM {db:Identifier}.otel_traces
      WHERE ServiceName = {service:String} AND SpanKind = 'Server'
      GROUP BY SpanName ORDER BY SpanName
      '''

      [query]
      time_zone: "Europe/Berlin"
      error_status_threshold: 500
      """;

  private static ClickHouseStore store;
  private static Tsk tsk;
  private static QueryFunctions direct;

  @BeforeAll
  static void setUp() throws Exception {
    store = QueryFixture.newStore(FujsenRegistrationTest.class);
    QueryFixture.writeAll(store);
    tsk = Tsk.parse(TSK);
    QueryConfig config = QueryConfig.fromTsk(tsk, store.config().database());
    QueryFunctions f =
        QueryFunctions.builder(store)
            .clock(QueryFixture.CLOCK)
            .config(config)
            .sqlFujsen(SqlFujsens.of(FujsenRegistration.sqlFujsen(tsk), store, config))
            .build();
    FujsenRegistration.register(tsk.fujsenRegistry(), f);
    direct = f;
  }

  @AfterAll
  static void tearDown() {
    QueryFixture.dispose(store);
  }

  @Test
  void config_fromTsk() {
    QueryConfig c = direct.config();
    assertThat(c.metricAliases())
        .containsEntry("request_count", "requests_total")
        .containsEntry("response_time", "response_time_seconds")
        .containsEntry("user_registrations", "user_registrations_total");
    assertThat(c.zone().getId()).isEqualTo("Europe/Berlin");
    assertThat(c.errorStatusThreshold()).isEqualTo(500);
  }

  @Test
  void register_seedNames() {
    assertThat(tsk.fujsenRegistry().names()).containsAll(FujsenRegistration.NAMES).contains("spans_by_service");
  }

  @Test
  void executeFujsen_seedCalls() throws Exception {
    assertThat(tsk.executeFujsen("metrics", "get_metrics", "response_time", "1h", "avg")).isEqualTo(List.of(1.25));
    assertThat(tsk.executeFujsen("metrics", "get_metrics", "cpu_usage")).isEqualTo(direct.getMetrics("cpu_usage", "1h", "avg", Map.of()));
    assertThat(tsk.executeFujsen("metrics", "get_metrics", "cpu_usage", "1h", "avg", Map.of("host", "a")))
        .isEqualTo(List.of(30.0));
    // Threshold 500 from [query]: 2 of 8.
    assertThat((Double) tsk.executeFujsen("alerting", "calculate_error_rate")).isCloseTo(25.0, within(1e-9));
    assertThat((Double) tsk.executeFujsen("dashboard", "calculate_request_rate")).isCloseTo(8.0 / 60, within(1e-9));
    assertThat(tsk.executeFujsen("dashboard", "calculate_revenue_today")).isEqualTo(150.0);
    @SuppressWarnings("unchecked")
    List<AlertRecord> alerts = (List<AlertRecord>) tsk.executeFujsen("dashboard", "get_recent_alerts");
    assertThat(alerts).extracting(AlertRecord::type).containsExactly("high_cpu", "high_error_rate");
    DashboardData d = (DashboardData) tsk.executeFujsen("dashboard", "generate_dashboard_data");
    assertThat(d).isEqualTo(direct.dashboardData());
    assertThat(tsk.executeFujsen("dashboard", "export_metrics")).isEqualTo(direct.exportMetrics());
  }

  @Test
  void executeFujsen_sqlFujsenWithParams() {
    QueryResult r = (QueryResult) tsk.executeFujsen("reports", "spans_by_service", Map.of("service", "shop"));
    assertThat(r.rows()).containsExactly(List.of("GET /a", 6L), List.of("POST /b", 2L));
  }

  @Test
  void executeFujsen_badArgumentsAreClear() {
    assertThatThrownBy(() -> tsk.executeFujsen("metrics", "get_metrics", "cpu_usage", "forever"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1m, 5m, 1h, 24h, 7d");
    assertThatThrownBy(() -> tsk.executeFujsen("metrics", "get_metrics"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metric_name");
    assertThatThrownBy(() -> tsk.executeFujsen("reports", "spans_by_service"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing service");
  }

  @Test
  void register_twiceIsRefused() {
    assertThatThrownBy(() -> FujsenRegistration.register(tsk.fujsenRegistry(), direct))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void window_acceptsDuration() {
    assertThat((Double) tsk.executeFujsen("alerting", "calculate_error_rate", Duration.ofHours(1)))
        .isCloseTo(200.0 / 9, within(1e-9));
  }
}
