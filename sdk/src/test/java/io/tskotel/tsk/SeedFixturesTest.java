package io.tskotel.tsk;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The seven {@code TSK.from_string("""...""")} blocks of the seed document, copied verbatim (with the Python
 * {@code \\n} read as TSK sees it, {@code \n}) into {@code src/test/resources/seed/}.
 */
class SeedFixturesTest {

  static Tsk load(String name, Map<String, String> environment) throws Exception {
    return Tsk.parser().environment(environment).build().load(fixture(name));
  }

  static Path fixture(String name) throws URISyntaxException {
    return Path.of(SeedFixturesTest.class.getResource("/seed/" + name + ".tsk").toURI());
  }

  private static List<String> instruments(Tsk tsk) {
    return tsk.instruments().stream()
        .map(i -> i.key() + "=" + i.kind().tskName() + ":" + i.name())
        .collect(Collectors.toList());
  }

  @Test
  void metrics_declaresCountersHistogramAndGauge() throws Exception {
    Tsk tsk = load("metrics", Map.of());

    assertThat(tsk.sections()).containsExactly("metrics");
    assertThat(instruments(tsk))
        .containsExactly(
            "request_count=counter:requests_total",
            "response_time=histogram:response_time_seconds",
            "error_count=counter:errors_total",
            "active_connections=gauge:active_connections",
            "user_registrations=counter:user_registrations_total",
            "payment_volume=counter:payment_volume_total",
            "api_calls=counter:api_calls_total");
    assertThat(tsk.get("metrics.request_count"))
        .isEqualTo(new Instrument("metrics", "request_count", InstrumentKind.COUNTER, "requests_total", "", ""));
    assertThat(tsk.fujsen("metrics")).containsOnlyKeys("collect_metrics", "record_metric", "get_metrics");
    assertThat(tsk.fujsen("metrics").keySet())
        .containsExactly("collect_metrics", "record_metric", "get_metrics");
    // A ''' body keeps its """ lines and is verbatim, starting after the opening line end.
    assertThat(tsk.fujsen("metrics").get("record_metric"))
        .startsWith("def record_metric(metric_name, value, labels=None):\n")
        .contains("    execute(\"\"\"\n        INSERT INTO metrics")
        .endsWith("    return metric_data\n");
  }

  @Test
  void businessMetrics_declaresInstrumentsAndFujsen() throws Exception {
    Tsk tsk = load("business_metrics", Map.of());

    assertThat(tsk.sections()).containsExactly("business_metrics");
    assertThat(instruments(tsk))
        .containsExactly(
            "daily_active_users=gauge:daily_active_users",
            "user_session_duration=histogram:user_session_duration_seconds",
            "feature_usage=counter:feature_usage_total",
            "revenue_daily=counter:revenue_daily_total",
            "transaction_volume=counter:transaction_volume_total",
            "payment_success_rate=gauge:payment_success_rate");
    assertThat(tsk.instruments()).allSatisfy(i -> assertThat(i.section()).isEqualTo("business_metrics"));
    assertThat(tsk.fujsen("business_metrics").keySet())
        .containsExactly(
            "track_user_activity",
            "track_feature_usage",
            "track_payment",
            "calculate_payment_success_rate");
  }

  @Test
  void logging_envDefaultsAreStrings() throws Exception {
    Tsk tsk = load("logging", Map.of());

    assertThat(tsk.sections()).containsExactly("logging");
    assertThat(tsk.get("logging.log_level")).isEqualTo("info");
    assertThat(tsk.get("logging.log_format")).isEqualTo("json");
    assertThat(tsk.get("logging.log_file")).isEqualTo("/app/logs/app.log");
    assertThat(tsk.instruments()).isEmpty();
    assertThat(tsk.fujsen("logging").keySet())
        .containsExactly("log_info", "log_error", "log_request", "write_log_to_file");
    // Triple-quoted text has no escapes: the Python '\n' stays a backslash and an n.
    assertThat(tsk.fujsen("logging").get("write_log_to_file"))
        .contains("log_line = json.dumps(log_entry) + '\\n'");
  }

  @Test
  void logging_envOverridesDefaults() throws Exception {
    Tsk tsk = load("logging", Map.of("LOG_LEVEL", "debug", "LOG_FILE", "/var/log/x.log"));

    assertThat(tsk.getString("logging.log_level")).isEqualTo("debug");
    assertThat(tsk.getString("logging.log_format")).isEqualTo("json");
    assertThat(tsk.getString("logging.log_file")).isEqualTo("/var/log/x.log");
  }

  @Test
  void tracing_envValuesTakeTheDefaultsTypes() throws Exception {
    Tsk tsk = load("tracing", Map.of());

    assertThat(tsk.sections()).containsExactly("tracing");
    assertThat(tsk.get("tracing.trace_enabled")).isInstanceOf(Boolean.class).isEqualTo(true);
    assertThat(tsk.get("tracing.trace_sampler")).isInstanceOf(Double.class).isEqualTo(0.1);
    assertThat(tsk.fujsen("tracing").keySet())
        .containsExactly(
            "start_trace", "end_trace", "add_trace_tag", "generate_trace_id", "generate_span_id");

    Tsk overridden = load("tracing", Map.of("TRACE_ENABLED", "false", "TRACE_SAMPLER", "0.5"));
    assertThat(overridden.getBoolean("tracing.trace_enabled")).isFalse();
    assertThat(overridden.get("tracing.trace_sampler")).isEqualTo(0.5);
  }

  @Test
  void healthChecks_endpoints() throws Exception {
    Tsk tsk = load("health_checks", Map.of());

    assertThat(tsk.sections()).containsExactly("health_checks");
    assertThat(tsk.keys("health_checks"))
        .filteredOn(k -> k.endsWith("_endpoint"))
        .containsExactly("health_endpoint", "ready_endpoint", "live_endpoint");
    assertThat(tsk.getString("health_checks.health_endpoint")).isEqualTo("/health");
    assertThat(tsk.getString("health_checks.ready_endpoint")).isEqualTo("/ready");
    assertThat(tsk.getString("health_checks.live_endpoint")).isEqualTo("/live");
    assertThat(tsk.fujsen("health_checks").keySet())
        .containsExactly(
            "check_health", "check_database_health", "check_cache_health", "check_external_services");
  }

  @Test
  void alerting_thresholdsHaveTheRightTypes() throws Exception {
    Tsk tsk = load("alerting", Map.of());

    assertThat(tsk.sections()).containsExactly("alerting");
    assertThat(tsk.get("alerting.cpu_threshold")).isInstanceOf(Integer.class).isEqualTo(80);
    assertThat(tsk.get("alerting.memory_threshold")).isInstanceOf(Integer.class).isEqualTo(85);
    assertThat(tsk.get("alerting.error_rate_threshold")).isInstanceOf(Integer.class).isEqualTo(5);
    assertThat(tsk.get("alerting.response_time_threshold")).isInstanceOf(Double.class).isEqualTo(2.0);
    assertThat(tsk.getDouble("alerting.response_time_threshold")).isEqualTo(2.0);
    assertThat(tsk.fujsen("alerting").keySet())
        .containsExactly(
            "check_alerts", "send_alert", "send_critical_alert", "send_warning_alert", "calculate_error_rate");
  }

  @Test
  void alerting_cpuThresholdFromEnvironment() throws Exception {
    Tsk tsk = load("alerting", Map.of("CPU_THRESHOLD", "95", "RESPONSE_TIME_THRESHOLD", "3"));

    assertThat(tsk.get("alerting.cpu_threshold")).isInstanceOf(Integer.class).isEqualTo(95);
    assertThat(tsk.getInt("alerting.cpu_threshold")).isEqualTo(95);
    // The default 2.0 makes the variable a double even when written as an integer.
    assertThat(tsk.get("alerting.response_time_threshold")).isInstanceOf(Double.class).isEqualTo(3.0);
  }

  @Test
  void dashboard_endpointsAndFujsen() throws Exception {
    Tsk tsk = load("dashboard", Map.of());

    assertThat(tsk.sections()).containsExactly("dashboard");
    assertThat(tsk.getString("dashboard.metrics_endpoint")).isEqualTo("/metrics");
    assertThat(tsk.getString("dashboard.dashboard_endpoint")).isEqualTo("/dashboard");
    assertThat(tsk.getString("dashboard.status_endpoint")).isEqualTo("/status");
    assertThat(tsk.fujsen("dashboard").keySet())
        .containsExactly(
            "generate_dashboard_data",
            "calculate_request_rate",
            "calculate_revenue_today",
            "get_recent_alerts",
            "export_metrics");
    assertThat(tsk.fujsen("dashboard").get("export_metrics")).endsWith("return '\\n'.join(metrics)\n");
  }

  @Test
  void everyFixture_roundTripsThroughThePrinter() throws Exception {
    for (String name :
        List.of(
            "metrics", "business_metrics", "logging", "tracing", "health_checks", "alerting", "dashboard")) {
      Tsk tsk = load(name, Map.of());
      Tsk reparsed = Tsk.parser().environment(Map.of()).build().parse(tsk.toString());
      assertThat(reparsed).as(name).isEqualTo(tsk);
      assertThat(reparsed.hashCode()).as(name).isEqualTo(tsk.hashCode());
      assertThat(reparsed.toString()).as(name).isEqualTo(tsk.toString());
    }
  }
}
