package io.tskotel.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.tskotel.tsk.Tsk;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK TskTelemetry builds through OpenTelemetry autoconfigure: the sampler and resource from TSK, OTEL_*
 * overriding them, the Prometheus endpoint answering a real scrape, and the autoconfigure provider for
 * applications that build their SDK themselves (or run the Java agent).
 */
class TskAutoconfigureTest {
  private static final String BASE = """
      [telemetry]
      service_name: "shop"
      service_version: "1.2.3"
      deployment_environment: "test"
      resource_attributes: "team=payments"
      exporter: "none"
      """;

  @TempDir Path dir;

  /** Spans record only when a processor takes them: an in-memory one stands in for the exporter. */
  private static TskTelemetry.Builder builder(String tsk) {
    return TskTelemetry.builder(Tsk.parse(tsk)).customize(TskAutoconfigureTest::keepSpans);
  }

  private static void keepSpans(io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer c) {
    c.addTracerProviderCustomizer((tracers, config) -> tracers.addSpanProcessor(
        io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(
            io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create())));
  }

  private static OpenTelemetrySdk sdk(TskTelemetry t) {
    return (OpenTelemetrySdk) t.openTelemetry();
  }

  private static Resource resourceOf(TskTelemetry t) {
    return resourceOf(t.openTelemetry().getTracer("test"));
  }

  /** A span under a sampled remote parent is recorded by any parent-based sampler; its resource is the SDK's. */
  private static Resource resourceOf(Tracer tracer) {
    var parent = io.opentelemetry.api.trace.SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c",
        "b7ad6b7169203331", io.opentelemetry.api.trace.TraceFlags.getSampled(),
        io.opentelemetry.api.trace.TraceState.getDefault());
    Span span = tracer.spanBuilder("r")
        .setParent(io.opentelemetry.context.Context.root().with(Span.wrap(parent))).startSpan();
    try {
      return ((io.opentelemetry.sdk.trace.ReadableSpan) span).toSpanData().getResource();
    } finally {
      span.end();
    }
  }

  @Test
  void build_tskSetsResourceAndSampler() {
    try (TskTelemetry t = builder(BASE + "[tracing]\ntrace_sampler: 0.25\n")
        .environment(Map.of()).build()) {
      Resource r = resourceOf(t);
      assertThat(r.getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("shop");
      assertThat(r.getAttribute(AttributeKey.stringKey("service.version"))).isEqualTo("1.2.3");
      assertThat(r.getAttribute(AttributeKey.stringKey("deployment.environment.name"))).isEqualTo("test");
      assertThat(r.getAttribute(AttributeKey.stringKey("team"))).isEqualTo("payments");
      assertThat(sdk(t).getSdkTracerProvider().getSampler().getDescription())
          .isEqualTo("ParentBased{root:TraceIdRatioBased{0.250000},remoteParentSampled:AlwaysOnSampler,"
              + "remoteParentNotSampled:AlwaysOffSampler,localParentSampled:AlwaysOnSampler,"
              + "localParentNotSampled:AlwaysOffSampler}");
    }
  }

  @Test
  void build_otelEnvironmentOverridesTsk() {
    Map<String, String> env = Map.of(
        "OTEL_SERVICE_NAME", "from-env",
        "OTEL_RESOURCE_ATTRIBUTES", "team=platform",
        "OTEL_TRACES_SAMPLER", "always_on");
    try (TskTelemetry t = builder(BASE + "[tracing]\ntrace_sampler: 0.25\n")
        .environment(env).build()) {
      Resource r = resourceOf(t);
      assertThat(r.getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("from-env");
      assertThat(r.getAttribute(AttributeKey.stringKey("team"))).isEqualTo("platform");
      assertThat(sdk(t).getSdkTracerProvider().getSampler().getDescription()).isEqualTo("AlwaysOnSampler");
    }
  }

  /**
   * ParentBased(TraceIdRatioBased(0.25)) over 10,000 root spans: the sampled count is Binomial(10000, 0.25)
   * (mean 2500, sigma 43.3); a 5-sigma band fails a correct sampler about once in 1.7 million runs. Children
   * follow their parent's decision exactly.
   */
  @Test
  @SuppressWarnings("try") // the scope is used for its effect: the trace is current inside
  void sampler_ratio_withinFiveSigmaOfTheBinomial() {
    int n = 10_000;
    double p = 0.25;
    var exported = io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create();
    try (TskTelemetry t = TskTelemetry.builder(Tsk.parse(BASE + "[tracing]\ntrace_sampler: 0.25\n"))
        .environment(Map.of())
        .customize(c -> c.addTracerProviderCustomizer((tracers, config) ->
            tracers.addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(exported))))
        .build()) {
      Tracer tracer = t.openTelemetry().getTracer("test");
      int sampled = 0;
      int childMismatch = 0;
      for (int i = 0; i < n; i++) {
        Trace root = t.startTrace("root");
        if (root.isSampled()) {
          sampled++;
        }
        Trace child = t.startTrace("child", root);
        if (child.isSampled() != root.isSampled()) {
          childMismatch++;
        }
        try (Scope ignored = root.makeCurrent()) {
          Span viaApi = tracer.spanBuilder("api-child").startSpan();
          if (viaApi.getSpanContext().isSampled() != root.isSampled()) {
            childMismatch++;
          }
          viaApi.end();
        }
        t.endTrace(child);
        t.endTrace(root);
      }
      double sigma = Math.sqrt(n * p * (1 - p));
      assertThat((double) sampled).isBetween(n * p - 5 * sigma, n * p + 5 * sigma);
      assertThat(childMismatch).isZero();
      assertThat(exported.getFinishedSpanItems()).hasSize(3 * sampled);
    }
  }

  @Test
  void prometheus_scrapeShowsTheTskInstruments() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (TskTelemetry t = TskTelemetry.builder(Tsk.parse(BASE + "prometheus_port: " + port + "\n"
            + "[telemetry.histogram_buckets]\nresponse_time: [0.1, 0.5, 1]\n"
            + "[metrics]\nresponse_time: @metric(\"histogram\", \"response_time_seconds\", \"s\")\n"))
        .environment(Map.of()).build()) {
      t.logRequest("r1", "GET", "/", 200, 0.3, null);
      t.logRequest("r2", "GET", "/", 500, 0.05, null);
      t.trackPayment(12.5, true, "card");

      HttpResponse<String> scrape = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).GET().build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.body())
          .contains("requests_total{")
          .containsPattern("response_time_seconds_bucket\\{[^}]*le=\"0\\.1\"[^}]*} 1")
          .containsPattern("response_time_seconds_bucket\\{[^}]*le=\"0\\.5\"[^}]*} 1")
          .contains("revenue_daily_total{")
          .containsPattern("revenue_daily_total\\{[^}]*} 12\\.5")
          .contains("payments_total{")
          .contains("service_name=\"shop\"");
    }
  }

  /** What an application on autoconfigure builds: nothing of tskotel but the jar and {@code tskotel.config}. */
  private OpenTelemetrySdk autoconfigured(Map<String, String> properties, InMemoryMetricReader metrics)
      throws IOException {
    Path file = dir.resolve("app.tsk");
    Files.writeString(file, BASE + "[tracing]\ntrace_sampler: 0.5\n[telemetry.histogram_buckets]\n"
        + "response_time: [0.1, 0.2]\n");
    Map<String, String> all = new java.util.HashMap<>(properties);
    all.put("tskotel.config", file.toString());
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> all)
        .addTracerProviderCustomizer((tracers, config) -> tracers.addSpanProcessor(
            io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(
                io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create())))
        .addMeterProviderCustomizer((meters, config) -> meters.registerMetricReader(metrics))
        .disableShutdownHook()
        .build().getOpenTelemetrySdk();
  }

  @Test
  void autoconfigureProvider_tskotelConfigSuppliesSamplerResourceAndViews() throws IOException {
    InMemoryMetricReader metrics = InMemoryMetricReader.create();
    try (OpenTelemetrySdk sdk = autoconfigured(Map.of(), metrics)) {
      assertThat(sdk.getSdkTracerProvider().getSampler().getDescription())
          .startsWith("ParentBased{root:TraceIdRatioBased{0.500000}");
      Resource r = resourceOf(sdk.getTracer("t"));
      assertThat(r.getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("shop");
      sdk.getMeter("app").histogramBuilder("response_time_seconds").build().record(0.15);
      assertThat(metrics.collectAllMetrics()).singleElement().satisfies(m ->
          assertThat(m.getHistogramData().getPoints()).singleElement()
              .satisfies(p -> assertThat(p.getBoundaries()).containsExactly(0.1, 0.2)));
    }
  }

  @Test
  void autoconfigureProvider_explicitOtelPropertyWinsOverTsk() throws IOException {
    try (OpenTelemetrySdk sdk = autoconfigured(
        Map.of("otel.service.name", "explicit", "otel.traces.sampler", "always_on"), InMemoryMetricReader.create())) {
      assertThat(sdk.getSdkTracerProvider().getSampler().getDescription()).isEqualTo("AlwaysOnSampler");
      assertThat(resourceOf(sdk.getTracer("t")).getAttribute(AttributeKey.stringKey("service.name")))
          .isEqualTo("explicit");
    }
  }
}
