package io.tskotel.collector.query;

import java.time.Instant;
import io.tskotel.collector.query.internal.Values;
import java.util.Map;

/**
 * One stored log record.
 *
 * @param severity the record's severity text, or the name of its SeverityNumber's range when it has none
 * @param traceId 32 hex digits, or "" when the record is not part of a trace
 * @param spanId 16 hex digits, or ""
 */
public record LogEntry(
    Instant time,
    String service,
    String severity,
    int severityNumber,
    String body,
    String traceId,
    String spanId,
    Map<String, String> attributes,
    Map<String, String> resourceAttributes) {
  public LogEntry {
    attributes = Values.sorted(attributes);
    resourceAttributes = Values.sorted(resourceAttributes);
  }
}
