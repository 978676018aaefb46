package io.tskotel.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tskotel.collector.api.ApiServerFixture;
import io.tskotel.collector.api.ApiFixture;
import io.tskotel.collector.query.QueryFixture;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code tskotel query metrics}, {@code dashboard}, {@code alerts} against a running admin API. */
class ApiCommandsTest {
  @RegisterExtension
  static final ApiServerFixture api =
      ApiServerFixture.of(ApiCommandsTest.class, QueryFixture::writeAll, ApiFixture::functions);

  private static CliRun run(String... args) {
    return CliRun.run(api.url(), args);
  }

  @Test
  void queryMetrics_table() {
    CliRun r = run("query", "metrics", "cpu_usage", "--range", "1h", "--agg", "max");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("METRIC     RANGE  AGG  VALUE\ncpu_usage  1h     max  70\n");
  }

  @Test
  void queryMetrics_labelsAndRaw() {
    CliRun r = run("query", "metrics", "cpu_usage", "--agg", "raw", "--label", "host=a");
    assertThat(r.exit()).isZero();
    assertThat(r.out().lines().skip(1).map(l -> l.replaceAll(".*\\s", "")).toList())
        .containsExactly("50", "40", "30", "20", "10");
  }

  @Test
  void queryMetrics_json() throws Exception {
    CliRun r = run("query", "metrics", "response_time", "--agg", "p90", "--json");
    assertThat(r.exit()).isZero();
    var json = new ObjectMapper().readTree(r.out());
    assertThat(json.path("metric").asText()).isEqualTo("response_time_seconds");
    assertThat(json.path("values").get(0).asDouble()).isCloseTo(1 + 4 * 2.0 / 3, org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void queryMetrics_noDataAndErrors() {
    assertThat(run("query", "metrics", "nothing").out()).contains("(no data)");
    CliRun bad = run("query", "metrics", "cpu_usage", "--agg", "median");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("HTTP 400").contains("avg, max, min, sum, count, raw, p50, p90, p95, p99");
    CliRun noAuth = run("query", "metrics", "cpu_usage", "--token", "");
    assertThat(noAuth.exit()).isEqualTo(1);
    assertThat(noAuth.err()).contains("HTTP 401");
    CliRun down = run("dashboard", "--url", "http://127.0.0.1:1");
    assertThat(down.exit()).isEqualTo(1);
    assertThat(down.err()).contains("cannot connect");
    assertThat(run("query", "metrics").exit()).isEqualTo(2);
  }

  @Test
  void queryFujsen_table() {
    CliRun r = run("query", "fujsen", "spans_by_service", "-p", "service=shop");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("SpanName  n\nGET /a    6\nPOST /b   2\n");
  }

  @Test
  void dashboard_tableAndJson() throws Exception {
    CliRun r = run("dashboard");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("SECTION      METRIC                VALUE")
        .contains("system       cpu_usage             36.6667")
        .contains("system       disk_usage            -")
        .contains("system       reporters             cpu_usage from shop; memory_usage from shop")
        .contains("application  response_time_source  metric:response_time_seconds")
        .contains("application  error_rate            37.5")
        .contains("business     revenue_today         150")
        .contains("business     payment_success_rate  80")
        .contains("high_cpu")
        .contains("CPU usage is 91% (threshold: 80%)");
    var json = new ObjectMapper().readTree(run("dashboard", "--json").out());
    assertThat(json.path("business").path("user_registrations").asDouble()).isEqualTo(12.0);
  }

  @Test
  void alerts_table() {
    CliRun r = run("alerts", "--since", "3h");
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).startsWith("TIME").contains("SEVERITY").endsWith("MESSAGE");
    assertThat(lines).hasSize(4);
    assertThat(lines.get(1)).startsWith("2026-03-10T11:50:00Z").contains("high_cpu").contains("warning");
    assertThat(lines.get(3)).contains("old_alert");
    assertThat(run("alerts", "--since", "1m").out()).isEqualTo("No alerts.\n");
  }
}
