package io.tskotel.exporter;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Rows of a query, with the engine's column names and ClickHouse type names. Values are Java objects:
 * String, Long, Double, Boolean, BigInteger (UInt64 above Long.MAX_VALUE), java.time.Instant (DateTime64),
 * List (Array) and Map (Map).
 */
public record QueryResult(List<String> columnNames, List<String> columnTypes, List<List<Object>> rows) {
  public QueryResult {
    requireNonNull(columnNames, "columnNames");
    requireNonNull(columnTypes, "columnTypes");
    requireNonNull(rows, "rows");
    columnNames = List.copyOf(columnNames);
    columnTypes = List.copyOf(columnTypes);
    rows = List.copyOf(rows);
  }
}
