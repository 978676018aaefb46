package io.tskotel.collector.receiver.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.tskotel.collector.pipeline.Signal;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Metrics: items are data points. A metric without a name or without data loses all its points; a
 * point whose histogram buckets contradict its count, or whose exemplar ids are malformed, is dropped
 * alone.
 */
public final class MetricsCodec
    extends OtlpCodec<ExportMetricsServiceRequest, ExportMetricsServiceResponse> {

  private static final int MIN_EXPONENTIAL_SCALE = -10;
  private static final int MAX_EXPONENTIAL_SCALE = 20;

  MetricsCodec() {}

  @Override
  public Signal signal() {
    return Signal.METRICS;
  }

  @Override
  public String httpPath() {
    return "/v1/metrics";
  }

  @Override
  public ExportMetricsServiceRequest parse(byte[] protobuf) throws InvalidProtocolBufferException {
    return ExportMetricsServiceRequest.parseFrom(protobuf);
  }

  @Override
  public long walkValid(byte[] protobuf) {
    return WireWalk.metrics(protobuf);
  }

  @Override
  Message.Builder newRequestBuilder() {
    return ExportMetricsServiceRequest.newBuilder();
  }

  @Override
  String itemNoun() {
    return "data points";
  }

  static int pointCount(Metric metric) {
    return switch (metric.getDataCase()) {
      case GAUGE -> metric.getGauge().getDataPointsCount();
      case SUM -> metric.getSum().getDataPointsCount();
      case HISTOGRAM -> metric.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> metric.getSummary().getDataPointsCount();
      case DATA_NOT_SET -> 0;
    };
  }

  static @Nullable String metricProblem(Metric metric) {
    if (metric.getName().isEmpty()) {
      return "metric with an empty name";
    }
    if (metric.getDataCase() == Metric.DataCase.DATA_NOT_SET) {
      return "metric '" + Text.clip(metric.getName()) + "' has no data";
    }
    return null;
  }

  private static @Nullable String exemplarsProblem(List<Exemplar> exemplars) {
    for (Exemplar exemplar : exemplars) {
      String problem =
          Ids.optionalProblem("exemplar trace_id", exemplar.getTraceId(), Ids.TRACE_ID_BYTES);
      if (problem == null) {
        problem = Ids.optionalProblem("exemplar span_id", exemplar.getSpanId(), Ids.SPAN_ID_BYTES);
      }
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private static boolean noRecordedValue(int flags) {
    return (flags & DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE) != 0;
  }

  static @Nullable String pointProblem(NumberDataPoint point) {
    return exemplarsProblem(point.getExemplarsList());
  }

  static @Nullable String pointProblem(HistogramDataPoint point) {
    if (!noRecordedValue(point.getFlags()) && point.getBucketCountsCount() > 0) {
      if (point.getBucketCountsCount() != point.getExplicitBoundsCount() + 1) {
        return point.getBucketCountsCount()
            + " bucket counts for "
            + point.getExplicitBoundsCount()
            + " bounds (expected: bounds + 1)";
      }
      long sum = 0;
      for (long c : point.getBucketCountsList()) {
        sum += c;
      }
      if (sum != point.getCount()) {
        return "bucket counts add up to " + sum + ", not count " + point.getCount();
      }
    }
    return exemplarsProblem(point.getExemplarsList());
  }

  static @Nullable String pointProblem(ExponentialHistogramDataPoint point) {
    if (point.getScale() < MIN_EXPONENTIAL_SCALE || point.getScale() > MAX_EXPONENTIAL_SCALE) {
      return "scale " + point.getScale() + " (expected: -10..20)";
    }
    if (!noRecordedValue(point.getFlags())) {
      long sum = point.getZeroCount();
      for (long c : point.getPositive().getBucketCountsList()) {
        sum += c;
      }
      for (long c : point.getNegative().getBucketCountsList()) {
        sum += c;
      }
      if (sum != point.getCount()) {
        return "zero and bucket counts add up to " + sum + ", not count " + point.getCount();
      }
    }
    return exemplarsProblem(point.getExemplarsList());
  }

  static @Nullable String pointProblem(SummaryDataPoint point) {
    for (SummaryDataPoint.ValueAtQuantile q : point.getQuantileValuesList()) {
      if (!(q.getQuantile() >= 0 && q.getQuantile() <= 1)) {
        return "quantile " + q.getQuantile() + " (expected: 0..1)";
      }
    }
    return null;
  }

  /** The first problem among the points of a well-formed metric, or null. */
  private static @Nullable String firstPointProblem(Metric metric) {
    return switch (metric.getDataCase()) {
      case GAUGE -> first(metric.getGauge().getDataPointsList(), MetricsCodec::pointProblem);
      case SUM -> first(metric.getSum().getDataPointsList(), MetricsCodec::pointProblem);
      case HISTOGRAM -> first(metric.getHistogram().getDataPointsList(), MetricsCodec::pointProblem);
      case EXPONENTIAL_HISTOGRAM ->
          first(metric.getExponentialHistogram().getDataPointsList(), MetricsCodec::pointProblem);
      case SUMMARY -> first(metric.getSummary().getDataPointsList(), MetricsCodec::pointProblem);
      case DATA_NOT_SET -> null;
    };
  }

  private static <P> @Nullable String first(List<P> points, Function<P, @Nullable String> check) {
    for (P point : points) {
      String problem = check.apply(point);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  @Override
  public Validated<ExportMetricsServiceRequest> validate(ExportMetricsServiceRequest request) {
    long total = 0;
    boolean anyInvalid = false;
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric metric : sm.getMetricsList()) {
          total += pointCount(metric);
          anyInvalid |= metricProblem(metric) != null || firstPointProblem(metric) != null;
        }
      }
    }
    if (!anyInvalid) {
      return new Validated<>(request, false, total, 0, "");
    }
    Rejections rejections = new Rejections(itemNoun());
    ExportMetricsServiceRequest.Builder kept = ExportMetricsServiceRequest.newBuilder();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      ResourceMetrics.Builder rmb = rm.toBuilder().clearScopeMetrics();
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        ScopeMetrics.Builder smb = sm.toBuilder().clearMetrics();
        for (Metric metric : sm.getMetricsList()) {
          String problem = metricProblem(metric);
          if (problem != null) {
            rejections.add(pointCount(metric), problem);
            continue;
          }
          Metric filtered = keepValidPoints(metric, rejections);
          if (pointCount(filtered) > 0 || pointCount(metric) == 0) {
            smb.addMetrics(filtered);
          }
        }
        if (smb.getMetricsCount() > 0) {
          rmb.addScopeMetrics(smb);
        }
      }
      if (rmb.getScopeMetricsCount() > 0) {
        kept.addResourceMetrics(rmb);
      }
    }
    return new Validated<>(
        kept.build(), true, total - rejections.items(), rejections.items(), rejections.message(total));
  }

  private static Metric keepValidPoints(Metric metric, Rejections rejections) {
    if (firstPointProblem(metric) == null) {
      return metric;
    }
    String prefix = "metric '" + Text.clip(metric.getName()) + "': ";
    Metric.Builder mb = metric.toBuilder();
    switch (metric.getDataCase()) {
      case GAUGE -> {
        var b = metric.getGauge().toBuilder().clearDataPoints();
        for (NumberDataPoint p : metric.getGauge().getDataPointsList()) {
          if (keep(pointProblem(p), prefix, rejections)) {
            b.addDataPoints(p);
          }
        }
        mb.setGauge(b);
      }
      case SUM -> {
        var b = metric.getSum().toBuilder().clearDataPoints();
        for (NumberDataPoint p : metric.getSum().getDataPointsList()) {
          if (keep(pointProblem(p), prefix, rejections)) {
            b.addDataPoints(p);
          }
        }
        mb.setSum(b);
      }
      case HISTOGRAM -> {
        var b = metric.getHistogram().toBuilder().clearDataPoints();
        for (HistogramDataPoint p : metric.getHistogram().getDataPointsList()) {
          if (keep(pointProblem(p), prefix, rejections)) {
            b.addDataPoints(p);
          }
        }
        mb.setHistogram(b);
      }
      case EXPONENTIAL_HISTOGRAM -> {
        var b = metric.getExponentialHistogram().toBuilder().clearDataPoints();
        for (ExponentialHistogramDataPoint p :
            metric.getExponentialHistogram().getDataPointsList()) {
          if (keep(pointProblem(p), prefix, rejections)) {
            b.addDataPoints(p);
          }
        }
        mb.setExponentialHistogram(b);
      }
      case SUMMARY -> {
        var b = metric.getSummary().toBuilder().clearDataPoints();
        for (SummaryDataPoint p : metric.getSummary().getDataPointsList()) {
          if (keep(pointProblem(p), prefix, rejections)) {
            b.addDataPoints(p);
          }
        }
        mb.setSummary(b);
      }
      case DATA_NOT_SET -> {}
    }
    return mb.build();
  }

  private static boolean keep(@Nullable String problem, String prefix, Rejections rejections) {
    if (problem == null) {
      return true;
    }
    rejections.add(1, prefix + problem);
    return false;
  }

  @Override
  public ExportMetricsServiceResponse response(long rejectedItems, String errorMessage) {
    if (rejectedItems == 0 && errorMessage.isEmpty()) {
      return defaultResponse();
    }
    return ExportMetricsServiceResponse.newBuilder()
        .setPartialSuccess(
            ExportMetricsPartialSuccess.newBuilder()
                .setRejectedDataPoints(rejectedItems)
                .setErrorMessage(errorMessage))
        .build();
  }

  @Override
  public ExportMetricsServiceResponse defaultResponse() {
    return ExportMetricsServiceResponse.getDefaultInstance();
  }
}
