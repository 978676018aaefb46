package io.tskotel.collector.receiver.internal;

import java.util.ArrayList;
import java.util.List;

/** Invalid items dropped from one request and the first few reasons, for {@code partial_success}. */
final class Rejections {
  private static final int MAX_REASONS = 3;

  private final String itemNoun;
  private final List<String> reasons = new ArrayList<>(MAX_REASONS);
  private int reasonCount;
  private long items;

  Rejections(String itemNoun) {
    this.itemNoun = itemNoun;
  }

  /** Records {@code count} rejected items for {@code reason}; a reason may cover zero items. */
  void add(long count, String reason) {
    items += count;
    reasonCount++;
    if (reasons.size() < MAX_REASONS) {
      reasons.add(reason);
    }
  }

  boolean any() {
    return reasonCount > 0;
  }

  long items() {
    return items;
  }

  /** {@code "rejected 2 of 5 spans: …; …"}; empty when nothing was rejected. */
  String message(long total) {
    if (!any()) {
      return "";
    }
    StringBuilder sb =
        new StringBuilder("rejected ")
            .append(items)
            .append(" of ")
            .append(total)
            .append(' ')
            .append(itemNoun)
            .append(": ")
            .append(String.join("; ", reasons));
    if (reasonCount > reasons.size()) {
      sb.append("; and ").append(reasonCount - reasons.size()).append(" more");
    }
    return sb.toString();
  }
}
