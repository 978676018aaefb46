package io.tskotel.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tskotel.tsk.Tsk;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's functions against a real OpenTelemetry SDK whose exporters keep what they get in memory (the SDK's
 * own testing exporters): names, kinds, units, labels and trace ids as the collector's query functions expect.
 */
class TskTelemetryTest {
  static final String TSK = """
      [telemetry]
      exporter: "none"

      [metrics]
      request_count: @metric("counter", "requests_total")
      response_time: @metric("histogram", "response_time_seconds", "s", "Request latency")
      queue_depth: @metric("updowncounter", "queue_depth", "{item}")
      active_connections: @metric("gauge", "active_connections")
      """;

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final InMemoryLogRecordExporter logs = InMemoryLogRecordExporter.create();
  private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
      .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
      .setLoggerProvider(
          SdkLoggerProvider.builder().addLogRecordProcessor(SimpleLogRecordProcessor.create(logs)).build())
      .build();
  private TskTelemetry telemetry;

  private TskTelemetry telemetry(String tsk) {
    telemetry = TskTelemetry.builder(Tsk.parse(tsk)).openTelemetry(sdk).build();
    return telemetry;
  }

  @AfterEach
  void close() {
    if (telemetry != null) {
      telemetry.close();
    }
    sdk.close();
  }

  private MetricData metric(String name) {
    Optional<MetricData> m = metrics.collectAllMetrics().stream().filter(d -> d.getName().equals(name)).findFirst();
    assertThat(m).as("metric %s", name).isPresent();
    return m.get();
  }

  private static double value(PointData p) {
    if (p instanceof io.opentelemetry.sdk.metrics.data.DoublePointData d) {
      return d.getValue();
    }
    return ((io.opentelemetry.sdk.metrics.data.HistogramPointData) p).getSum();
  }

  private static double valueWhere(MetricData m, Attributes attributes) {
    return m.getData().getPoints().stream().filter(p -> p.getAttributes().equals(attributes))
        .mapToDouble(TskTelemetryTest::value).findFirst().orElseThrow();
  }

  @Test
  void recordMetric_eachKind_recordsAsItsKindByKeyOrName() {
    TskTelemetry t = telemetry(TSK);
    t.recordMetric("response_time", 0.25);
    t.recordMetric("response_time_seconds", 0.75);
    t.recordMetric("active_connections", 7);
    t.recordMetric("active_connections", 5);
    t.incrementMetric("request_count");
    t.incrementMetric("requests_total", 2);
    t.incrementMetric("queue_depth", 3);
    t.incrementMetric("queue_depth", -1);
    t.recordMetric("custom_metric", 42.5, Map.of("service", "api"));
    t.incrementMetric("custom_counter", 4, Map.of("shard", 3L));

    MetricData histogram = metric("response_time_seconds");
    assertThat(histogram.getType()).isEqualTo(MetricDataType.HISTOGRAM);
    assertThat(histogram.getUnit()).isEqualTo("s");
    assertThat(histogram.getDescription()).isEqualTo("Request latency");
    assertThat(histogram.getHistogramData().getPoints()).singleElement()
        .satisfies(p -> assertThat(p.getCount()).isEqualTo(2)).satisfies(p -> assertThat(p.getSum()).isEqualTo(1.0));
    assertThat(metric("active_connections").getType()).isEqualTo(MetricDataType.DOUBLE_GAUGE);
    assertThat(valueWhere(metric("active_connections"), Attributes.empty())).isEqualTo(5);
    MetricData requests = metric("requests_total");
    assertThat(requests.getType()).isEqualTo(MetricDataType.DOUBLE_SUM);
    assertThat(requests.getDoubleSumData().isMonotonic()).isTrue();
    assertThat(valueWhere(requests, Attributes.empty())).isEqualTo(3);
    assertThat(metric("queue_depth").getDoubleSumData().isMonotonic()).isFalse();
    assertThat(valueWhere(metric("queue_depth"), Attributes.empty())).isEqualTo(2);
    assertThat(metric("custom_metric").getType()).isEqualTo(MetricDataType.DOUBLE_GAUGE);
    assertThat(valueWhere(metric("custom_metric"), Attributes.of(AttributeKey.stringKey("service"), "api")))
        .isEqualTo(42.5);
    assertThat(valueWhere(metric("custom_counter"), Attributes.of(AttributeKey.longKey("shard"), 3L))).isEqualTo(4);
  }

  @Test
  void incrementMetric_negativeOnCounter_droppedNotThrown() {
    TskTelemetry t = telemetry(TSK);
    t.incrementMetric("requests_total", 5);
    t.incrementMetric("requests_total", -2);
    t.incrementMetric("requests_total", Double.NaN);

    assertThat(valueWhere(metric("requests_total"), Attributes.empty())).isEqualTo(5);
  }

  @Test
  void trackPayment_recordsWhatRevenueTodayAndPaymentSuccessRateRead() {
    TskTelemetry t = telemetry(TSK);
    assertThat(t.trackPayment(100, true, "card")).isEqualTo(100);
    assertThat(t.trackPayment(50.5, true, "paypal")).isEqualTo(100);
    assertThat(t.trackPayment(20, false, "card")).isCloseTo(200.0 / 3, within(1e-9));

    AttributeKey<String> success = AttributeKey.stringKey("success");
    AttributeKey<String> method = AttributeKey.stringKey("payment_method");
    MetricData payments = metric("payments_total");
    assertThat(payments.getDoubleSumData().isMonotonic()).isTrue();
    assertThat(valueWhere(payments, Attributes.of(success, "true", method, "card"))).isEqualTo(1);
    assertThat(valueWhere(payments, Attributes.of(success, "true", method, "paypal"))).isEqualTo(1);
    assertThat(valueWhere(payments, Attributes.of(success, "false", method, "card"))).isEqualTo(1);
    assertThat(valueWhere(metric("revenue_daily_total"), Attributes.empty())).isEqualTo(150.5);
    assertThat(valueWhere(metric("transaction_volume_total"), Attributes.empty())).isEqualTo(2);
    assertThat(valueWhere(metric("payment_success_rate"), Attributes.empty())).isCloseTo(200.0 / 3, within(1e-9));
    assertThat(t.paymentSuccessRate()).isCloseTo(200.0 / 3, within(1e-9));
  }

  @Test
  void trackUserActivity_loginCountsActiveUsers_logoutRecordsSession() {
    TskTelemetry t = telemetry(TSK);
    t.trackUserActivity("u1", "login", null);
    t.trackUserActivity("u2", "login", null);
    t.trackUserActivity("u1", "logout", 120.0);
    t.trackFeatureUsage("u1", "export");
    t.trackFeatureUsage("u2", "export");

    assertThat(valueWhere(metric("daily_active_users"), Attributes.empty())).isEqualTo(2);
    assertThat(metric("user_session_duration_seconds").getHistogramData().getPoints()).singleElement()
        .satisfies(p -> assertThat(p.getSum()).isEqualTo(120));
    assertThat(valueWhere(metric("feature_usage_total"), Attributes.of(AttributeKey.stringKey("feature"), "export")))
        .isEqualTo(2);
    assertThat(logs.getFinishedLogRecordItems()).hasSize(5);
  }

  @Test
  @SuppressWarnings("try") // the scope is used for its effect: the trace is current inside
  void logRequest_feedsRequestsErrorsAndResponseTime_andLogsWithTheCurrentTrace() {
    TskTelemetry t = telemetry(TSK);
    Trace trace = t.startTrace("checkout");
    try (Scope ignored = trace.makeCurrent()) {
      t.logRequest("r1", "GET", "/cart", 200, 0.1, "u1");
      t.logRequest("r2", "POST", "/pay", 502, 0.3, null);
      t.logRequest("r3", "GET", "/cart", 404, 0.2, null);
    }
    t.endTrace(trace);

    AttributeKey<String> method = AttributeKey.stringKey("http.request.method");
    AttributeKey<Long> status = AttributeKey.longKey("http.response.status_code");
    double total = metric("requests_total").getDoubleSumData().getPoints().stream().mapToDouble(p -> p.getValue()).sum();
    double errors = metric("errors_total").getDoubleSumData().getPoints().stream().mapToDouble(p -> p.getValue()).sum();
    assertThat(total).isEqualTo(3);
    assertThat(errors).isEqualTo(2);
    assertThat(valueWhere(metric("errors_total"), Attributes.of(method, "POST", status, 502L))).isEqualTo(1);
    assertThat(metric("response_time_seconds").getHistogramData().getPoints().stream()
        .mapToLong(p -> p.getCount()).sum()).isEqualTo(3);

    List<LogRecordData> records = logs.getFinishedLogRecordItems();
    assertThat(records).hasSize(3);
    LogRecordData first = records.get(0);
    assertThat(first.getBodyValue().asString()).isEqualTo("HTTP Request");
    assertThat(first.getSeverity()).isEqualTo(Severity.INFO);
    assertThat(first.getAttributes().get(AttributeKey.stringKey("request_id"))).isEqualTo("r1");
    assertThat(first.getAttributes().get(AttributeKey.stringKey("url.path"))).isEqualTo("/cart");
    assertThat(first.getAttributes().get(AttributeKey.stringKey("user.id"))).isEqualTo("u1");
    assertThat(records).allSatisfy(r -> {
      assertThat(r.getSpanContext().getTraceId()).isEqualTo(trace.traceId());
      assertThat(r.getSpanContext().getSpanId()).isEqualTo(trace.spanId());
    });
  }

  @Test
  void logError_carriesTheException_andCountsLogErrorsNotRequestErrors() {
    TskTelemetry t = telemetry(TSK);
    t.logError("payment gateway down", new IllegalStateException("timeout"), Map.of("gateway", "acme"));

    LogRecordData r = logs.getFinishedLogRecordItems().get(0);
    assertThat(r.getSeverity()).isEqualTo(Severity.ERROR);
    assertThat(r.getAttributes().get(AttributeKey.stringKey("exception.type")))
        .isEqualTo(IllegalStateException.class.getName());
    assertThat(r.getAttributes().get(AttributeKey.stringKey("exception.message"))).isEqualTo("timeout");
    assertThat(r.getAttributes().get(AttributeKey.stringKey("exception.stacktrace"))).contains("TskTelemetryTest");
    assertThat(r.getAttributes().get(AttributeKey.stringKey("gateway"))).isEqualTo("acme");
    assertThat(valueWhere(metric("log_errors_total"), Attributes.empty())).isEqualTo(1);
    assertThat(metrics.collectAllMetrics()).noneMatch(m -> m.getName().equals("errors_total"));
  }

  @Test
  void logLevel_belowIsDropped() {
    TskTelemetry t = telemetry(TSK + "\n[logging]\nlog_level: \"error\"\n");
    t.logInfo("hidden", Map.of());
    t.logRequest("r", "GET", "/", 200, 0.1, null);
    t.logError("shown", null);

    assertThat(logs.getFinishedLogRecordItems()).extracting(r -> r.getBodyValue().asString()).containsExactly("shown");
  }

  @Test
  void startTraceEndTrace_spanWithTagsStatusParentAndDurationHistogram() {
    TskTelemetry t = telemetry(TSK);
    Trace parent = t.startTrace("order");
    Trace child = t.startTrace("charge", parent);
    t.addTraceTag(child, "amount", 12.5);
    t.addTraceTag(child, "currency", "EUR");
    t.addTraceTag(child, "attempt", 2L);
    t.addTraceTag(child, "retry", true);
    double seconds = t.endTrace(child, "ERROR", new IllegalStateException("declined"));
    t.endTrace(parent);

    assertThat(seconds).isPositive();
    assertThat(t.endTrace(child)).as("second end").isZero();
    assertThat(child.traceId()).isEqualTo(parent.traceId()).hasSize(32).isNotEqualTo("0".repeat(32));
    assertThat(child.spanId()).hasSize(16);
    List<SpanData> finished = spans.getFinishedSpanItems();
    assertThat(finished).hasSize(2);
    SpanData c = finished.get(0);
    assertThat(c.getName()).isEqualTo("charge");
    assertThat(c.getParentSpanId()).isEqualTo(parent.spanId());
    assertThat(c.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(c.getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
    assertThat(c.getAttributes().get(AttributeKey.doubleKey("amount"))).isEqualTo(12.5);
    assertThat(c.getAttributes().get(AttributeKey.stringKey("currency"))).isEqualTo("EUR");
    assertThat(c.getAttributes().get(AttributeKey.longKey("attempt"))).isEqualTo(2L);
    assertThat(c.getAttributes().get(AttributeKey.booleanKey("retry"))).isTrue();
    assertThat(finished.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.OK);
    MetricData duration = metric("trace_duration");
    assertThat(duration.getUnit()).isEqualTo("s");
    assertThat(duration.getHistogramData().getPoints()).extracting(p -> p.getAttributes().get(
        AttributeKey.stringKey("operation"))).containsExactlyInAnyOrder("order", "charge");
  }

  @Test
  void traceDisabled_noSpansNoDuration() {
    TskTelemetry t = telemetry(TSK + "\n[tracing]\ntrace_enabled: false\n");
    Trace trace = t.startTrace("x");
    t.addTraceTag(trace, "k", "v");

    assertThat(t.endTrace(trace)).isZero();
    assertThat(trace.traceId()).isEqualTo("0".repeat(32));
    assertThat(spans.getFinishedSpanItems()).isEmpty();
    assertThat(metrics.collectAllMetrics()).noneMatch(m -> m.getName().equals("trace_duration"));
  }

  @Test
  void executeFujsen_seedNamesRunTheJavaFunctions() throws Exception {
    String seed = new String(getClass().getResourceAsStream("/seed/metrics.tsk").readAllBytes())
        + new String(getClass().getResourceAsStream("/seed/business_metrics.tsk").readAllBytes())
        + new String(getClass().getResourceAsStream("/seed/tracing.tsk").readAllBytes())
        + new String(getClass().getResourceAsStream("/seed/logging.tsk").readAllBytes())
        + new String(getClass().getResourceAsStream("/seed/health_checks.tsk").readAllBytes());
    Tsk tsk = Tsk.parser().environment(Map.of("LOG_FILE", "", "TRACE_SAMPLER", "1.0")).build().parse(seed);
    telemetry = TskTelemetry.builder(tsk).openTelemetry(sdk).build();

    tsk.executeFujsen("metrics", "record_metric", "custom_metric", 42.5, Map.of("service", "api"));
    tsk.executeFujsen("business_metrics", "track_payment", 99.5, 1, "card");
    Object trace = tsk.executeFujsen("tracing", "start_trace", "op");
    tsk.executeFujsen("tracing", "add_trace_tag", trace, "k", "v");
    @SuppressWarnings("unchecked")
    Map<String, Object> ended = (Map<String, Object>) tsk.executeFujsen("tracing", "end_trace", trace, "OK", null);
    tsk.executeFujsen("logging", "log_request", "r1", "GET", "/", 500, 0.2, null);
    Object health = tsk.executeFujsen("health_checks", "check_health");

    assertThat(valueWhere(metric("custom_metric"), Attributes.of(AttributeKey.stringKey("service"), "api")))
        .isEqualTo(42.5);
    assertThat(valueWhere(metric("revenue_daily_total"), Attributes.empty())).isEqualTo(99.5);
    assertThat(ended).containsEntry("trace_id", ((Trace) trace).traceId()).containsEntry("status", "OK");
    assertThat(spans.getFinishedSpanItems()).singleElement()
        .satisfies(s -> assertThat(s.getAttributes().get(AttributeKey.stringKey("k"))).isEqualTo("v"));
    assertThat(metric("errors_total").getDoubleSumData().getPoints()).hasSize(1);
    assertThat(((HealthReport) health).isHealthy()).as("no checks: healthy").isTrue();
    assertThat((String) tsk.executeFujsen("tracing", "generate_trace_id")).matches("[0-9a-f]{32}");
    assertThatThrownBy(() -> tsk.executeFujsen("business_metrics", "track_payment", "lots", true, "card"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("track_payment: argument 1: \"lots\"");

    assertThatThrownBy(() -> TskTelemetry.builder(tsk).openTelemetry(sdk).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already registered");
    telemetry.close();
    assertThat(tsk.fujsenRegistry().names()).isEmpty();
  }

  @Test
  void build_invalidSettings_everyErrorWithItsPosition() {
    String bad = """
        [telemetry]
        exporter: "kafka"
        prometheus_port: 70000
        metric_export_interval: 5
        [tracing]
        trace_sampler: 1.5
        [logging]
        log_format: "xml"
        """;
    assertThatThrownBy(() -> TskTelemetry.builder(Tsk.parser().sourceName("app.tsk").build().parse(bad))
            .openTelemetry(sdk).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("app.tsk:2:1: telemetry.exporter: \"kafka\" (expected: one of otlp, none)")
        .hasMessageContaining("app.tsk:3:1: telemetry.prometheus_port: 70000")
        .hasMessageContaining("telemetry.metric_export_interval: an int (expected: a duration")
        .hasMessageContaining("app.tsk:6:1: tracing.trace_sampler: 1.5 (expected: 0.0..1.0)")
        .hasMessageContaining("app.tsk:8:1: logging.log_format: \"xml\" (expected: one of json, text)");
  }

  @Test
  void getMetrics_withoutQueryUrl_saysWhatIsMissing() {
    TskTelemetry t = telemetry(TSK);
    assertThatThrownBy(() -> t.getMetrics("cpu_usage", "1h", "avg"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("telemetry.query_url is not set");
  }
}
