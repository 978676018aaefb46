package io.tskotel.collector.query;

import io.tskotel.collector.query.internal.ExplorerSql;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The checks the trace and the log search share, so both name the same problem with the same words. Each
 * adds what is wrong to {@code errors}; the searches call them in their own parameter order.
 */
final class SearchChecks {
  private SearchChecks() {}

  static void limit(int limit, int max, List<String> errors) {
    if (limit < 1 || limit > max) {
      errors.add("limit: " + limit + " (expected: 1.." + max + ")");
    }
  }

  static void service(@Nullable String service, List<String> errors) {
    if (service != null && service.isEmpty()) {
      errors.add("service: \"\" (expected: a service name, or no parameter)");
    }
  }

  /** The attribute filters, then the time range ({@link SearchRange#resolve}). */
  static void attributesAndRange(
      List<AttributeFilter> attr,
      @Nullable Instant from,
      @Nullable Instant to,
      Instant now,
      Duration maxRange,
      List<String> errors) {
    if (attr.size() > ExplorerSql.MAX_ATTRIBUTES) {
      errors.add("attr: " + attr.size() + " filters (expected: <= " + ExplorerSql.MAX_ATTRIBUTES + ")");
    }
    for (AttributeFilter a : attr) {
      if (a.key().isEmpty()) {
        errors.add("attr: \"" + a + "\" (expected: key=value with a non-empty key)");
      }
    }
    SearchRange.resolve(from, to, now, maxRange, errors);
  }

  /**
   * The search's range, once {@code errors} (what its {@code validate} found) is empty.
   *
   * @throws IllegalArgumentException listing every error, joined by "; "
   */
  static SearchRange validRange(
      List<String> errors, @Nullable Instant from, @Nullable Instant to, Instant now, Duration maxRange) {
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
    return SearchRange.resolve(from, to, now, maxRange, errors);
  }
}
