package io.tskotel.exporter.internal.encode;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.internal.rowbinary.RowBinaryWriter;
import java.util.List;
import java.util.function.Function;

/** OTLP metric points as rows of the {@code otel_metrics_*} table of their type, one row per point. */
public final class MetricEncoder {
  private final EncodeStats stats;

  public MetricEncoder(EncodeStats stats) {
    this.stats = stats;
  }

  /** Writes every point into the sink of its table; returns the number of rows. */
  public int encode(List<ResourceMetrics> batch, Function<MetricTable, RowSink> sinks) throws StoreException {
    int rows = 0;
    for (ResourceMetrics rm : batch) {
      List<KeyValue> resourceAttributes = rm.getResource().getAttributesList();
      String serviceName = null;
      byte[] resourceMap = null;
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        byte[] scopeMap = null;
        for (Metric m : sm.getMetricsList()) {
          if (serviceName == null) {
            serviceName = Otlp.serviceName(resourceAttributes, stats);
            resourceMap = Attributes.mapBytes(resourceAttributes, stats);
          }
          if (scopeMap == null) {
            scopeMap = Attributes.mapBytes(sm.getScope().getAttributesList(), stats);
          }
          Context c = new Context(rm, sm, m, serviceName, resourceMap, scopeMap);
          rows += switch (m.getDataCase()) {
            case GAUGE -> numbers(c, m.getGauge().getDataPointsList(), sinks.apply(MetricTable.GAUGE), false, 0, false);
            case SUM -> numbers(c, m.getSum().getDataPointsList(), sinks.apply(MetricTable.SUM), true,
                m.getSum().getAggregationTemporalityValue(), m.getSum().getIsMonotonic());
            case HISTOGRAM -> histograms(c, m.getHistogram().getDataPointsList(),
                sinks.apply(MetricTable.HISTOGRAM), m.getHistogram().getAggregationTemporalityValue());
            case EXPONENTIAL_HISTOGRAM -> exponential(c, m.getExponentialHistogram().getDataPointsList(),
                sinks.apply(MetricTable.EXPONENTIAL_HISTOGRAM),
                m.getExponentialHistogram().getAggregationTemporalityValue());
            case SUMMARY -> summaries(c, m.getSummary().getDataPointsList(), sinks.apply(MetricTable.SUMMARY));
            case DATA_NOT_SET -> {
              stats.metricWithoutData.increment();
              yield 0;
            }
          };
        }
      }
    }
    return rows;
  }

  /** One metric's rows' shared values; the resource and scope maps encoded once (see Attributes#mapBytes). */
  private record Context(
      ResourceMetrics rm, ScopeMetrics sm, Metric metric, String serviceName, byte[] resourceMap,
      byte[] scopeMap) {}

  private void common(RowBinaryWriter w, Context c, List<KeyValue> attributes, long start, long time) {
    w.writeRaw(c.resourceMap, 0, c.resourceMap.length);
    w.writeString(c.rm.getSchemaUrl());
    InstrumentationScope scope = c.sm.getScope();
    w.writeString(scope.getName());
    w.writeString(scope.getVersion());
    w.writeRaw(c.scopeMap, 0, c.scopeMap.length);
    w.writeUInt32(scope.getDroppedAttributesCount() & 0xFFFFFFFFL);
    w.writeString(c.sm.getSchemaUrl());
    w.writeString(c.serviceName);
    w.writeString(c.metric.getName());
    w.writeString(c.metric.getDescription());
    w.writeString(c.metric.getUnit());
    Attributes.writeMap(w, attributes, stats);
    Otlp.writeNanos(w, start, stats);
    Otlp.writeNanos(w, time, stats);
  }

  private int numbers(Context c, List<NumberDataPoint> points, RowSink sink, boolean isSum, int temporality,
      boolean monotonic) throws StoreException {
    for (NumberDataPoint p : points) {
      RowBinaryWriter w = sink.writer();
      common(w, c, p.getAttributesList(), p.getStartTimeUnixNano(), p.getTimeUnixNano());
      double value = switch (p.getValueCase()) {
        case AS_DOUBLE -> p.getAsDouble();
        case AS_INT -> (double) p.getAsInt();
        case VALUE_NOT_SET -> {
          stats.pointWithoutValue.increment();
          yield 0.0;
        }
      };
      w.writeFloat64(value);
      w.writeUInt32(p.getFlags() & 0xFFFFFFFFL);
      exemplars(w, p.getExemplarsList());
      if (isSum) {
        w.writeInt32(temporality);
        w.writeBool(monotonic);
      }
      sink.endRow();
    }
    return points.size();
  }

  private int histograms(Context c, List<HistogramDataPoint> points, RowSink sink, int temporality)
      throws StoreException {
    for (HistogramDataPoint p : points) {
      RowBinaryWriter w = sink.writer();
      common(w, c, p.getAttributesList(), p.getStartTimeUnixNano(), p.getTimeUnixNano());
      w.writeUInt64(p.getCount());
      w.writeFloat64(p.getSum());
      w.writeSize(p.getBucketCountsCount());
      for (int i = 0; i < p.getBucketCountsCount(); i++) {
        w.writeUInt64(p.getBucketCounts(i));
      }
      w.writeSize(p.getExplicitBoundsCount());
      for (int i = 0; i < p.getExplicitBoundsCount(); i++) {
        w.writeFloat64(p.getExplicitBounds(i));
      }
      histogramTail(w, p.getExemplarsList(), p.getFlags(), p.getMin(), p.getMax(), temporality);
      sink.endRow();
    }
    return points.size();
  }

  private int exponential(Context c, List<ExponentialHistogramDataPoint> points, RowSink sink, int temporality)
      throws StoreException {
    for (ExponentialHistogramDataPoint p : points) {
      RowBinaryWriter w = sink.writer();
      common(w, c, p.getAttributesList(), p.getStartTimeUnixNano(), p.getTimeUnixNano());
      w.writeUInt64(p.getCount());
      w.writeFloat64(p.getSum());
      w.writeInt32(p.getScale());
      w.writeUInt64(p.getZeroCount());
      buckets(w, p.getPositive());
      buckets(w, p.getNegative());
      histogramTail(w, p.getExemplarsList(), p.getFlags(), p.getMin(), p.getMax(), temporality);
      sink.endRow();
    }
    return points.size();
  }

  /** The columns both histogram tables end with, in their order. */
  private void histogramTail(RowBinaryWriter w, List<Exemplar> exemplars, int flags, double min, double max,
      int temporality) {
    exemplars(w, exemplars);
    w.writeUInt32(flags & 0xFFFFFFFFL);
    w.writeFloat64(min);
    w.writeFloat64(max);
    w.writeInt32(temporality);
  }

  private static void buckets(RowBinaryWriter w, ExponentialHistogramDataPoint.Buckets b) {
    w.writeInt32(b.getOffset());
    w.writeSize(b.getBucketCountsCount());
    for (int i = 0; i < b.getBucketCountsCount(); i++) {
      w.writeUInt64(b.getBucketCounts(i));
    }
  }

  private int summaries(Context c, List<SummaryDataPoint> points, RowSink sink) throws StoreException {
    for (SummaryDataPoint p : points) {
      RowBinaryWriter w = sink.writer();
      common(w, c, p.getAttributesList(), p.getStartTimeUnixNano(), p.getTimeUnixNano());
      w.writeUInt64(p.getCount());
      w.writeFloat64(p.getSum());
      int n = p.getQuantileValuesCount();
      w.writeSize(n);
      for (int i = 0; i < n; i++) {
        w.writeFloat64(p.getQuantileValues(i).getQuantile());
      }
      w.writeSize(n);
      for (int i = 0; i < n; i++) {
        w.writeFloat64(p.getQuantileValues(i).getValue());
      }
      w.writeUInt32(p.getFlags() & 0xFFFFFFFFL);
      sink.endRow();
    }
    return points.size();
  }

  /** The Exemplars Nested column: five arrays of equal length. */
  private void exemplars(RowBinaryWriter w, List<Exemplar> exemplars) {
    int n = exemplars.size();
    w.writeSize(n);
    for (Exemplar e : exemplars) {
      Attributes.writeMap(w, e.getFilteredAttributesList(), stats);
    }
    w.writeSize(n);
    for (Exemplar e : exemplars) {
      Otlp.writeNanos(w, e.getTimeUnixNano(), stats);
    }
    w.writeSize(n);
    for (Exemplar e : exemplars) {
      w.writeFloat64(switch (e.getValueCase()) {
        case AS_DOUBLE -> e.getAsDouble();
        case AS_INT -> (double) e.getAsInt();
        case VALUE_NOT_SET -> {
          stats.pointWithoutValue.increment();
          yield 0.0;
        }
      });
    }
    w.writeSize(n);
    for (Exemplar e : exemplars) {
      Otlp.writeId(w, e.getSpanId(), 8, stats);
    }
    w.writeSize(n);
    for (Exemplar e : exemplars) {
      Otlp.writeId(w, e.getTraceId(), 16, stats);
    }
  }
}
