package io.tskotel.collector.telemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SumData;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SDK's {@link MetricData} as the OTLP the store path takes, for {@link SelfTelemetryReporter}. Covers
 * the kinds the collector records (sums, gauges, explicit-bucket histograms); the exporter-otlp marshalers
 * would do it too, but only through their {@code internal} packages.
 */
final class OtlpMetrics {
  private OtlpMetrics() {}

  /**
   * One {@code ResourceMetrics}: the provider's resource ({@code service.name}) plus {@code
   * resourceAttributes}, a scope per instrumentation scope.
   */
  static ResourceMetrics toResourceMetrics(Collection<MetricData> metrics, Map<String, String> resourceAttributes) {
    Resource.Builder resource = Resource.newBuilder();
    Map<String, ScopeMetrics.Builder> scopes = new LinkedHashMap<>();
    for (MetricData metric : metrics) {
      if (resource.getAttributesCount() == 0) {
        addAttributes(metric.getResource().getAttributes(), resource::addAttributes);
      }
      scopes.computeIfAbsent(metric.getInstrumentationScopeInfo().getName(),
              name -> ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName(name)))
          .addMetrics(metric(metric));
    }
    if (resource.getAttributesCount() == 0) {
      resource.addAttributes(attribute("service.name", CollectorMetrics.SERVICE_NAME));
    }
    resourceAttributes.forEach((k, v) -> resource.addAttributes(attribute(k, v)));
    ResourceMetrics.Builder out = ResourceMetrics.newBuilder().setResource(resource);
    scopes.values().forEach(out::addScopeMetrics);
    return out.build();
  }

  private static Metric metric(MetricData metric) {
    Metric.Builder out = Metric.newBuilder().setName(metric.getName()).setDescription(metric.getDescription())
        .setUnit(metric.getUnit());
    switch (metric.getType()) {
      case DOUBLE_SUM -> out.setSum(sum(metric.getDoubleSumData()));
      case LONG_SUM -> out.setSum(sum(metric.getLongSumData()));
      case DOUBLE_GAUGE -> out.setGauge(gauge(metric.getDoubleGaugeData().getPoints()));
      case LONG_GAUGE -> out.setGauge(gauge(metric.getLongGaugeData().getPoints()));
      case HISTOGRAM -> {
        Histogram.Builder histogram = Histogram.newBuilder()
            .setAggregationTemporality(temporality(metric.getHistogramData().getAggregationTemporality()));
        metric.getHistogramData().getPoints().forEach(p -> histogram.addDataPoints(histogramPoint(p)));
        out.setHistogram(histogram);
      }
      // The collector records no summaries or exponential histograms.
      case SUMMARY, EXPONENTIAL_HISTOGRAM -> {}
    }
    return out.build();
  }

  private static Sum sum(SumData<? extends PointData> data) {
    Sum.Builder sum = Sum.newBuilder().setIsMonotonic(data.isMonotonic())
        .setAggregationTemporality(temporality(data.getAggregationTemporality()));
    data.getPoints().forEach(p -> sum.addDataPoints(numberPoint(p, true)));
    return sum.build();
  }

  private static Gauge gauge(Collection<? extends PointData> points) {
    Gauge.Builder gauge = Gauge.newBuilder();
    points.forEach(p -> gauge.addDataPoints(numberPoint(p, false)));
    return gauge.build();
  }

  /** A gauge's point has no start: it is a value at one moment, not an accumulation since then. */
  private static NumberDataPoint numberPoint(PointData point, boolean withStart) {
    NumberDataPoint.Builder out = NumberDataPoint.newBuilder().setTimeUnixNano(point.getEpochNanos());
    if (withStart) {
      out.setStartTimeUnixNano(point.getStartEpochNanos());
    }
    switch (point) {
      case DoublePointData d -> out.setAsDouble(d.getValue());
      case LongPointData l -> out.setAsInt(l.getValue());
      default -> throw new IllegalArgumentException("not a number point: " + point);
    }
    addAttributes(point.getAttributes(), out::addAttributes);
    return out.build();
  }

  private static HistogramDataPoint histogramPoint(HistogramPointData point) {
    HistogramDataPoint.Builder out = HistogramDataPoint.newBuilder()
        .setStartTimeUnixNano(point.getStartEpochNanos()).setTimeUnixNano(point.getEpochNanos())
        .setCount(point.getCount()).setSum(point.getSum())
        .addAllExplicitBounds(point.getBoundaries()).addAllBucketCounts(point.getCounts());
    if (point.hasMin()) {
      out.setMin(point.getMin());
    }
    if (point.hasMax()) {
      out.setMax(point.getMax());
    }
    addAttributes(point.getAttributes(), out::addAttributes);
    return out.build();
  }

  private static AggregationTemporality temporality(
      io.opentelemetry.sdk.metrics.data.AggregationTemporality temporality) {
    return switch (temporality) {
      case CUMULATIVE -> AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
      case DELTA -> AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
    };
  }

  private static void addAttributes(Attributes attributes, java.util.function.Consumer<KeyValue> sink) {
    CollectorMetrics.labels(attributes).forEach((k, v) -> sink.accept(attribute(k, v)));
  }

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
