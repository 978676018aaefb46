package io.tskotel.exporter.internal.encode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts odd input the encoders repaired instead of rejecting (hot paths never throw): each counter is a
 * row or value written with a default. Shared by all encoders of one store; thread-safe.
 */
public final class EncodeStats {
  final LongAdder missingServiceName = new LongAdder();
  final LongAdder badTraceId = new LongAdder();
  final LongAdder badSpanId = new LongAdder();
  final LongAdder negativeDuration = new LongAdder();
  final LongAdder timestampOutOfRange = new LongAdder();
  final LongAdder duplicateAttributeKeys = new LongAdder();
  final LongAdder unknownEnumValue = new LongAdder();
  final LongAdder metricWithoutData = new LongAdder();
  final LongAdder pointWithoutValue = new LongAdder();

  /** Adds every counter of {@code other} (one request's repairs, once it is written) to this one. */
  void add(EncodeStats other) {
    missingServiceName.add(other.missingServiceName.sum());
    badTraceId.add(other.badTraceId.sum());
    badSpanId.add(other.badSpanId.sum());
    negativeDuration.add(other.negativeDuration.sum());
    timestampOutOfRange.add(other.timestampOutOfRange.sum());
    duplicateAttributeKeys.add(other.duplicateAttributeKeys.sum());
    unknownEnumValue.add(other.unknownEnumValue.sum());
    metricWithoutData.add(other.metricWithoutData.sum());
    pointWithoutValue.add(other.pointWithoutValue.sum());
  }

  /** A snapshot, by counter name. */
  public Map<String, Long> snapshot() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("missing_service_name", missingServiceName.sum());
    m.put("bad_trace_id", badTraceId.sum());
    m.put("bad_span_id", badSpanId.sum());
    m.put("negative_duration", negativeDuration.sum());
    m.put("timestamp_out_of_range", timestampOutOfRange.sum());
    m.put("duplicate_attribute_keys", duplicateAttributeKeys.sum());
    m.put("unknown_enum_value", unknownEnumValue.sum());
    m.put("metric_without_data", metricWithoutData.sum());
    m.put("point_without_value", pointWithoutValue.sum());
    return m;
  }

  /** The sum of all counters. */
  public long total() {
    long t = 0;
    for (long v : snapshot().values()) {
      t += v;
    }
    return t;
  }
}
