package io.tskotel.exporter.internal.chdb;

import java.util.List;

/**
 * The embedded engine's allocator (chDB's own jemalloc) as it reports itself: what the engine has allocated,
 * what is resident, and what the engine freed but the allocator still holds (its dirty pages, kept for reuse
 * and returned to the system after 5 s or when purged). Only the first is counted by the engine's memory limit.
 */
public record AllocatorStats(long allocatedBytes, long residentBytes, long freedBytes) {
  /** One row: the three figures, in this order, from jemalloc's own report ({@code system.jemalloc_stats}). */
  public static final String SQL = "SELECT toUInt64OrZero(extract(stats, 'Allocated: ([0-9]+)')),"
      // the first "resident:" follows the metadata's breakdown on the "Allocated:" line
      + " toUInt64OrZero(extract(stats, '[)], resident: ([0-9]+)')),"
      // the first "dirty:" row is the merged arenas' (npages after the decay time)
      + " toUInt64OrZero(extract(stats, 'dirty: +[^ ]+ +([0-9]+)'))"
      + " * toUInt64OrZero(extract(stats, 'Page size: ([0-9]+)'))"
      + " FROM system.jemalloc_stats";

  /** The figures of {@link #SQL}'s row. */
  public static AllocatorStats of(List<Object> row) {
    return new AllocatorStats(number(row.get(0)), number(row.get(1)), number(row.get(2)));
  }

  private static long number(Object value) {
    return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
  }
}
