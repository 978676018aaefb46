package io.tskotel.exporter.internal.store;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tskotel.exporter.AlertRecord;
import java.util.List;

/**
 * Counts the items of a batch that are already older than their table's TTL. The engine drops such rows as
 * it inserts them (the TTL is evaluated on insert), so the write succeeds and the rows are gone: without this
 * count that loss would be silent. Each method reads the same timestamp column the table's TTL is on.
 *
 * <p>{@code cutoffNanos} is "now minus the TTL" in Unix nanoseconds; a row whose timestamp is before it has
 * expired. Unsigned nanosecond values past Long.MAX_VALUE are in the far future and never expired.
 */
public final class ExpiredOnArrival {
  private ExpiredOnArrival() {}

  /** Spans by start time ({@code otel_traces.Timestamp}). */
  public static long spans(List<ResourceSpans> batch, long cutoffNanos) {
    long n = 0;
    for (ResourceSpans rs : batch) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          n += expired(s.getStartTimeUnixNano(), cutoffNanos);
        }
      }
    }
    return n;
  }

  /** Log records by their time, or the observed time when they have none, as the log encoder stores them. */
  public static long logs(List<ResourceLogs> batch, long cutoffNanos) {
    long n = 0;
    for (ResourceLogs rl : batch) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord r : sl.getLogRecordsList()) {
          long time = r.getTimeUnixNano() != 0 ? r.getTimeUnixNano() : r.getObservedTimeUnixNano();
          n += expired(time, cutoffNanos);
        }
      }
    }
    return n;
  }

  /** Metric points of every type by {@code TimeUnix}. */
  public static long points(List<ResourceMetrics> batch, long cutoffNanos) {
    long n = 0;
    for (ResourceMetrics rm : batch) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          n += points(m, cutoffNanos);
        }
      }
    }
    return n;
  }

  private static long points(Metric m, long cutoffNanos) {
    long n = 0;
    switch (m.getDataCase()) {
      case GAUGE -> {
        for (NumberDataPoint p : m.getGauge().getDataPointsList()) {
          n += expired(p.getTimeUnixNano(), cutoffNanos);
        }
      }
      case SUM -> {
        for (NumberDataPoint p : m.getSum().getDataPointsList()) {
          n += expired(p.getTimeUnixNano(), cutoffNanos);
        }
      }
      case HISTOGRAM -> {
        for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
          n += expired(p.getTimeUnixNano(), cutoffNanos);
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        for (ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList()) {
          n += expired(p.getTimeUnixNano(), cutoffNanos);
        }
      }
      case SUMMARY -> {
        for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
          n += expired(p.getTimeUnixNano(), cutoffNanos);
        }
      }
      default -> {
        // A metric without data writes no row.
      }
    }
    return n;
  }

  /** Alerts by {@code timestamp}. */
  public static long alerts(List<AlertRecord> alerts, long cutoffNanos) {
    long n = 0;
    for (AlertRecord a : alerts) {
      long seconds = a.timestamp().getEpochSecond();
      // Before 1970 it is expired (as stored, clamped to 0); past 2262 it is in the future (-1 reads so).
      long nanos = seconds < 0 ? 0
          : seconds >= Long.MAX_VALUE / 1_000_000_000L ? -1 : seconds * 1_000_000_000L + a.timestamp().getNano();
      n += expired(nanos, cutoffNanos);
    }
    return n;
  }

  private static int expired(long unsignedNanos, long cutoffNanos) {
    // Negative as a signed long means a huge unsigned value: far future, kept.
    return unsignedNanos >= 0 && unsignedNanos < cutoffNanos ? 1 : 0;
  }
}
