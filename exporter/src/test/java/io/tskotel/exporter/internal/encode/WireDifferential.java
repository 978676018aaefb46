package io.tskotel.exporter.internal.encode;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.store.ExpiredOnArrival;
import io.tskotel.exporter.testing.CollectingSink;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The oracle of the wire encoders: the serialized requests parsed into protobuf's objects and written by
 * {@link SpanEncoder} / {@link LogEncoder} (the path they replace) against the same bytes written by
 * {@link WireSpanEncoder} / {@link WireLogEncoder}: the same RowBinary bytes, rows, repairs counted and
 * expired rows, or both refusing the requests.
 */
final class WireDifferential {
  private WireDifferential() {}

  /** What one path made of the requests. */
  record Outcome(String rowBinaryHex, long rows, long expired, Map<String, Long> repairs, boolean refused) {}

  /** The requests the last {@code assertSame*} call's wire encoder handed to the parser. */
  static long lastParsedRequests;

  private static final Outcome REFUSED = new Outcome("", 0, 0, Map.of(), true);

  static Outcome objectTraces(List<byte[]> requests, long cutoff) {
    EncodeStats stats = new EncodeStats();
    CollectingSink sink = new CollectingSink();
    List<ResourceSpans> all = new ArrayList<>();
    try {
      for (byte[] r : requests) {
        all.addAll(ExportTraceServiceRequest.parseFrom(r).getResourceSpansList());
      }
      new SpanEncoder(stats).encode(all, sink);
    } catch (InvalidProtocolBufferException | StoreException e) {
      return REFUSED;
    }
    return outcome(sink, ExpiredOnArrival.spans(all, cutoff), stats);
  }

  static Outcome wireTraces(WireSpanEncoder encoder, EncodeStats stats, List<byte[]> requests, long cutoff) {
    return wireOneTable(encoder::encode, stats, requests, cutoff);
  }

  /** The {@code encode} of the span or log wire encoder. */
  private interface OneTable {
    WireSpanEncoder.Written encode(List<byte[]> requests, RowSink sink, long cutoff) throws StoreException;
  }

  private static Outcome wireOneTable(OneTable encoder, EncodeStats stats, List<byte[]> requests, long cutoff) {
    CollectingSink sink = new CollectingSink();
    WireSpanEncoder.Written written;
    try {
      written = encoder.encode(requests, sink, cutoff);
    } catch (StoreException e) {
      return refused(e);
    }
    assertThat(written.rows()).isEqualTo(sink.rows);
    return outcome(sink, written.expired(), stats);
  }

  /** A wire encoder's only error: the parser's, permanent. */
  private static Outcome refused(StoreException e) {
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).startsWith("undecodable request: ");
    return REFUSED;
  }

  private static Outcome outcome(CollectingSink sink, long expired, EncodeStats stats) {
    return new Outcome(HexFormat.of().formatHex(sink.w.toByteArray()), sink.rows, expired, stats.snapshot(),
        false);
  }

  /** One collecting sink per metric table; the outcome's hex is the tables' bytes in table order. */
  static Outcome objectMetrics(List<byte[]> requests, long cutoff) {
    EncodeStats stats = new EncodeStats();
    java.util.EnumMap<MetricTable, CollectingSink> sinks = new java.util.EnumMap<>(MetricTable.class);
    List<io.opentelemetry.proto.metrics.v1.ResourceMetrics> all = new ArrayList<>();
    try {
      for (byte[] r : requests) {
        all.addAll(io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest.parseFrom(r)
            .getResourceMetricsList());
      }
      new MetricEncoder(stats).encode(all, t -> sinks.computeIfAbsent(t, k -> new CollectingSink()));
    } catch (InvalidProtocolBufferException | StoreException e) {
      return REFUSED;
    }
    return metricOutcome(sinks, ExpiredOnArrival.points(all, cutoff), stats);
  }

  private static Outcome metricOutcome(java.util.EnumMap<MetricTable, CollectingSink> sinks, long expired,
      EncodeStats stats) {
    StringBuilder hex = new StringBuilder();
    long rows = 0;
    for (MetricTable t : MetricTable.values()) {
      CollectingSink c = sinks.get(t);
      if (c != null && c.rows > 0) {
        hex.append(t).append(':').append(HexFormat.of().formatHex(c.w.toByteArray())).append(' ');
        rows += c.rows;
      }
    }
    return new Outcome(hex.toString(), rows, expired, stats.snapshot(), false);
  }

  static Outcome wireMetrics(WireMetricEncoder encoder, EncodeStats stats, List<byte[]> requests, long cutoff) {
    java.util.EnumMap<MetricTable, CollectingSink> sinks = new java.util.EnumMap<>(MetricTable.class);
    WireSpanEncoder.Written written;
    try {
      written = encoder.encode(requests, t -> sinks.computeIfAbsent(t, k -> new CollectingSink()), cutoff);
    } catch (StoreException e) {
      return refused(e);
    }
    Outcome o = metricOutcome(sinks, written.expired(), stats);
    assertThat(written.rows()).isEqualTo(o.rows());
    return o;
  }

  static Outcome assertSameMetrics(List<byte[]> requests, long cutoff) {
    EncodeStats stats = new EncodeStats();
    WireMetricEncoder encoder = new WireMetricEncoder(stats);
    Outcome wire = wireMetrics(encoder, stats, requests, cutoff);
    lastParsedRequests = encoder.parsedRequests();
    assertThat(wire).isEqualTo(objectMetrics(requests, cutoff));
    return wire;
  }

  static Outcome objectLogs(List<byte[]> requests, long cutoff) {
    EncodeStats stats = new EncodeStats();
    CollectingSink sink = new CollectingSink();
    List<ResourceLogs> all = new ArrayList<>();
    try {
      for (byte[] r : requests) {
        all.addAll(ExportLogsServiceRequest.parseFrom(r).getResourceLogsList());
      }
      new LogEncoder(stats).encode(all, sink);
    } catch (InvalidProtocolBufferException | StoreException e) {
      return REFUSED;
    }
    return outcome(sink, ExpiredOnArrival.logs(all, cutoff), stats);
  }

  static Outcome wireLogs(WireLogEncoder encoder, EncodeStats stats, List<byte[]> requests, long cutoff) {
    return wireOneTable(encoder::encode, stats, requests, cutoff);
  }

  /** Both paths on fresh encoders: equal outcomes. Returns the outcome. */
  static Outcome assertSameTraces(List<byte[]> requests, long cutoff) {
    EncodeStats stats = new EncodeStats();
    WireSpanEncoder encoder = new WireSpanEncoder(stats);
    Outcome wire = wireTraces(encoder, stats, requests, cutoff);
    lastParsedRequests = encoder.parsedRequests();
    Outcome object = objectTraces(requests, cutoff);
    assertThat(wire).isEqualTo(object);
    return wire;
  }

  static Outcome assertSameLogs(List<byte[]> requests, long cutoff) {
    EncodeStats stats = new EncodeStats();
    WireLogEncoder encoder = new WireLogEncoder(stats);
    Outcome wire = wireLogs(encoder, stats, requests, cutoff);
    lastParsedRequests = encoder.parsedRequests();
    Outcome object = objectLogs(requests, cutoff);
    assertThat(wire).isEqualTo(object);
    return wire;
  }
}
