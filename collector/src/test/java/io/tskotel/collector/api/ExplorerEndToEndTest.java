package io.tskotel.collector.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tskotel.collector.Collector;
import io.tskotel.collector.query.QueryFixture;
import io.tskotel.collector.receiver.JavaSdkExporters;
import io.tskotel.collector.testing.TestCollectors;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.tsk.Tsk;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explorer's whole path: the Java OpenTelemetry SDK sends a trace and a log inside it over OTLP/HTTP to
 * a running collector (receiver, durable queue, batcher, chDB), and the trace comes back out of {@code
 * /api/v1/traces/{id}} with its spans in parent order and its log, and out of the searches.
 */
class ExplorerEndToEndTest {
  static final String TSK =
      """
      [admin]
      host: "127.0.0.1"
      port: 0
      grpc_port: -1
      token: "%s"
      """.formatted(ApiFixture.TOKEN);

  @TempDir Path dir;
  private ClickHouseStore store;
  private Collector collector;
  private AdminApi api;

  @BeforeEach
  void start() throws Exception {
    store = QueryFixture.newStore(ExplorerEndToEndTest.class);
    collector =
        Collector.builder(TestCollectors.settings(dir, p -> {}))
            .store(store)
            .component(c -> {
              AdminApiComponent component =
                  (AdminApiComponent) AdminApiComponent.factory(Tsk.parse(TSK), Clock.systemUTC()).create(c);
              api = component.api();
              return component;
            })
            .start();
  }

  @AfterEach
  void stop() {
    collector.shutdown();
    QueryFixture.dispose(store);
  }

  @Test
  void sdkTraceAndLog_throughOtlpHttp_backOutOfTheExplorer() throws Exception {
    JavaSdkExporters otlp = JavaSdkExporters.plain(
        JavaSdkExporters.Transport.HTTP_PROTOBUF, "http://127.0.0.1:" + collector.httpPort(), false);
    Resource resource = Resource.getDefault().merge(
        Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "shop-e2e")));
    SdkTracerProvider tracing = SdkTracerProvider.builder()
        .setResource(resource).addSpanProcessor(SimpleSpanProcessor.create(otlp.spans())).build();
    SdkLoggerProvider logging = SdkLoggerProvider.builder()
        .setResource(resource).addLogRecordProcessor(SimpleLogRecordProcessor.create(otlp.logs())).build();
    String traceId;
    try {
      var tracer = tracing.get("explorer-e2e");
      Instant t0 = Instant.now().minusSeconds(5);
      Span root = tracer.spanBuilder("GET /checkout").setSpanKind(SpanKind.SERVER)
          .setAttribute("http.route", "/checkout").setStartTimestamp(t0).startSpan();
      Span child = tracer.spanBuilder("charge card").setParent(Context.root().with(root))
          .setSpanKind(SpanKind.CLIENT).setStartTimestamp(t0.plusMillis(5)).startSpan();
      Span grandchild = tracer.spanBuilder("sign request").setParent(Context.root().with(child))
          .setStartTimestamp(t0.plusMillis(6)).startSpan();
      child.addEvent("retry", Attributes.of(AttributeKey.longKey("attempt"), 2L), t0.plusMillis(8));
      child.setStatus(StatusCode.ERROR, "gateway timeout");
      logging.get("explorer-e2e").logRecordBuilder()
          .setTimestamp(t0.plusMillis(9))
          .setSeverity(Severity.ERROR)
          .setSeverityText("ERROR")
          .setBody("gateway zx81timeout charging order 99")
          .setContext(Context.root().with(child))
          .emit();
      // ended children first, as a real app ends them; the exporter sends each span as it ends
      grandchild.end(t0.plusMillis(7));
      child.end(t0.plusMillis(30));
      root.end(t0.plusMillis(40));
      traceId = root.getSpanContext().getTraceId();
    } finally {
      assertThat(tracing.shutdown().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(logging.shutdown().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    }

    String base = "http://127.0.0.1:" + api.admin().port();
    JsonNode trace = awaitTrace(base, traceId, 3, 1);
    List<String> names = new ArrayList<>();
    List<Integer> depths = new ArrayList<>();
    trace.path("spans").forEach(s -> {
      names.add(s.path("name").asText());
      depths.add(s.path("depth").asInt());
    });
    assertThat(names).containsExactly("GET /checkout", "charge card", "sign request");
    assertThat(depths).containsExactly(0, 1, 2);
    JsonNode charge = trace.path("spans").get(1);
    assertThat(charge.path("status").asText()).isEqualTo("Error");
    assertThat(charge.path("offsetMs").asDouble()).isEqualTo(5.0);
    assertThat(charge.path("events").get(0).path("name").asText()).isEqualTo("retry");
    assertThat(trace.path("durationMs").asDouble()).isEqualTo(40.0);
    JsonNode log = trace.path("logs").get(0);
    assertThat(log.path("body").asText()).isEqualTo("gateway zx81timeout charging order 99");
    assertThat(log.path("spanId").asText()).isEqualTo(charge.path("spanId").asText());

    JsonNode search = get(base, "/api/v1/traces?service=shop-e2e&error=true").json();
    assertThat(search.path("items").size()).isEqualTo(1);
    assertThat(search.path("items").get(0).path("traceId").asText()).isEqualTo(traceId);
    assertThat(search.path("items").get(0).path("name").asText()).isEqualTo("GET /checkout");
    assertThat(search.path("items").get(0).path("spanCount").asInt()).isEqualTo(3);
    JsonNode logs = get(base, "/api/v1/logs?q=ZX81TIMEOUT").json();
    assertThat(logs.path("items").size()).isEqualTo(1);
    assertThat(logs.path("items").get(0).path("traceId").asText()).isEqualTo(traceId);
  }

  private static AdminServerTest.Response get(String base, String path) throws Exception {
    return AdminServerTest.get(base, path, ApiFixture.TOKEN);
  }

  /** Polls until the trace has its spans and logs written (the pipeline batches them), against a deadline. */
  private static JsonNode awaitTrace(String base, String traceId, int spans, int logs) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    AdminServerTest.Response r;
    while (true) {
      r = get(base, "/api/v1/traces/" + traceId);
      if (r.status() == 200 && r.json().path("spans").size() == spans && r.json().path("logs").size() == logs) {
        return r.json();
      }
      assertThat(r.status()).isIn(200, 404);
      assertThat(Instant.now()).as("trace %s in time: %s", traceId, r.body()).isBefore(deadline);
      Thread.sleep(50);
    }
  }
}
