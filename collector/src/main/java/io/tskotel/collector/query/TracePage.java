package io.tskotel.collector.query;

import java.util.List;

/** A page of trace search results; {@code hasMore} when a next page (offset + limit) has traces. */
public record TracePage(List<TraceSummary> items, int limit, int offset, boolean hasMore) {
  public TracePage {
    items = List.copyOf(items);
  }
}
