package io.tskotel.collector.query.prometheus;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A metric family: one {@code # HELP}/{@code # TYPE} header and its series. */
record Family(String name, PromType type, String help, List<Series> series) {
  Family {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    requireNonNull(help, "help");
    series = List.copyOf(series);
  }

  /** The sample names this family writes: a second family must not claim any of them. */
  List<String> sampleNames() {
    return switch (type) {
      case COUNTER, GAUGE -> List.of(name);
      case HISTOGRAM -> List.of(name + "_bucket", name + "_sum", name + "_count");
      case SUMMARY -> List.of(name, name + "_sum", name + "_count");
    };
  }
}
