package io.tskotel.collector.query;

import java.util.List;

/** A page of logs, newest first; {@code hasMore} when older records match (page on with the last's time). */
public record LogPage(List<LogEntry> items, int limit, boolean hasMore) {
  public LogPage {
    items = List.copyOf(items);
  }
}
