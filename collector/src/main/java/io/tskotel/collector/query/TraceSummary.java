package io.tskotel.collector.query;

import java.time.Instant;
import java.util.List;

/**
 * One trace found by a search. Service, name, start and duration are its root span's (the span without a
 * parent), or its earliest span's when the root is not stored; the counts are over all its stored spans.
 *
 * @param errorCount spans that failed (status Error, or a server span with an HTTP error status)
 * @param services every service that has a span in it, sorted
 */
public record TraceSummary(
    String traceId,
    String rootSpanId,
    String service,
    String name,
    Instant start,
    double durationMs,
    long spanCount,
    long errorCount,
    List<String> services) {
  public TraceSummary {
    services = List.copyOf(services);
  }
}
