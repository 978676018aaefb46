package io.tskotel.collector.query.internal;

import java.time.Instant;
import java.util.Map;

/**
 * Splits a window {@code from_ns} .. {@code to_ns} (both inclusive) for the per-minute rollups (migration
 * 6): the whole minutes inside it, {@code whole_from_ns} (inclusive) .. {@code whole_to_ns} (exclusive), are
 * read from the rollup; the partial minutes at both ends ({@link #edges}) from the raw rows. A window
 * without a whole minute gets an empty middle and is read raw from end to end.
 */
public final class WholeMinutes {
  private static final long MINUTE_NS = 60_000_000_000L;

  private WholeMinutes() {}

  /**
   * The raw rows of the partial minutes: before the first whole minute and from the end of the last, for
   * the time column {@code column} (a constant of the caller's, never input).
   */
  static String edges(String column) {
    return "((" + column + " >= fromUnixTimestamp64Nano({from_ns:Int64})"
        + " AND " + column + " < fromUnixTimestamp64Nano({whole_from_ns:Int64}))"
        + " OR (" + column + " >= fromUnixTimestamp64Nano({whole_to_ns:Int64})"
        + " AND " + column + " <= fromUnixTimestamp64Nano({to_ns:Int64})))";
  }

  /** Adds {@code whole_from_ns} and {@code whole_to_ns} for the window {@code from} .. {@code to}. */
  public static void put(Map<String, Object> params, long fromNs, long toNs) {
    long first = Math.floorDiv(fromNs, MINUTE_NS) * MINUTE_NS;
    if (first < fromNs) {
      first += MINUTE_NS;
    }
    long end = Math.floorDiv(toNs, MINUTE_NS) * MINUTE_NS;
    if (first >= end) {
      // No whole minute: an empty middle at the window's start, so the second edge is the whole window.
      first = fromNs;
      end = fromNs;
    }
    params.put("whole_from_ns", first);
    params.put("whole_to_ns", end);
  }

  public static void put(Map<String, Object> params, Instant from, Instant to) {
    put(params, nanos(from), nanos(to));
  }

  private static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }
}
