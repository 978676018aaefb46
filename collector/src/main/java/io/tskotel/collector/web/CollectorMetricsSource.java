package io.tskotel.collector.web;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.telemetry.CollectorMetrics;
import io.tskotel.collector.telemetry.MetricSample;
import io.tskotel.collector.query.prometheus.SelfHistogram;
import io.tskotel.collector.query.prometheus.SelfMetric;
import io.tskotel.collector.query.prometheus.SelfMetricSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The collector's own metrics ({@link CollectorMetrics}) for {@code /metrics}: {@code
 * PrometheusExporter.builder().addSelfMetrics(new CollectorMetricsSource(metrics))}. Counters and gauges
 * pass through; a histogram's {@code _bucket}/{@code _sum}/{@code _count} samples are put back together.
 */
public final class CollectorMetricsSource implements SelfMetricSource {
  private final CollectorMetrics metrics;

  public CollectorMetricsSource(CollectorMetrics metrics) {
    this.metrics = requireNonNull(metrics, "metrics");
  }

  @Override
  public Collection<SelfMetric> collect() {
    List<SelfMetric> out = new ArrayList<>();
    for (MetricSample s : metrics.samples()) {
      switch (s.type()) {
        case COUNTER ->
            out.add(new SelfMetric(s.name(), s.help(), SelfMetric.Type.COUNTER, s.labels(), s.value()));
        case GAUGE ->
            out.add(new SelfMetric(s.name(), s.help(), SelfMetric.Type.GAUGE, s.labels(), s.value()));
        case HISTOGRAM -> {}
      }
    }
    return out;
  }

  @Override
  public Collection<SelfHistogram> collectHistograms() {
    Map<List<Object>, Parts> histograms = new LinkedHashMap<>();
    for (MetricSample s : metrics.samples()) {
      if (s.type() != MetricSample.Type.HISTOGRAM) {
        continue;
      }
      Map<String, String> labels = new HashMap<>(s.labels());
      String le = labels.remove("le");
      Parts p =
          histograms.computeIfAbsent(List.of(s.family(), labels), k -> new Parts(s.family(), s.help(), labels));
      if (s.name().equals(s.family() + "_bucket") && le != null) {
        if (!le.equals("+Inf")) {
          p.bounds.add(Double.parseDouble(le));
          p.counts.add((long) s.value());
        }
      } else if (s.name().equals(s.family() + "_sum")) {
        p.sum = s.value();
      } else if (s.name().equals(s.family() + "_count")) {
        p.count = (long) s.value();
      }
    }
    List<SelfHistogram> out = new ArrayList<>(histograms.size());
    for (Parts p : histograms.values()) {
      out.add(new SelfHistogram(p.family, p.help, p.labels, p.bounds, p.counts, p.sum, p.count));
    }
    return out;
  }

  private static final class Parts {
    final String family;
    final String help;
    final Map<String, String> labels;
    final List<Double> bounds = new ArrayList<>();
    final List<Long> counts = new ArrayList<>();
    double sum;
    long count;

    Parts(String family, String help, Map<String, String> labels) {
      this.family = family;
      this.help = help;
      this.labels = labels;
    }
  }
}
