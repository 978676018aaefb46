package io.tskotel.exporter.internal.encode;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;
import java.util.List;

/** OTLP log records as {@code otel_logs} rows. */
public final class LogEncoder {
  public static final String TABLE = "otel_logs";

  public static final List<String> COLUMNS = List.of(
      "Timestamp", "TraceId", "SpanId", "TraceFlags", "SeverityText", "SeverityNumber", "ServiceName",
      "Body", "ResourceSchemaUrl", "ResourceAttributes", "ScopeSchemaUrl", "ScopeName", "ScopeVersion",
      "ScopeAttributes", "LogAttributes", "EventName");

  private final EncodeStats stats;

  public LogEncoder(EncodeStats stats) {
    this.stats = stats;
  }

  public int encode(List<ResourceLogs> batch, RowSink sink) throws StoreException {
    int rows = 0;
    for (ResourceLogs rl : batch) {
      List<KeyValue> resourceAttributes = rl.getResource().getAttributesList();
      String serviceName = null;
      byte[] resourceMap = null;
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        byte[] scopeMap = null;
        for (LogRecord r : sl.getLogRecordsList()) {
          if (serviceName == null) {
            serviceName = Otlp.serviceName(resourceAttributes, stats);
            resourceMap = Attributes.mapBytes(resourceAttributes, stats);
          }
          if (scopeMap == null) {
            scopeMap = Attributes.mapBytes(sl.getScope().getAttributesList(), stats);
          }
          write(sink.writer(), r, serviceName, rl, sl, resourceMap, scopeMap);
          sink.endRow();
          rows++;
        }
      }
    }
    return rows;
  }

  private void write(RowBinaryWriter w, LogRecord r, String serviceName, ResourceLogs rl, ScopeLogs sl,
      byte[] resourceMap, byte[] scopeMap) {
    // A record without its own time takes the time it was observed, as upstream does.
    long time = r.getTimeUnixNano() != 0 ? r.getTimeUnixNano() : r.getObservedTimeUnixNano();
    Otlp.writeNanos(w, time, stats);
    Otlp.writeId(w, r.getTraceId(), 16, stats);
    Otlp.writeId(w, r.getSpanId(), 8, stats);
    w.writeUInt8(r.getFlags() & 0xFF);
    w.writeString(r.getSeverityText());
    int severity = r.getSeverityNumberValue();
    if (severity < 0 || severity > 255) {
      stats.unknownEnumValue.increment();
      severity = 0;
    }
    w.writeUInt8(severity);
    w.writeString(serviceName);
    w.writeString(AnyValues.asString(r.getBody()));
    w.writeString(rl.getSchemaUrl());
    w.writeRaw(resourceMap, 0, resourceMap.length);
    InstrumentationScope scope = sl.getScope();
    w.writeString(sl.getSchemaUrl());
    w.writeString(scope.getName());
    w.writeString(scope.getVersion());
    w.writeRaw(scopeMap, 0, scopeMap.length);
    Attributes.writeMap(w, r.getAttributesList(), stats);
    w.writeString(r.getEventName());
  }
}
