package io.tskotel.collector.pipeline.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.tskotel.collector.pipeline.Signal;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import java.util.List;

/** Decodes a queued {@code Export*ServiceRequest} of one signal and writes decoded requests to the store. */
public abstract sealed class SignalWriter<R> {

  /** A decoded request: its resources and how many items (spans, points, log records) they hold. */
  public record Decoded<R>(List<R> resources, int items) {}

  public static SignalWriter<?> of(Signal signal) {
    return switch (signal) {
      case TRACES -> new Traces();
      case METRICS -> new Metrics();
      case LOGS -> new Logs();
    };
  }

  public abstract Decoded<R> decode(byte[] request) throws InvalidProtocolBufferException;

  public abstract void write(TelemetryStore store, List<R> resources) throws StoreException;

  static final class Traces extends SignalWriter<ResourceSpans> {
    @Override
    public Decoded<ResourceSpans> decode(byte[] request) throws InvalidProtocolBufferException {
      List<ResourceSpans> list = ExportTraceServiceRequest.parseFrom(request).getResourceSpansList();
      int items = 0;
      for (ResourceSpans rs : list) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          items += ss.getSpansCount();
        }
      }
      return new Decoded<>(list, items);
    }

    @Override
    public void write(TelemetryStore store, List<ResourceSpans> resources) throws StoreException {
      store.writeTraces(resources);
    }
  }

  public static final class Metrics extends SignalWriter<ResourceMetrics> {
    @Override
    public Decoded<ResourceMetrics> decode(byte[] request) throws InvalidProtocolBufferException {
      List<ResourceMetrics> list = ExportMetricsServiceRequest.parseFrom(request).getResourceMetricsList();
      int items = 0;
      for (ResourceMetrics rm : list) {
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          for (Metric m : sm.getMetricsList()) {
            items += points(m);
          }
        }
      }
      return new Decoded<>(list, items);
    }

    public static int points(Metric m) {
      return switch (m.getDataCase()) {
        case GAUGE -> m.getGauge().getDataPointsCount();
        case SUM -> m.getSum().getDataPointsCount();
        case HISTOGRAM -> m.getHistogram().getDataPointsCount();
        case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
        case SUMMARY -> m.getSummary().getDataPointsCount();
        case DATA_NOT_SET -> 0;
      };
    }

    @Override
    public void write(TelemetryStore store, List<ResourceMetrics> resources) throws StoreException {
      store.writeMetrics(resources);
    }
  }

  static final class Logs extends SignalWriter<ResourceLogs> {
    @Override
    public Decoded<ResourceLogs> decode(byte[] request) throws InvalidProtocolBufferException {
      List<ResourceLogs> list = ExportLogsServiceRequest.parseFrom(request).getResourceLogsList();
      int items = 0;
      for (ResourceLogs rl : list) {
        for (ScopeLogs sl : rl.getScopeLogsList()) {
          items += sl.getLogRecordsCount();
        }
      }
      return new Decoded<>(list, items);
    }

    @Override
    public void write(TelemetryStore store, List<ResourceLogs> resources) throws StoreException {
      store.writeLogs(resources);
    }
  }
}
