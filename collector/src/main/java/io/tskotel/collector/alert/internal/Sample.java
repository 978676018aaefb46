package io.tskotel.collector.alert.internal;

import java.util.Map;

/** One measured value of a rule: for a rule with {@code group_by}, one per group, named by its labels. */
public record Sample(Map<String, String> groupLabels, double value) {
  public Sample {
    groupLabels = Map.copyOf(groupLabels);
  }
}
