package io.tskotel.collector.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Realistic OTLP requests, encoded once before the run so that the generator spends its CPU on sending:
 * HTTP-server spans with 15 semantic-convention attributes under 5 resource attributes, spread over
 * services and routes with a share of errors; gauge points with route and method attributes; log records
 * that carry trace context. Timestamps are the time of building (minutes old at most during a run).
 */
final class Payloads {
  /** Distinct requests per run; sending cycles through them. */
  static final int POOL = 32;

  private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
  private static final Set<String> ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final LoadConfig config;
  private final Random random;
  private final long nowNanos;

  Payloads(LoadConfig config, long seed, long nowNanos) {
    this.config = config;
    this.random = new Random(seed);
    this.nowNanos = nowNanos;
  }

  /** {@link #POOL} encoded request bodies in the config's protocol's encoding. */
  List<byte[]> bodies() {
    List<byte[]> out = new ArrayList<>(POOL);
    for (int i = 0; i < POOL; i++) {
      Message request = request(i);
      out.add(config.protocol() == LoadConfig.Protocol.HTTP_JSON ? json(request) : request.toByteArray());
    }
    return out;
  }

  Message request(int index) {
    Resource resource = resource(index % config.services());
    return switch (config.signal()) {
      case TRACES -> ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
          .setResource(resource).addScopeSpans(spans())).build();
      case METRICS -> ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
          .setResource(resource).addScopeMetrics(gauges())).build();
      case LOGS -> ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
          .setResource(resource).addScopeLogs(logs())).build();
    };
  }

  private static Resource resource(int service) {
    return Resource.newBuilder()
        .addAttributes(kv("service.name", "loadgen-service-" + service))
        .addAttributes(kv("service.version", "1.4." + service))
        .addAttributes(kv("deployment.environment.name", "load"))
        .addAttributes(kv("host.name", "loadgen-host-" + service))
        .addAttributes(kv("telemetry.sdk.language", "java"))
        .build();
  }

  private static InstrumentationScope scope() {
    return InstrumentationScope.newBuilder().setName("io.tskotel.loadgen").setVersion("1").build();
  }

  private ScopeSpans.Builder spans() {
    ScopeSpans.Builder ss = ScopeSpans.newBuilder().setScope(scope());
    for (int i = 0; i < config.itemsPerRequest(); i++) {
      int route = random.nextInt(config.routes());
      String method = METHODS[random.nextInt(METHODS.length)];
      boolean error = random.nextDouble() < config.errorRatio();
      long duration = 1_000_000L + (long) (random.nextDouble() * random.nextDouble() * 500_000_000L);
      long start = nowNanos - duration - random.nextInt(1_000_000_000);
      ss.addSpans(Span.newBuilder()
          .setTraceId(randomId(16)).setSpanId(randomId(8))
          .setName(method + " /api/route" + route + "/{id}")
          .setKind(Span.SpanKind.SPAN_KIND_SERVER)
          .setStartTimeUnixNano(start).setEndTimeUnixNano(start + duration)
          .addAttributes(kv("http.request.method", method))
          .addAttributes(kv("http.route", "/api/route" + route + "/{id}"))
          .addAttributes(kv("url.path", "/api/route" + route + "/" + random.nextInt(100_000)))
          .addAttributes(kv("url.scheme", "https"))
          .addAttributes(kv("url.query", "page=" + random.nextInt(20)))
          .addAttributes(kv("http.response.status_code", error ? 500 : 200))
          .addAttributes(kv("server.address", "api.example.internal"))
          .addAttributes(kv("server.port", 443))
          .addAttributes(kv("client.address", "10.1." + random.nextInt(256) + "." + random.nextInt(256)))
          .addAttributes(kv("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) loadgen/1.0"))
          .addAttributes(kv("network.protocol.version", "1.1"))
          .addAttributes(kv("network.peer.port", 30_000 + random.nextInt(30_000)))
          .addAttributes(kv("http.request.body.size", random.nextInt(4096)))
          .addAttributes(kv("http.response.body.size", random.nextInt(65_536)))
          .addAttributes(kv("thread.name", "http-worker-" + random.nextInt(64)))
          .setStatus(error
              ? Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("internal error").build()
              : Status.getDefaultInstance()));
    }
    return ss;
  }

  private ScopeMetrics.Builder gauges() {
    ScopeMetrics.Builder sm = ScopeMetrics.newBuilder().setScope(scope());
    int metrics = Math.min(10, config.itemsPerRequest());
    for (int m = 0; m < metrics; m++) {
      Gauge.Builder gauge = Gauge.newBuilder();
      for (int i = m; i < config.itemsPerRequest(); i += metrics) {
        gauge.addDataPoints(NumberDataPoint.newBuilder()
            .setTimeUnixNano(nowNanos - random.nextInt(1_000_000_000))
            .setAsDouble(random.nextDouble() * 100)
            .addAttributes(kv("http.route", "/api/route" + random.nextInt(config.routes()) + "/{id}"))
            .addAttributes(kv("http.request.method", METHODS[random.nextInt(METHODS.length)])));
      }
      sm.addMetrics(Metric.newBuilder().setName("loadgen.gauge." + m).setUnit("1").setGauge(gauge));
    }
    return sm;
  }

  private ScopeLogs.Builder logs() {
    ScopeLogs.Builder sl = ScopeLogs.newBuilder().setScope(scope());
    for (int i = 0; i < config.itemsPerRequest(); i++) {
      boolean error = random.nextDouble() < config.errorRatio();
      int route = random.nextInt(config.routes());
      sl.addLogRecords(LogRecord.newBuilder()
          .setTimeUnixNano(nowNanos - random.nextInt(1_000_000_000))
          .setObservedTimeUnixNano(nowNanos)
          .setSeverityNumber(error ? SeverityNumber.SEVERITY_NUMBER_ERROR : SeverityNumber.SEVERITY_NUMBER_INFO)
          .setSeverityText(error ? "ERROR" : "INFO")
          .setBody(AnyValue.newBuilder().setStringValue(error
              ? "request failed: upstream timeout after 2000 ms on /api/route" + route
              : "request handled in " + random.nextInt(500) + " ms on /api/route" + route))
          .setTraceId(randomId(16)).setSpanId(randomId(8))
          .addAttributes(kv("http.route", "/api/route" + route + "/{id}"))
          .addAttributes(kv("http.request.method", METHODS[random.nextInt(METHODS.length)]))
          .addAttributes(kv("thread.name", "http-worker-" + random.nextInt(64))));
    }
    return sl;
  }

  private ByteString randomId(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    b[0] |= 1; // never all zero: an all-zero id is invalid
    return ByteString.copyFrom(b);
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static KeyValue kv(String key, long value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
  }

  /** OTLP JSON: protobuf's JSON mapping with trace and span ids as hex, as the OTLP spec wants them. */
  static byte[] json(Message request) {
    try {
      JsonNode root = MAPPER.readTree(JsonFormat.printer().omittingInsignificantWhitespace().print(request));
      hexIds(root);
      return MAPPER.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + request.getClass().getSimpleName(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void hexIds(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (String field : ID_FIELDS) {
        JsonNode id = object.get(field);
        if (id != null && id.isTextual()) {
          object.put(field, HexFormat.of().formatHex(Base64.getDecoder().decode(id.asText())));
        }
      }
    }
    for (JsonNode child : node) {
      hexIds(child);
    }
  }
}
