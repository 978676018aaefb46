package io.tskotel.collector.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tskotel.collector.config.CollectorSettings;
import io.tskotel.tsk.SettingsException;
import io.tskotel.tsk.Tsk;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertingConfigTest {
  private static AlertingConfig read(String text, Map<String, String> env) {
    return AlertingConfig.fromTsk(Tsk.parser().environment(env).sourceName("a.tsk").build().parse(text));
  }

  @Test
  void fromTsk_shippedDefaults_seedThresholdsAsBuiltInRules() throws Exception {
    AlertingConfig c = AlertingConfig.fromTsk(CollectorSettings.load(null, Map.of()));
    assertThat(c.rules()).extracting(AlertRule::name)
        .containsExactly("high_cpu", "high_memory", "high_error_rate", "slow_response");
    assertThat(c.rules()).extracting(AlertRule::severity).containsExactly("warning", "warning", "critical", "warning");
    assertThat(c.rules()).extracting(AlertRule::threshold).containsExactly(80.0, 85.0, 5.0, 2.0);
    assertThat(c.rules().get(2).source()).isEqualTo(new AlertRule.ErrorRate(Duration.ofMinutes(5)));
    assertThat(c.evaluationInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.repeatInterval()).isEqualTo(Duration.ofHours(4));
    assertThat(c.groupWait()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.validate()).isEmpty();
  }

  @Test
  void fromTsk_userRule_allKeys() {
    AlertingConfig c = read("""
        [alerting]
        evaluation_interval: "1s"
        webhook_url: "http://127.0.0.1:9/hook"

        [alerting.rules.slow_checkout]
        metric: "response_time"
        aggregation: "p95"
        range: "10m"
        filters: { service.name: "checkout" }
        comparator: ">="
        threshold: 1.5
        for: "2m"
        severity: "critical"
        labels: { team: "payments" }
        group_by: "route"
        message: "p95 {value}s >= {threshold}s on {labels.route}"
        channels: ["webhook"]
        """, Map.of());
    assertThat(c.rules()).singleElement().satisfies(r -> {
      assertThat(r.source()).isEqualTo(
          new AlertRule.Metric("response_time", "p95", "10m", Map.of("service.name", "checkout")));
      assertThat(r.comparator()).isEqualTo(">=");
      assertThat(r.forDuration()).isEqualTo(Duration.ofMinutes(2));
      assertThat(r.labels()).isEqualTo(Map.of("team", "payments"));
      assertThat(r.groupBy()).isEqualTo(List.of("route"));
      assertThat(r.channels()).isEqualTo(List.of("webhook"));
      assertThat(r.location()).isEqualTo("a.tsk:5:2");
    });
    assertThat(c.evaluationInterval()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void fromTsk_sqlRule() {
    AlertingConfig c = read("""
        [alerting.rules.failed_payments]
        threshold: 3
        query_fujsen = '''
        SELECT count() FROM {db:Identifier}.otel_logs
        WHERE SeverityText = 'ERROR' AND Timestamp >= fromUnixTimestamp64Nano({from_ns:Int64})
        '''
        """, Map.of());
    assertThat(c.rules().get(0).source()).isInstanceOfSatisfying(AlertRule.Sql.class,
        s -> assertThat(s.fujsen()).isEqualTo("query"));
  }

  @Test
  void collectorSettings_badRules_everyErrorWithFileLineColumn() {
    List<String> errors = settingsErrors("""
        [alerting]
        evaluation_interval: "0s"
        cpu_treshold: 80
        slack_webhook_url: "not a url with a secret"

        [alerting.rules.a]
        metric: "cpu_usage"
        aggregation: "median"
        comparator: "=>"
        threshold: 1
        severity: "urgent"
        channels: ["pagerduty"]
        message: "{valeu}"

        [alerting.rules.b]
        comparator: ">"

        [alerting.rules.c]
        metric: "x"
        threshold: "high"
        colour: "red"
        """);
    assertThat(errors).containsExactlyInAnyOrder(
        "a.tsk:15:2: alerting.rules.b: neither metric nor a query fujsen (expected: metric, or one SQL fujsen"
            + " such as query_fujsen)",
        "a.tsk:15:2: alerting.rules.b: threshold: missing (expected: a number)",
        "a.tsk:20:1: alerting.rules.c.threshold: a string (expected: a number)",
        "a.tsk:2:1: alerting.evaluation_interval: PT0S (expected: > 0)",
        "a.tsk:4:1: alerting.slack_webhook_url: not a URL",
        "a.tsk:8:1: alerting.rules.a.aggregation: \"median\" (expected one of: avg, max, min, sum,"
            + " count, raw, p50, p90, p95, p99)",
        "a.tsk:9:1: alerting.rules.a.comparator: \"=>\" (expected: one of > >= < <= == !=)",
        "a.tsk:11:1: alerting.rules.a.severity: \"urgent\" (expected: critical, warning or info)",
        "a.tsk:12:1: alerting.rules.a.channels: \"pagerduty\" is not configured in [alerting]",
        "a.tsk:13:1: alerting.rules.a.message: unknown placeholder {valeu} (expected: {rule} {value}"
            + " {threshold} {comparator} {severity} {labels.KEY})",
        "a.tsk:3:1: [alerting] cpu_treshold: unknown key (expected one of: " + ALERTING_KEYS + ")",
        "a.tsk:21:1: [alerting.rules.c] colour: unknown key (expected one of: " + RULE_KEYS + ")");
    assertThat(String.join("\n", errors)).doesNotContain("not a url with a secret");
  }

  private static final String ALERTING_KEYS = "cpu_threshold, email_from, email_to, enabled, error_rate_threshold,"
      + " evaluation_interval, group_wait, memory_threshold, pagerduty_routing_key, pagerduty_url, repeat_interval,"
      + " response_time_threshold, retry_attempts, retry_backoff, retry_max_backoff, rules, send_resolved, send_timeout,"
      + " slack_webhook_url, smtp_host, smtp_password, smtp_port, smtp_starttls, smtp_user, webhook_secret,"
      + " webhook_url";
  private static final String RULE_KEYS = "aggregation, channels, comparator, filters, for, group_by, labels,"
      + " message, metric, range, severity, threshold";

  private static List<String> settingsErrors(String text) {
    try {
      CollectorSettings.from(Tsk.parser().sourceName("a.tsk").build().parse(text));
    } catch (SettingsException e) {
      return e.errors();
    }
    throw new AssertionError("no error for:\n" + text);
  }

  @Test
  void toString_namesChannelsNeverSecrets() {
    AlertingConfig c = read("""
        [alerting]
        slack_webhook_url: @env("SLACK")
        pagerduty_routing_key: @env("PD")
        webhook_url: "http://127.0.0.1:9/hook"
        webhook_secret: @env("HOOK")
        """, Map.of("SLACK", "https://hooks.example.test/T0/B0/XyZsecret", "PD", "pd-key-secret",
        "HOOK", "hmac-secret"));
    assertThat(c.toString()).contains("slack", "pagerduty", "webhook").doesNotContain("secret");
  }

  @Test
  void validate_builder_collectsEveryError() {
    AlertingConfig c = AlertingConfig.builder().groupWait(Duration.ofSeconds(-1)).retryAttempts(0)
        .retryBackoff(Duration.ofSeconds(2)).retryMaxBackoff(Duration.ofSeconds(1)).smtpHost("127.0.0.1").build();
    assertThat(c.validate()).containsExactly(
        "group_wait: PT-1S (expected: >= 0)",
        "retry_max_backoff: PT1S (expected: >= retry_backoff PT2S)",
        "retry_attempts: 0 (expected: >= 1)",
        "smtp_host: set without email_from and email_to (expected: all three)");
    assertThatThrownBy(() -> read("[alerting]\nsmtp_port: 0\n", Map.of()))
        .hasMessageContaining("a.tsk:2:1: alerting.smtp_port: 0 (expected: 1..65535)");
  }
}
