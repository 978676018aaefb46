package io.tskotel.collector.query;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The time range of an explorer search, both ends inclusive: what the caller gave, with a missing end
 * filled in (to: now; from: an hour before to), checked against the longest range allowed.
 */
record SearchRange(Instant from, Instant to) {
  static final Duration DEFAULT_LENGTH = Duration.ofHours(1);

  /** Resolves the range, adding every problem to {@code errors} (and then returning a harmless range). */
  static SearchRange resolve(
      @Nullable Instant from, @Nullable Instant to, Instant now, Duration maxRange, List<String> errors) {
    Instant end = to != null ? to : now;
    Instant start = from != null ? from : end.minus(DEFAULT_LENGTH);
    if (start.isAfter(end)) {
      errors.add("from: " + Times.format(start) + " (expected: not after to, " + Times.format(end) + ")");
      return new SearchRange(end, end);
    }
    Duration length = Duration.between(start, end);
    if (length.compareTo(maxRange) > 0) {
      errors.add("to - from: " + Times.describe(length) + " (expected: <= " + Times.describe(maxRange)
          + ", the [query] explorer_max_range)");
    }
    return new SearchRange(start, end);
  }
}
