package io.tskotel.exporter.internal.chdb;

import java.util.List;

/**
 * The embedded engine's allocator (chDB's own jemalloc) as it reports itself: what the engine has allocated,
 * what is resident, and what the engine freed but the allocator still holds (its dirty pages, kept for reuse
 * and returned to the system after 5 s or when purged). Only the first is counted by the engine's memory limit.
 */
public record AllocatorStats(long allocatedBytes, long residentBytes, long freedBytes) {
  /** The three figures as columns of one row, in this order; from {@code system.jemalloc_stats}. */
  public static final String COLUMNS = "toUInt64OrZero(extract(stats, 'Allocated: ([0-9]+)')),"
      // the first "resident:" follows the metadata's breakdown on the "Allocated:" line
      + " toUInt64OrZero(extract(stats, '[)], resident: ([0-9]+)')),"
      // the first "dirty:" row is the merged arenas' (npages after the decay time)
      + " toUInt64OrZero(extract(stats, 'dirty: +[^ ]+ +([0-9]+)'))"
      + " * toUInt64OrZero(extract(stats, 'Page size: ([0-9]+)'))";
  public static final String SQL = "SELECT " + COLUMNS + " FROM system.jemalloc_stats";

  /** The figures from the three columns of {@link #COLUMNS} starting at {@code from}. */
  public static AllocatorStats of(List<Object> row, int from) {
    return new AllocatorStats(number(row.get(from)), number(row.get(from + 1)), number(row.get(from + 2)));
  }

  private static long number(Object value) {
    return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
  }
}
