package io.tskotel.collector.query;

import java.time.Instant;
import java.util.List;
import io.tskotel.collector.query.internal.Values;
import java.util.Map;

/**
 * One trace for its waterfall: the spans in tree order (depth first, a parent before its children, siblings
 * by start; spans whose parent is not stored are roots) and the logs that carry its trace id, oldest first.
 *
 * @param start the earliest span's start
 * @param durationMs from {@code start} to the latest span end
 * @param truncated true when the trace has more spans than {@link QueryConfig#explorerMaxRows()} and only
 *     the earliest ones are shown
 */
public record TraceDetail(
    String traceId, Instant start, double durationMs, List<Span> spans, List<LogEntry> logs, boolean truncated) {
  public TraceDetail {
    spans = List.copyOf(spans);
    logs = List.copyOf(logs);
  }

  /**
   * One span.
   *
   * @param parentSpanId "" for a span without parent
   * @param kind Server, Client, Internal, Producer, Consumer or Unspecified
   * @param offsetMs its start after the trace's start
   * @param depth 0 for a root, its parent's + 1 otherwise
   * @param status Error, Ok or Unset
   */
  public record Span(
      String spanId,
      String parentSpanId,
      String service,
      String name,
      String kind,
      Instant start,
      double offsetMs,
      double durationMs,
      int depth,
      String status,
      String statusMessage,
      Map<String, String> attributes,
      Map<String, String> resourceAttributes,
      List<Event> events,
      List<Link> links) {
    public Span {
      attributes = Values.sorted(attributes);
      resourceAttributes = Values.sorted(resourceAttributes);
      events = List.copyOf(events);
      links = List.copyOf(links);
    }
  }

  /** A span event; {@code offsetMs} after the trace's start. */
  public record Event(String name, Instant time, double offsetMs, Map<String, String> attributes) {
    public Event {
      attributes = Values.sorted(attributes);
    }
  }

  /** A span link to another span (of this or another trace). */
  public record Link(String traceId, String spanId, Map<String, String> attributes) {
    public Link {
      attributes = Values.sorted(attributes);
    }
  }
}
