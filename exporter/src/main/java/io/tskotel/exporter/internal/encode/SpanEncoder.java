package io.tskotel.exporter.internal.encode;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;
import java.util.List;

/** OTLP spans as {@code otel_traces} rows, one per span; Events and Links as Nested arrays. */
public final class SpanEncoder {
  public static final String TABLE = "otel_traces";

  public static final List<String> COLUMNS = List.of(
      "Timestamp", "TraceId", "SpanId", "ParentSpanId", "TraceState", "SpanName", "SpanKind",
      "ServiceName", "ResourceAttributes", "ScopeName", "ScopeVersion", "SpanAttributes", "Duration",
      "StatusCode", "StatusMessage",
      "Events.Timestamp", "Events.Name", "Events.Attributes",
      "Links.TraceId", "Links.SpanId", "Links.TraceState", "Links.Attributes");

  private final EncodeStats stats;

  public SpanEncoder(EncodeStats stats) {
    this.stats = stats;
  }

  /** Writes every span; returns the number of rows. */
  public int encode(List<ResourceSpans> batch, RowSink sink) throws StoreException {
    int rows = 0;
    for (ResourceSpans rs : batch) {
      Resource resource = rs.getResource();
      List<KeyValue> resourceAttributes = resource.getAttributesList();
      String serviceName = null;
      byte[] resourceMap = null;
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          if (serviceName == null) {
            serviceName = Otlp.serviceName(resourceAttributes, stats);
            resourceMap = Attributes.mapBytes(resourceAttributes, stats);
          }
          writeSpan(sink.writer(), span, serviceName, resourceMap, ss);
          sink.endRow();
          rows++;
        }
      }
    }
    return rows;
  }

  private void writeSpan(
      RowBinaryWriter w, Span span, String serviceName, byte[] resourceMap, ScopeSpans ss) {
    long start = Otlp.nanos(span.getStartTimeUnixNano(), stats);
    long end = Otlp.nanos(span.getEndTimeUnixNano(), stats);
    long duration = end - start;
    if (duration < 0) {
      stats.negativeDuration.increment();
      duration = 0;
    }
    w.writeDateTime64Nanos(start);
    Otlp.writeId(w, span.getTraceId(), 16, stats);
    Otlp.writeId(w, span.getSpanId(), 8, stats);
    Otlp.writeId(w, span.getParentSpanId(), 8, stats);
    w.writeString(span.getTraceState());
    w.writeString(span.getName());
    w.writeString(kind(span.getKindValue(), stats));
    w.writeString(serviceName);
    w.writeRaw(resourceMap, 0, resourceMap.length);
    w.writeString(ss.getScope().getName());
    w.writeString(ss.getScope().getVersion());
    Attributes.writeMap(w, span.getAttributesList(), stats);
    w.writeUInt64(duration);
    w.writeString(statusCode(span.getStatus()));
    w.writeString(span.getStatus().getMessage());

    int events = span.getEventsCount();
    w.writeSize(events);
    for (Span.Event e : span.getEventsList()) {
      Otlp.writeNanos(w, e.getTimeUnixNano(), stats);
    }
    w.writeSize(events);
    for (Span.Event e : span.getEventsList()) {
      w.writeString(e.getName());
    }
    w.writeSize(events);
    for (Span.Event e : span.getEventsList()) {
      Attributes.writeMap(w, e.getAttributesList(), stats);
    }

    int links = span.getLinksCount();
    w.writeSize(links);
    for (Span.Link l : span.getLinksList()) {
      Otlp.writeId(w, l.getTraceId(), 16, stats);
    }
    w.writeSize(links);
    for (Span.Link l : span.getLinksList()) {
      Otlp.writeId(w, l.getSpanId(), 8, stats);
    }
    w.writeSize(links);
    for (Span.Link l : span.getLinksList()) {
      w.writeString(l.getTraceState());
    }
    w.writeSize(links);
    for (Span.Link l : span.getLinksList()) {
      Attributes.writeMap(w, l.getAttributesList(), stats);
    }
  }

  /** pdata's SpanKind.String(), as the upstream exporter stores it. */
  static String kind(int value, EncodeStats stats) {
    return switch (value) {
      case 0 -> "Unspecified";
      case 1 -> "Internal";
      case 2 -> "Server";
      case 3 -> "Client";
      case 4 -> "Producer";
      case 5 -> "Consumer";
      default -> {
        stats.unknownEnumValue.increment();
        yield "Unspecified";
      }
    };
  }

  /** pdata's StatusCode.String(). */
  private String statusCode(Status status) {
    return switch (status.getCodeValue()) {
      case 0 -> "Unset";
      case 1 -> "Ok";
      case 2 -> "Error";
      default -> {
        stats.unknownEnumValue.increment();
        yield "Unset";
      }
    };
  }
}
