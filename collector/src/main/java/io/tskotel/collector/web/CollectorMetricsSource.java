package io.tskotel.collector.web;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.tskotel.collector.query.prometheus.SelfHistogram;
import io.tskotel.collector.query.prometheus.SelfMetric;
import io.tskotel.collector.query.prometheus.SelfMetricSource;
import io.tskotel.collector.query.prometheus.SelfSeries;
import io.tskotel.collector.telemetry.CollectorMetrics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The collector's own metrics ({@link CollectorMetrics}) for {@code /metrics}: {@code
 * PrometheusExporter.builder().addSelfMetrics(new CollectorMetricsSource(metrics))}. One {@link
 * CollectorMetrics#collect()} per scrape; monotonic sums become counters, gauges gauges, histograms
 * histograms with cumulative buckets.
 */
public final class CollectorMetricsSource implements SelfMetricSource {
  private final CollectorMetrics metrics;

  public CollectorMetricsSource(CollectorMetrics metrics) {
    this.metrics = requireNonNull(metrics, "metrics");
  }

  @Override
  public Collection<SelfSeries> collect() {
    List<SelfSeries> out = new ArrayList<>();
    for (MetricData m : metrics.collect()) {
      switch (m.getType()) {
        case DOUBLE_SUM -> scalars(m, m.getDoubleSumData(), out);
        case LONG_SUM -> scalars(m, m.getLongSumData(), out);
        case DOUBLE_GAUGE -> scalars(m, SelfMetric.Type.GAUGE, m.getDoubleGaugeData().getPoints(), out);
        case LONG_GAUGE -> scalars(m, SelfMetric.Type.GAUGE, m.getLongGaugeData().getPoints(), out);
        case HISTOGRAM -> m.getHistogramData().getPoints().forEach(p -> {
          List<Long> cumulative = new ArrayList<>(p.getBoundaries().size());
          long running = 0;
          for (int i = 0; i < p.getBoundaries().size(); i++) {
            running += p.getCounts().get(i);
            cumulative.add(running);
          }
          out.add(new SelfHistogram(m.getName(), m.getDescription(), CollectorMetrics.labels(p.getAttributes()),
              p.getBoundaries(), cumulative, p.getSum(), p.getCount()));
        });
        // The collector records no summaries or exponential histograms.
        case SUMMARY, EXPONENTIAL_HISTOGRAM -> {}
      }
    }
    return out;
  }

  private static void scalars(MetricData m, SumData<? extends PointData> sum, List<SelfSeries> out) {
    scalars(m, sum.isMonotonic() ? SelfMetric.Type.COUNTER : SelfMetric.Type.GAUGE, sum.getPoints(), out);
  }

  private static void scalars(
      MetricData m, SelfMetric.Type type, Collection<? extends PointData> points, List<SelfSeries> out) {
    for (PointData p : points) {
      double value = p instanceof LongPointData l
          ? l.getValue()
          : ((DoublePointData) p).getValue();
      out.add(new SelfMetric(m.getName(), m.getDescription(), type, CollectorMetrics.labels(p.getAttributes()),
          value));
    }
  }
}
