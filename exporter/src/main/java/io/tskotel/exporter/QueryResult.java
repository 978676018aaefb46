package io.tskotel.exporter;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Rows of a query, with the engine's column names and ClickHouse type names. Values are Java objects:
 *
 * <ul>
 *   <li>Int8..Int64, UInt8..UInt32, and UInt64 up to Long.MAX_VALUE: {@link Long}; UInt64 above it and
 *       (U)Int128/256: {@link java.math.BigInteger}
 *   <li>Float32, Float64: {@link Double}; Bool: {@link Boolean}; Decimal: {@link java.math.BigDecimal}
 *   <li>String, FixedString (all N bytes), Enum (the name): {@link String}, decoded as UTF-8
 *   <li>Date, Date32: {@link java.time.LocalDate}; DateTime, DateTime64 (any precision, to the ns):
 *       {@link java.time.Instant}; UUID: {@link java.util.UUID}
 *   <li>Array, Nested: {@link List}; Tuple: {@link List} of its elements; Map: an insertion-ordered
 *       {@link java.util.Map}; Nullable: the value or null; LowCardinality: its inner type
 * </ul>
 *
 * Row lists may hold nulls and are unmodifiable.
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
