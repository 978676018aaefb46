package io.tskotel.collector.web;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A new user's first minute (issue 14): 200 server spans within one minute, every tenth failed (HTTP 500,
 * status Error), durations 20 to 69 ms; a gauge {@code queue_depth} and a counter {@code orders_total} that
 * the dashboard does not chart; 30 logs. No cpu, memory, disk, response-time, payment or revenue metric.
 */
final class LittleTelemetry {
  /** The spans' average duration in ms: 20 + (0..49), four times over. */
  static final double AVG_MS = 20 + 49 / 2.0;

  private final Instant minute;

  /** @param minute the start of a minute that has passed: every span lies in its first 20 seconds */
  LittleTelemetry(Instant minute) {
    this.minute = minute;
  }

  void writeTo(TelemetryStore store) throws StoreException {
    store.writeTraces(List.of(spans()));
    store.writeMetrics(List.of(metrics()));
    store.writeLogs(List.of(logs()));
  }

  private ResourceSpans spans() {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      long start = nanos(minute) + i * 100_000_000L;
      boolean failed = i % 10 == 0;
      Span.Builder s =
          Span.newBuilder()
              .setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(8, i + 1).array()))
              .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(i + 1).array()))
              .setName("GET /items")
              .setKind(Span.SpanKind.SPAN_KIND_SERVER)
              .setStartTimeUnixNano(start)
              .setEndTimeUnixNano(start + (20 + i % 50) * 1_000_000L)
              .addAttributes(kv("http.route", "/items"))
              .addAttributes(
                  KeyValue.newBuilder()
                      .setKey("http.response.status_code")
                      .setValue(AnyValue.newBuilder().setIntValue(failed ? 500 : 200)));
      if (failed) {
        s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
      }
      spans.add(s.build());
    }
    return ResourceSpans.newBuilder()
        .setResource(resource())
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans))
        .build();
  }

  private ResourceMetrics metrics() {
    long t = nanos(minute.plusSeconds(10));
    Metric gauge =
        Metric.newBuilder()
            .setName("queue_depth")
            .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(t).setAsDouble(7)))
            .build();
    Metric counter =
        Metric.newBuilder()
            .setName("orders_total")
            .setSum(
                Sum.newBuilder()
                    .setIsMonotonic(true)
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                    .addDataPoints(
                        NumberDataPoint.newBuilder()
                            .setStartTimeUnixNano(nanos(minute))
                            .setTimeUnixNano(t)
                            .setAsDouble(42)))
            .build();
    return ResourceMetrics.newBuilder()
        .setResource(resource())
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(gauge).addMetrics(counter))
        .build();
  }

  private ResourceLogs logs() {
    List<LogRecord> logs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      logs.add(
          LogRecord.newBuilder()
              .setTimeUnixNano(nanos(minute) + i * 500_000_000L)
              .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO)
              .setSeverityText("INFO")
              .setBody(AnyValue.newBuilder().setStringValue("order " + i + " placed"))
              .build());
    }
    return ResourceLogs.newBuilder()
        .setResource(resource())
        .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(logs))
        .build();
  }

  private static Resource resource() {
    return Resource.newBuilder().addAttributes(kv("service.name", "shop")).addAttributes(kv("host.name", "shop-1")).build();
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
