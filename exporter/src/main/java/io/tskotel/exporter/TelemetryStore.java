package io.tskotel.exporter;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where all telemetry lives: the OpenTelemetry ClickHouse schema, written from OTLP objects and read with
 * parameterized SQL. Two implementations share the DDL, the RowBinary encoders and the query text: the
 * embedded engine (chDB in this process, the default) and a remote ClickHouse server or cluster.
 *
 * <p>Writes are all-or-nothing per call from the caller's point of view: on a {@link StoreException} the
 * caller retries the whole batch when {@link StoreException#retryable()}, and may see duplicates afterwards
 * (at-least-once). Implementations are thread-safe.
 */
public interface TelemetryStore extends AutoCloseable {

  /** Applies every pending schema migration. Idempotent. */
  void migrate() throws StoreException;

  /** Writes the spans of these resources into {@code otel_traces}. */
  void writeTraces(List<ResourceSpans> resourceSpans) throws StoreException;

  /**
   * Writes the spans of these serialized {@code ExportTraceServiceRequest}s (as a receiver queued them) into
   * {@code otel_traces}: the same rows as {@link #writeTraces} of the parsed requests. A request that does not
   * parse is a permanent {@link StoreException}. This default parses; {@link ClickHouseStore} encodes the
   * bytes without protobuf's message objects.
   */
  default void writeTraceRequests(List<byte[]> requests) throws StoreException {
    List<ResourceSpans> all = new ArrayList<>();
    for (byte[] r : requests) {
      try {
        all.addAll(ExportTraceServiceRequest.parseFrom(r).getResourceSpansList());
      } catch (InvalidProtocolBufferException e) {
        throw StoreException.permanent("undecodable request: " + e.getMessage(), e);
      }
    }
    writeTraces(all);
  }

  /** Writes the points of these resources into the {@code otel_metrics_*} table of each metric's type. */
  void writeMetrics(List<ResourceMetrics> resourceMetrics) throws StoreException;

  /** {@link #writeTraceRequests} for {@code ExportMetricsServiceRequest}s into the {@code otel_metrics_*} tables. */
  default void writeMetricRequests(List<byte[]> requests) throws StoreException {
    List<ResourceMetrics> all = new ArrayList<>();
    for (byte[] r : requests) {
      try {
        all.addAll(ExportMetricsServiceRequest.parseFrom(r).getResourceMetricsList());
      } catch (InvalidProtocolBufferException e) {
        throw StoreException.permanent("undecodable request: " + e.getMessage(), e);
      }
    }
    writeMetrics(all);
  }

  /** Writes the log records of these resources into {@code otel_logs}. */
  void writeLogs(List<ResourceLogs> resourceLogs) throws StoreException;

  /** {@link #writeTraceRequests} for {@code ExportLogsServiceRequest}s into {@code otel_logs}. */
  default void writeLogRequests(List<byte[]> requests) throws StoreException {
    List<ResourceLogs> all = new ArrayList<>();
    for (byte[] r : requests) {
      try {
        all.addAll(ExportLogsServiceRequest.parseFrom(r).getResourceLogsList());
      } catch (InvalidProtocolBufferException e) {
        throw StoreException.permanent("undecodable request: " + e.getMessage(), e);
      }
    }
    writeLogs(all);
  }

  /** Writes alerts into {@code tskotel_alerts}. */
  void writeAlerts(List<AlertRecord> alerts) throws StoreException;

  /**
   * Runs one read-only statement. {@code sql} refers to values only as {@code {name:Type}} placeholders,
   * bound from {@code params} by the engine: SQL is never built from input.
   */
  QueryResult query(String sql, Map<String, ?> params) throws StoreException;

  /** A cheap round trip to the engine. Never throws. */
  StoreHealth health();

  /** Releases connections. Safe to call twice. */
  @Override
  void close();
}
