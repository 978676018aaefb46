package io.tskotel.collector.query.prometheus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Groups series into families by their Prometheus name, and keeps the exposition valid when OpenTelemetry
 * names collide after sanitizing: the first type seen for a name wins, the collector's own metrics come
 * first and keep their names to themselves, a second family whose sample names ({@code x_count}, {@code x_bucket}, …) another already writes
 * is left out, and of two series with the same labels only the first is kept. What is left out is counted in
 * {@link #dropped()}.
 */
final class FamilyAssembler {
  /** Labels the exposition sets itself; an attribute with the same name is renamed {@code exported_*}. */
  static final String JOB = "job";

  static final String INSTANCE = "instance";
  static final String SCOPE = "otel_scope_name";

  private final Map<String, Builder> families = new LinkedHashMap<>();
  private int dropped;
  private int shadowed;

  private static final class Builder {
    final String name;
    final PromType type;
    final boolean self;
    final String help;
    final Map<SortedMap<String, String>, Series> series = new LinkedHashMap<>();

    Builder(String name, PromType type, boolean self, String help) {
      this.name = name;
      this.type = type;
      this.self = self;
      this.help = help;
    }
  }

  void addSelf(Collection<? extends SelfSeries> self) {
    for (SelfSeries s : self) {
      switch (s) {
        case SelfMetric m -> addSelf(m);
        case SelfHistogram h -> addSelf(h);
      }
    }
  }

  private void addSelf(SelfMetric m) {
    PromType type = m.type() == SelfMetric.Type.COUNTER ? PromType.COUNTER : PromType.GAUGE;
    String name = PrometheusNames.metricName(m.name(), "", type);
    SortedMap<String, String> labels = new TreeMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(m.labels()).entrySet()) {
      putJoined(labels, PrometheusNames.sanitizeLabelName(e.getKey()), e.getValue());
    }
    add(name, type, true, m.help(), new Series.Scalar(labels, m.value()));
  }

  private void addSelf(SelfHistogram h) {
    String name = PrometheusNames.metricName(h.name(), "", PromType.HISTOGRAM);
    SortedMap<String, String> labels = new TreeMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(h.labels()).entrySet()) {
      String label = PrometheusNames.sanitizeLabelName(e.getKey());
      putJoined(labels, label.equals("le") ? "exported_le" : label, e.getValue());
    }
    add(
        name,
        PromType.HISTOGRAM,
        true,
        h.help(),
        new Series.Histogram(labels, h.upperBounds(), h.cumulativeCounts(), h.sum(), h.count()));
  }

  void addStored(Collection<StoredSeries> stored) {
    for (StoredSeries s : stored) {
      PrometheusNames.Scale scale = PrometheusNames.toBaseUnit(s.unit());
      String name = PrometheusNames.metricName(s.metricName(), scale.unit(), s.type());
      SortedMap<String, String> labels = labels(s);
      String help =
          s.description().isBlank()
              ? "OpenTelemetry metric " + s.metricName()
              : s.description().strip();
      Series series =
          switch (s.point()) {
            case StoredSeries.Value v -> new Series.Scalar(labels, scale.apply(v.value()));
            case StoredSeries.Histogram h -> histogram(labels, h, scale);
            case StoredSeries.Exponential e -> exponential(labels, e, scale);
            case StoredSeries.Summary sm ->
                new Series.Summary(
                    labels,
                    sm.quantiles(),
                    sm.values().stream().map(scale::apply).toList(),
                    scale.apply(sm.sum()),
                    sm.count());
          };
      add(name, s.type(), false, help, series);
    }
  }

  /** The families in name order, each one's series in label order. */
  List<Family> families() {
    List<Builder> sorted = new ArrayList<>(families.values());
    sorted.sort(Comparator.comparing(b -> b.name));
    Set<String> claimed = new HashSet<>();
    List<Family> out = new ArrayList<>(sorted.size());
    // Claims are checked in insertion order so that the collector's own families keep their names.
    Set<String> rejected = new HashSet<>();
    for (Builder b : families.values()) {
      List<String> names = sampleNames(b);
      if (names.stream().anyMatch(claimed::contains)) {
        rejected.add(b.name);
        dropped += b.series.size();
      } else {
        claimed.addAll(names);
      }
    }
    for (Builder b : sorted) {
      if (rejected.contains(b.name)) {
        continue;
      }
      List<Series> series = new ArrayList<>(b.series.values());
      series.sort(Comparator.comparing(s -> s.labels().toString()));
      out.add(new Family(b.name, b.type, b.help, series));
    }
    return out;
  }

  int dropped() {
    return dropped;
  }

  /** Stored series left out because the collector's own family of that name is exposed live. */
  int shadowed() {
    return shadowed;
  }

  private static List<String> sampleNames(Builder b) {
    return new Family(b.name, b.type, b.help, List.of()).sampleNames();
  }

  private void add(String name, PromType type, boolean self, String help, Series series) {
    Builder b = families.computeIfAbsent(name, n -> new Builder(n, type, self, help));
    // The collector's own families are its alone: a stored metric of the same name does not join them.
    // That is expected, not a conflict: the collector also stores its own metrics.
    if (b.self && !self) {
      shadowed++;
      return;
    }
    if (b.type != type || b.series.containsKey(series.labels())) {
      dropped++;
      return;
    }
    b.series.put(series.labels(), series);
  }

  private static SortedMap<String, String> labels(StoredSeries s) {
    SortedMap<String, String> labels = new TreeMap<>();
    // Sorted by the original key, so that keys equal after sanitizing join their values in a stable order.
    for (Map.Entry<String, String> e : new TreeMap<>(s.attributes()).entrySet()) {
      String name = PrometheusNames.sanitizeLabelName(e.getKey());
      if (name.isEmpty()) {
        continue;
      }
      if (isReserved(name, s.type())) {
        name = "exported_" + name;
      }
      putJoined(labels, name, e.getValue());
    }
    if (!s.job().isEmpty()) {
      labels.put(JOB, s.job());
    }
    if (!s.instance().isEmpty()) {
      labels.put(INSTANCE, s.instance());
    }
    if (!s.scopeName().isEmpty()) {
      labels.put(SCOPE, s.scopeName());
    }
    return labels;
  }

  private static boolean isReserved(String label, PromType type) {
    return label.equals(JOB)
        || label.equals(INSTANCE)
        || label.equals(SCOPE)
        || (type == PromType.HISTOGRAM && label.equals("le"))
        || (type == PromType.SUMMARY && label.equals("quantile"));
  }

  private static void putJoined(Map<String, String> labels, String name, String value) {
    if (name.isEmpty()) {
      return;
    }
    labels.merge(name, value, (a, b) -> a + ";" + b);
  }

  /**
   * An exponential histogram as classic cumulative buckets: each negative bucket's upper bound (most
   * negative first), then {@code le="0"} for the zero bucket, then each positive bucket's upper bound.
   */
  static Series.Histogram exponential(
      SortedMap<String, String> labels, StoredSeries.Exponential e, PrometheusNames.Scale scale) {
    // base^i as 2^(i * 2^-scale): exact for every bound that is a power of two.
    double step = Math.scalb(1.0, -e.scale());
    List<Double> bounds = new ArrayList<>();
    List<Long> cumulative = new ArrayList<>();
    long running = 0;
    for (int i = e.negative().size() - 1; i >= 0; i--) {
      running += e.negative().get(i);
      bounds.add(scale.apply(-Math.pow(2, (e.negativeOffset() + i) * step)));
      cumulative.add(running);
    }
    if (e.zeroCount() > 0 || !e.negative().isEmpty()) {
      running += e.zeroCount();
      bounds.add(0.0);
      cumulative.add(running);
    }
    for (int i = 0; i < e.positive().size(); i++) {
      running += e.positive().get(i);
      bounds.add(scale.apply(Math.pow(2, (e.positiveOffset() + i + 1) * step)));
      cumulative.add(running);
    }
    return new Series.Histogram(labels, bounds, cumulative, scale.apply(e.sum()), e.count());
  }

  /** OTLP per-bucket counts to Prometheus cumulative {@code le} buckets. */
  private static Series.Histogram histogram(
      SortedMap<String, String> labels, StoredSeries.Histogram h, PrometheusNames.Scale scale) {
    List<Double> bounds = new ArrayList<>();
    List<Long> cumulative = new ArrayList<>();
    // Without bucket counts (or with a layout that does not match the bounds) only +Inf is known.
    if (h.bucketCounts().size() == h.explicitBounds().size() + 1) {
      long running = 0;
      for (int i = 0; i < h.explicitBounds().size(); i++) {
        running += h.bucketCounts().get(i);
        bounds.add(scale.apply(h.explicitBounds().get(i)));
        cumulative.add(running);
      }
    }
    return new Series.Histogram(labels, bounds, cumulative, scale.apply(h.sum()), h.count());
  }
}
