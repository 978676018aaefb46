package io.tskotel.collector.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * OTLP requests with predictable ids for the pipeline tests: span {@code k} of request {@code r} has span id
 * {@code r * 1000 + k} (8 bytes, big endian) and trace id {@code r} (16 bytes).
 */
public final class OtlpRequests {
  // Recent: the store's TTLs drop rows older than the retention already when inserting them.
  private static final long BASE_NANOS = (System.currentTimeMillis() - 3_600_000) * 1_000_000L;

  private OtlpRequests() {}

  public static Resource resource(String service) {
    return Resource.newBuilder()
        .addAttributes(KeyValue.newBuilder().setKey("service.name")
            .setValue(AnyValue.newBuilder().setStringValue(service)))
        .build();
  }

  public static ExportTraceServiceRequest traces(long request, int spans, String spanName) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int k = 0; k < spans; k++) {
      long start = BASE_NANOS + request * 1_000_000 + k;
      scope.addSpans(Span.newBuilder()
          .setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(8, request + 1).array()))
          .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(spanId(request, k)).array()))
          .setName(spanName)
          .setKind(Span.SpanKind.SPAN_KIND_SERVER)
          .setStartTimeUnixNano(start)
          .setEndTimeUnixNano(start + 1_000));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource("pipeline-test")).addScopeSpans(scope))
        .build();
  }

  public static long spanId(long request, int k) {
    return request * 1000 + k + 1;
  }

  /** The span id as the store returns it (lower-case hex). */
  public static String spanIdHex(long request, int k) {
    return HexFormat.of().formatHex(ByteBuffer.allocate(8).putLong(spanId(request, k)).array());
  }

  public static ExportLogsServiceRequest logs(long request, int records) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (int k = 0; k < records; k++) {
      scope.addLogRecords(LogRecord.newBuilder()
          .setTimeUnixNano(BASE_NANOS + request * 1_000_000 + k)
          .setSeverityText("INFO")
          .setBody(AnyValue.newBuilder().setStringValue("log " + request + "/" + k)));
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource("pipeline-test")).addScopeLogs(scope))
        .build();
  }

  public static ExportMetricsServiceRequest gauges(long request, int points) {
    Gauge.Builder gauge = Gauge.newBuilder();
    for (int k = 0; k < points; k++) {
      gauge.addDataPoints(NumberDataPoint.newBuilder()
          .setTimeUnixNano(BASE_NANOS + request * 1_000_000 + k)
          .setAsDouble(request * 1000 + k));
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource("pipeline-test"))
            .addScopeMetrics(ScopeMetrics.newBuilder()
                .addMetrics(Metric.newBuilder().setName("pipeline_test_gauge").setGauge(gauge))))
        .build();
  }
}
