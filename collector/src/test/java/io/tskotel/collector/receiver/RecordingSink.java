package io.tskotel.collector.receiver;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tskotel.collector.pipeline.Admission;
import io.tskotel.collector.pipeline.IngestSink;
import io.tskotel.collector.pipeline.Signal;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link IngestSink} that keeps what it admitted, or refuses or fails on demand. */
final class RecordingSink implements IngestSink {

  enum Mode {
    ACCEPT,
    RETRY_LATER,
    THROW
  }

  record Admitted(Signal signal, byte[] bytes, int itemCount) {}

  private final List<Admitted> admitted = new CopyOnWriteArrayList<>();
  private final List<Admitted> refused = new CopyOnWriteArrayList<>();
  private volatile Mode mode = Mode.ACCEPT;
  private volatile Duration retryAfter = Duration.ofSeconds(1);

  void accept() {
    mode = Mode.ACCEPT;
  }

  void refuse(Duration retryAfter) {
    this.retryAfter = retryAfter;
    mode = Mode.RETRY_LATER;
  }

  void fail() {
    mode = Mode.THROW;
  }

  void clear() {
    admitted.clear();
    refused.clear();
  }

  @Override
  public Admission admit(Signal signal, byte[] otlpProtobuf, int itemCount) {
    return switch (mode) {
      case ACCEPT -> {
        admitted.add(new Admitted(signal, otlpProtobuf.clone(), itemCount));
        yield Admission.accepted();
      }
      case RETRY_LATER -> {
        refused.add(new Admitted(signal, otlpProtobuf.clone(), itemCount));
        yield Admission.retryLater(retryAfter, "queue full (test)");
      }
      case THROW -> throw new IllegalStateException("sink broken (test)");
    };
  }

  List<Admitted> admitted(Signal signal) {
    return admitted.stream().filter(a -> a.signal() == signal).toList();
  }

  int itemCount(Signal signal) {
    return admitted(signal).stream().mapToInt(Admitted::itemCount).sum();
  }

  /** Items refused (retry later), as a sink counts them. */
  int refusedItems(Signal signal) {
    return refused.stream().filter(a -> a.signal() == signal).mapToInt(Admitted::itemCount).sum();
  }

  List<ExportTraceServiceRequest> traceRequests() {
    return admitted(Signal.TRACES).stream()
        .map(a -> parse(() -> ExportTraceServiceRequest.parseFrom(a.bytes())))
        .toList();
  }

  List<ExportMetricsServiceRequest> metricRequests() {
    return admitted(Signal.METRICS).stream()
        .map(a -> parse(() -> ExportMetricsServiceRequest.parseFrom(a.bytes())))
        .toList();
  }

  List<ExportLogsServiceRequest> logRequests() {
    return admitted(Signal.LOGS).stream()
        .map(a -> parse(() -> ExportLogsServiceRequest.parseFrom(a.bytes())))
        .toList();
  }

  List<ResourceSpans> resourceSpans() {
    return traceRequests().stream().flatMap(r -> r.getResourceSpansList().stream()).toList();
  }

  List<Span> spans() {
    return resourceSpans().stream()
        .flatMap(rs -> rs.getScopeSpansList().stream())
        .flatMap(ss -> ss.getSpansList().stream())
        .toList();
  }

  List<ResourceMetrics> resourceMetrics() {
    return metricRequests().stream().flatMap(r -> r.getResourceMetricsList().stream()).toList();
  }

  List<Metric> metrics() {
    return resourceMetrics().stream()
        .flatMap(rm -> rm.getScopeMetricsList().stream())
        .flatMap(sm -> sm.getMetricsList().stream())
        .toList();
  }

  List<ResourceLogs> resourceLogs() {
    return logRequests().stream().flatMap(r -> r.getResourceLogsList().stream()).toList();
  }

  List<LogRecord> logRecords() {
    return resourceLogs().stream()
        .flatMap(rl -> rl.getScopeLogsList().stream())
        .flatMap(sl -> sl.getLogRecordsList().stream())
        .toList();
  }

  private interface ProtoParse<T> {
    T parse() throws InvalidProtocolBufferException;
  }

  private static <T> T parse(ProtoParse<T> parse) {
    try {
      return parse.parse();
    } catch (InvalidProtocolBufferException e) {
      throw new UncheckedIOException("sink got bytes that are not the signal's request", e);
    }
  }
}
