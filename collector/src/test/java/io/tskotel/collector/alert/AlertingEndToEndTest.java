package io.tskotel.collector.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.tskotel.collector.Collector;
import io.tskotel.collector.alert.internal.AlertCounters;
import io.tskotel.collector.alert.internal.Conditions;
import io.tskotel.collector.api.AdminApiComponent;
import io.tskotel.collector.config.CollectorSettings;
import io.tskotel.collector.cli.Main;
import io.tskotel.collector.testing.MutableClock;
import io.tskotel.collector.testing.OtlpRequests;
import io.tskotel.collector.testing.TestCollectors;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.TelemetryStore;
import io.tskotel.collector.query.QueryFixture;
import io.tskotel.exporter.testing.NonClosingEngine;
import io.tskotel.tsk.Tsk;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerting inside a running collector, end to end: gauges sent by a real OTLP gRPC client go through the
 * queue into chDB, the evaluator (driven step by step on an injected clock) reads them back, and real
 * receivers on loopback take the notifications: GreenMail for SMTP, HTTP servers standing in for Slack,
 * PagerDuty and a webhook. Every payload is asserted exactly. "Nothing was sent" is proven by order: each
 * channel sends in order, so a notice that should not exist would arrive before the one awaited next.
 */
class AlertingEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final GreenMailExtension mail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private final Map<String, Integer> pointsSent = new HashMap<>();
  private RecordingServer slack;
  private RecordingServer pagerduty;
  private RecordingServer webhook;
  private ClickHouseStore store;
  private Collector collector;
  private Alerting alerting;
  private Tsk tsk;
  private int adminPort;
  private AdminApiComponent apiComponent;
  private ManagedChannel channel;
  private int restarts;
  private String groupWait = "0s";

  static final String FP = Conditions.fingerprint("cpu_critical", Map.of("host", "a", "team", "infra"));

  @BeforeEach
  void setUp() throws Exception {
    slack = new RecordingServer();
    pagerduty = new RecordingServer();
    webhook = new RecordingServer();
    store = QueryFixture.newStore(AlertingEndToEndTest.class);
    start();
  }

  @AfterEach
  void tearDown() throws Exception {
    stop();
    QueryFixture.dispose(store);
    slack.close();
    pagerduty.close();
    webhook.close();
  }

  private String config() {
    return """
        [admin]
        host: "127.0.0.1"
        port: 0
        grpc_port: -1

        [alerting]
        evaluation_interval: "1h"
        group_wait: "%s"
        repeat_interval: "10m"
        retry_backoff: "20ms"
        retry_max_backoff: "100ms"
        slack_webhook_url: @env("SLACK_WEBHOOK_URL")
        pagerduty_routing_key: @env("PAGERDUTY_ROUTING_KEY")
        pagerduty_url: "%s"
        smtp_host: "127.0.0.1"
        smtp_port: %d
        email_from: "tskotel@example.test"
        email_to: ["oncall@example.test"]
        webhook_url: "%s"
        webhook_secret: @env("WEBHOOK_SECRET")

        send_alert_fujsen = '''
        def send_alert(alert):
            pass
        '''

        [alerting.rules.cpu_critical]
        metric: "cpu_usage"
        aggregation: "max"
        range: "1m"
        threshold: 90
        severity: "critical"
        group_by: ["host"]
        labels: { team: "infra" }
        message: "CPU {value}%% on {labels.host} (threshold {threshold}%%)"

        [alerting.rules.queue_backlog]
        metric: "queue_depth"
        aggregation: "max"
        range: "1m"
        comparator: ">="
        threshold: 100
        for: "2m"
        severity: "warning"
        channels: ["webhook"]
        message: "queue depth {value}"
        """.formatted(groupWait, pagerduty.url("/v2/enqueue"), mail.getSmtp().getPort(), webhook.url("/hook"));
  }

  private void start() throws Exception {
    start(store);
  }

  /** Starts a collector on {@code on} (the test's database, maybe behind a fault switch). */
  private void start(TelemetryStore on) throws Exception {
    tsk = Tsk.parser()
        .environment(Map.of("SLACK_WEBHOOK_URL", slack.url("/services/T0/B0/secret"),
            "PAGERDUTY_ROUTING_KEY", "pd-routing-key", "WEBHOOK_SECRET", "s3cret"))
        .build()
        .parse(config());
    alerting = Alerting.create(tsk, AlertingConfig.fromTsk(tsk), clock);
    CollectorSettings s = TestCollectors.settings(dir.resolve("run" + restarts++), p -> {});
    s = new CollectorSettings(s.receiver(), s.pipeline(), store.config(), s.selfTelemetryInterval());
    collector = Collector.builder(s)
        .store(on)
        .component(alerting.factory())
        .component(c -> {
          AdminApiComponent api =
              (AdminApiComponent) AdminApiComponent.factory(tsk, clock, alerting::extendApi).create(c);
          apiComponent = api;
          return api;
        })
        .start();
    adminPort = apiComponent.api().admin().port();
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", collector.grpcPort(),
        InsecureChannelCredentials.create()).build();
  }

  private void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (collector != null) {
      collector.shutdown();
    }
  }

  /** The collector stops (closing its store) and starts again on the same database. */
  private void restart() throws Exception {
    stop();
    store = ClickHouseStore.create(store.config(), NonClosingEngine.shared());
    start();
  }

  /** As {@link #restart()}, with a store whose queries fail while {@code down} is set. */
  private void restartOnFlakyStore(AtomicBoolean down) throws Exception {
    stop();
    store = ClickHouseStore.create(store.config(), NonClosingEngine.shared());
    start(new FlakyStore(store, down));
  }

  /** One gauge point at the clock's now, through OTLP gRPC, waited for until it is stored. */
  private void gauge(String name, double value, String host) throws Exception {
    NumberDataPoint point = NumberDataPoint.newBuilder()
        .setTimeUnixNano(clock.instant().getEpochSecond() * 1_000_000_000L)
        .setAsDouble(value)
        .addAttributes(KeyValue.newBuilder().setKey("host").setValue(AnyValue.newBuilder().setStringValue(host)))
        .build();
    MetricsServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).export(
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(ResourceMetrics.newBuilder().setResource(OtlpRequests.resource("checkout"))
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(
                    Metric.newBuilder().setName(name).setGauge(Gauge.newBuilder().addDataPoints(point)))))
            .build());
    int expected = pointsSent.merge(name, 1, Integer::sum);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (count("SELECT count() FROM {db:Identifier}.otel_metrics_gauge WHERE MetricName = {n:String}",
        Map.of("n", name)) < expected) {
      assertThat(System.nanoTime()).as("point stored in time").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private long count(String sql, Map<String, String> params) throws Exception {
    Map<String, Object> p = new HashMap<>(params);
    p.put("db", store.config().database());
    return ((Number) store.query(sql, p).rows().get(0).get(0)).longValue();
  }

  private List<List<Object>> transitions(String type) throws Exception {
    return store.query("SELECT state, fingerprint, started_at, resolved_at FROM {db:Identifier}.tskotel_alerts"
        + " WHERE type = {t:String} ORDER BY timestamp, state",
        Map.of("db", store.config().database(), "t", type)).rows();
  }

  private List<MimeMessage> mails(int n) {
    mail.waitForIncomingEmail(20_000, n);
    return List.of(mail.getReceivedMessages());
  }

  private long counter(String channel, String outcome) {
    return (long) collector.metrics().value(AlertCounters.NOTIFICATIONS,
        Map.of("channel", channel, "outcome", outcome));
  }

  private static String hmac(String secret, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  private static String slackText(String status, String value) {
    return "{\"text\":\"[" + status + "] cpu_critical (critical): CPU " + value
        + "% on a (threshold 90%) {host=a, team=infra}\"}";
  }

  private String webhookBody(String status, double value, Instant started, Instant resolved) {
    return "{\"status\":\"" + status + "\",\"fingerprint\":\"" + FP + "\",\"type\":\"cpu_critical\","
        + "\"severity\":\"critical\",\"message\":\"CPU " + Conditions.number(value)
        + "% on a (threshold 90%)\",\"value\":" + value + ",\"threshold\":90.0,"
        + "\"labels\":{\"host\":\"a\",\"team\":\"infra\"},\"started_at\":\"" + started + "\",\"resolved_at\":"
        + (resolved == null ? "null" : "\"" + resolved + "\"") + "}";
  }

  private JsonNode getAlerts() throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/api/v1/alerts")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      return JSON.readTree(r.body());
    }
  }

  @Test
  void breach_firesOncePerChannel_repeatsOnlyAfterRepeatInterval_resolvesOnce() throws Exception {
    Instant t0 = clock.instant();
    gauge("cpu_usage", 95, "a");
    alerting.evaluateNow();

    // critical: email, Slack, PagerDuty and the webhook, one notification each, exact payloads.
    assertThat(slack.await(1)).singleElement().satisfies(r -> {
      assertThat(r.path()).isEqualTo("/services/T0/B0/secret");
      assertThat(r.body()).isEqualTo(slackText("FIRING", "95"));
    });
    assertThat(pagerduty.await(1)).singleElement().satisfies(r -> assertThat(r.body()).isEqualTo(
        "{\"routing_key\":\"pd-routing-key\",\"event_action\":\"trigger\",\"dedup_key\":\"" + FP + "\","
            + "\"payload\":{\"summary\":\"cpu_critical: CPU 95% on a (threshold 90%)\",\"source\":\"tskotel\","
            + "\"severity\":\"critical\",\"timestamp\":\"" + t0 + "\",\"custom_details\":{\"type\":\"cpu_critical\","
            + "\"value\":95.0,\"threshold\":90.0,\"labels\":{\"host\":\"a\",\"team\":\"infra\"}}}}"));
    String firing = webhookBody("firing", 95.0, t0, null);
    assertThat(webhook.await(1)).singleElement().satisfies(r -> {
      assertThat(r.body()).isEqualTo(firing);
      assertThat(r.header("X-Tskotel-Signature")).isEqualTo(hmac("s3cret", firing));
      assertThat(r.header("Content-Type")).isEqualTo("application/json");
    });
    MimeMessage first = mails(1).get(0);
    assertThat(first.getSubject()).isEqualTo("[FIRING] cpu_critical (critical)");
    assertThat(first.getFrom()[0].toString()).isEqualTo("tskotel@example.test");
    assertThat(first.getAllRecipients()[0].toString()).isEqualTo("oncall@example.test");
    assertThat(GreenMailUtil.getBody(first).strip()).startsWith(
        "[FIRING] cpu_critical (critical): CPU 95% on a (threshold 90%) {host=a, team=infra}");
    assertThat(transitions("cpu_critical")).containsExactly(List.of("firing", FP, t0, Instant.EPOCH));
    JsonNode api = getAlerts();
    assertThat(api.path("firing").get(0).path("fingerprint").asText()).isEqualTo(FP);
    assertThat(api.path("firing").get(0).path("state").asText()).isEqualTo("firing");
    assertThat(api.path("pending")).isEmpty();
    assertThat(api.path("alerts").get(0).path("state").asText()).isEqualTo("firing");

    // Still breaching a minute later: nothing (proven below: the next notice on each channel is the repeat).
    clock.advance(Duration.ofMinutes(1));
    gauge("cpu_usage", 96, "a");
    alerting.evaluateNow();

    // Past repeat_interval (10m since the notification): one repeat per channel.
    clock.advance(Duration.ofMinutes(10));
    gauge("cpu_usage", 97, "a");
    alerting.evaluateNow();
    assertThat(slack.await(2)).extracting(RecordingServer.Request::body)
        .containsExactly(slackText("FIRING", "95"), slackText("FIRING", "97"));

    // Recovered: one resolved notice per channel, PagerDuty resolving by dedup_key.
    clock.advance(Duration.ofMinutes(2));
    Instant resolvedAt = clock.instant();
    gauge("cpu_usage", 20, "a");
    alerting.evaluateNow();
    assertThat(slack.await(3)).extracting(RecordingServer.Request::body)
        .containsExactly(slackText("FIRING", "95"), slackText("FIRING", "97"), slackText("RESOLVED", "97"));
    assertThat(pagerduty.await(3)).hasSize(3).last().satisfies(r -> assertThat(r.body()).isEqualTo(
        "{\"routing_key\":\"pd-routing-key\",\"event_action\":\"resolve\",\"dedup_key\":\"" + FP + "\"}"));
    assertThat(webhook.await(3)).hasSize(3).last().satisfies(r ->
        assertThat(r.body()).isEqualTo(webhookBody("resolved", 97.0, t0, resolvedAt)));
    List<MimeMessage> all = mails(3);
    assertThat(all).hasSize(3);
    assertThat(all.get(2).getSubject()).isEqualTo("[RESOLVED] cpu_critical (critical)");
    assertThat(transitions("cpu_critical")).containsExactly(
        List.of("firing", FP, t0, Instant.EPOCH), List.of("resolved", FP, t0, resolvedAt));
    assertThat(counter("slack", "sent")).isEqualTo(3);
    assertThat(counter("pagerduty", "sent")).isEqualTo(3);
    assertThat(counter("webhook", "sent")).isEqualTo(3);
    assertThat(getAlerts().path("firing")).isEmpty();
  }

  @Test
  void breachShorterThanFor_sendsNothing() throws Exception {
    Instant t0 = clock.instant();
    gauge("queue_depth", 150, "a");
    alerting.evaluateNow();
    assertThat(getAlerts().path("pending").get(0).path("type").asText()).isEqualTo("queue_backlog");

    clock.advance(Duration.ofSeconds(61)); // the breach ended after 1 of the 2 minutes `for` asks
    gauge("queue_depth", 10, "a");
    alerting.evaluateNow();
    clock.advance(Duration.ofMinutes(5));
    alerting.evaluateNow();

    // The webhook's first request is this hand-raised alert: the short breach sent nothing before it.
    tsk.executeFujsen("alerting", "send_alert", Map.of("type", "sentinel", "severity", "info",
        "message", "m", "value", 1, "threshold", 0));
    assertThat(webhook.await(1)).singleElement()
        .satisfies(r -> assertThat(JSON.readTree(r.body()).path("type").asText()).isEqualTo("sentinel"));
    String fp = Conditions.fingerprint("queue_backlog", Map.of("host", "a"));
    assertThat(transitions("queue_backlog")).extracting(row -> row.get(0)).containsExactly("pending", "inactive");
    assertThat(getAlerts().path("pending")).isEmpty();
    assertThat(fp).hasSize(16);
    assertThat(t0).isBefore(clock.instant());
  }

  @Test
  void failingChannel_doesNotDelayTheOthers_andIsRetried() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    webhook.answer = () -> {
      if (calls.incrementAndGet() == 1) {
        try {
          release.await(20, TimeUnit.SECONDS); // hangs until the other channels delivered
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return 503;
      }
      return 200;
    };
    try {
      gauge("cpu_usage", 95, "a");
      alerting.evaluateNow();
      assertThat(slack.await(1)).hasSize(1);
      assertThat(pagerduty.await(1)).hasSize(1);
      assertThat(mails(1)).hasSize(1);
      assertThat(webhook.requests()).hasSize(1);
      assertThat(calls.get()).isEqualTo(1); // the webhook is still hanging on its first request
    } finally {
      release.countDown();
    }
    List<RecordingServer.Request> hooks = webhook.await(2);
    assertThat(hooks).hasSize(2);
    assertThat(hooks.get(1).body()).isEqualTo(hooks.get(0).body());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (counter("webhook", "sent") < 1 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(counter("webhook", "retried")).isEqualTo(1);
    assertThat(counter("webhook", "sent")).isEqualTo(1);
    assertThat(counter("slack", "sent")).isEqualTo(1);
  }

  @Test
  void restartWhileFiring_sendsNothingNew_andStillResolves() throws Exception {
    Instant t0 = clock.instant();
    gauge("cpu_usage", 95, "a");
    alerting.evaluateNow();
    assertThat(slack.await(1)).hasSize(1);
    assertThat(pagerduty.await(1)).hasSize(1);
    assertThat(webhook.await(1)).hasSize(1);
    assertThat(mails(1)).hasSize(1);

    restart();
    assertThat(getAlerts().path("firing").get(0).path("fingerprint").asText()).isEqualTo(FP);
    clock.advance(Duration.ofMinutes(1));
    gauge("cpu_usage", 96, "a");
    alerting.evaluateNow();

    clock.advance(Duration.ofMinutes(2));
    gauge("cpu_usage", 20, "a");
    alerting.evaluateNow();
    // After the restart the only notice on each channel is the resolved one.
    assertThat(slack.await(2)).extracting(RecordingServer.Request::body)
        .containsExactly(slackText("FIRING", "95"), slackText("RESOLVED", "96"));
    assertThat(pagerduty.await(2)).hasSize(2).last()
        .satisfies(r -> assertThat(r.body()).contains("\"event_action\":\"resolve\""));
    assertThat(webhook.await(2)).hasSize(2).last()
        .satisfies(r -> assertThat(r.body()).startsWith("{\"status\":\"resolved\""));
    assertThat(mails(2)).hasSize(2);
    assertThat(transitions("cpu_critical")).extracting(row -> row.get(0)).containsExactly("firing", "resolved");
    assertThat(transitions("cpu_critical").get(1).get(2)).isEqualTo(t0);
  }

  @Test
  void silence_throughTheApi_holdsBackRepeatsAndResolved() throws Exception {
    gauge("cpu_usage", 95, "a");
    alerting.evaluateNow();
    assertThat(slack.await(1)).hasSize(1);

    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + adminPort + "/api/v1/alerts/" + FP + "/silence?for=1h"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(r.body()).path("silenced_until").asText())
          .isEqualTo(clock.instant().plus(Duration.ofHours(1)).toString());
    }
    clock.advance(Duration.ofMinutes(11)); // past repeat_interval
    gauge("cpu_usage", 96, "a");
    alerting.evaluateNow();
    clock.advance(Duration.ofMinutes(2));
    gauge("cpu_usage", 20, "a");
    alerting.evaluateNow();

    tsk.executeFujsen("alerting", "send_alert", Map.of("type", "sentinel", "severity", "critical",
        "message", "after the silence", "value", 1, "threshold", 0));
    assertThat(slack.await(2)).extracting(RecordingServer.Request::body).containsExactly(
        slackText("FIRING", "95"), "{\"text\":\"[FIRING] sentinel (critical): after the silence\"}");
  }

  @Test
  void alertsStartingWithinGroupWait_goOutTogether() throws Exception {
    groupWait = "30s";
    restart();
    Instant t0 = clock.instant();
    gauge("cpu_usage", 95, "a");
    alerting.evaluateNow();
    clock.advance(Duration.ofSeconds(10));
    gauge("cpu_usage", 93, "b");
    alerting.evaluateNow();
    clock.advance(Duration.ofSeconds(25)); // 35 s after the first: the group goes out
    alerting.evaluateNow();

    String fpB = Conditions.fingerprint("cpu_critical", Map.of("host", "b", "team", "infra"));
    assertThat(slack.await(1)).extracting(RecordingServer.Request::body).containsExactly(
        "{\"text\":\"[FIRING] cpu_critical (critical): CPU 95% on a (threshold 90%) {host=a, team=infra}\\n"
            + "[FIRING] cpu_critical (critical): CPU 93% on b (threshold 90%) {host=b, team=infra}\"}");
    List<MimeMessage> mails = mails(1);
    assertThat(mails).hasSize(1);
    assertThat(mails.get(0).getSubject()).isEqualTo("[tskotel] 2 alerts (2 firing, 0 resolved)");
    // PagerDuty and the webhook take one event per alert, sent at the same time.
    assertThat(pagerduty.await(2)).extracting(r -> JSON.readTree(r.body()).path("dedup_key").asText())
        .containsExactly(FP, fpB);
    assertThat(webhook.await(2)).extracting(r -> JSON.readTree(r.body()).path("started_at").asText())
        .containsExactly(t0.toString(), t0.plusSeconds(10).toString());
  }

  @Test
  void storeDown_evaluationFailsAndIsCounted_firingAlertStaysFiring() throws Exception {
    AtomicBoolean down = new AtomicBoolean();
    restartOnFlakyStore(down);
    gauge("cpu_usage", 95, "a");
    alerting.evaluateNow();
    assertThat(slack.await(1)).hasSize(1);

    down.set(true);
    clock.advance(Duration.ofMinutes(5)); // no data in the window any more: a working store would resolve
    alerting.evaluateNow();
    alerting.evaluateNow();
    assertThat(collector.metrics().value(AlertCounters.EVALUATIONS, Map.of("outcome", "failed"))).isEqualTo(4);
    // The live state needs no store (the API's recent list does, and answers 503 meanwhile).
    assertThat(JSON.valueToTree(alerting.status()).path("firing").get(0).path("fingerprint").asText()).isEqualTo(FP);

    down.set(false);
    alerting.evaluateNow();
    assertThat(slack.await(2)).extracting(RecordingServer.Request::body)
        .containsExactly(slackText("FIRING", "95"), slackText("RESOLVED", "95"));
  }

  @Test
  void cli_alertsShowsFiring_andSilences() throws Exception {
    gauge("cpu_usage", 95, "a");
    alerting.evaluateNow();
    String url = "http://127.0.0.1:" + adminPort;

    String[] shown = cli("alerts", "--url", url);
    assertThat(shown[0]).startsWith("Firing:\nFINGERPRINT").contains(FP).contains("CPU 95% on a");
    assertThat(shown[0]).contains("STATE").contains("firing");

    String[] silenced = cli("alerts", "silence", FP, "--for", "30m", "--url", url);
    assertThat(silenced[0]).isEqualTo(
        "Silenced " + FP + " until " + clock.instant().plus(Duration.ofMinutes(30)) + ".\n");
    assertThat(getAlerts().path("firing").get(0).path("silenced_until").asText())
        .isEqualTo(clock.instant().plus(Duration.ofMinutes(30)).toString());
    assertThat(cli("alerts", "silence", "nope", "--url", url)[1])
        .contains("fingerprint: \"nope\" (expected: 16 hex digits)");
  }

  private static String[] cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.execute(args);
    return new String[] {out.toString(), err.toString()};
  }
}
