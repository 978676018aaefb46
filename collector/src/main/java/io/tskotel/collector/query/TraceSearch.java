package io.tskotel.collector.query;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A trace search: which spans to look for, over which time range, and which page of the traces they belong
 * to. Field names are the API's parameters, so {@link #validate} names what a caller has to fix.
 *
 * @param service the span's service, exactly
 * @param name the span's name or its {@code http.route}, exactly
 * @param error only failed spans (status Error, or a server span with an HTTP error status)
 * @param minDurationMs only spans lasting at least this long
 * @param from the range's start (default: an hour before {@code to})
 * @param to the range's end (default: now)
 * @param attr attribute filters, all of which must match
 * @param sort newest traces first, or slowest
 * @param limit traces per page (1..{@value #MAX_LIMIT})
 * @param offset traces to skip (0..{@value #MAX_OFFSET})
 */
public record TraceSearch(
    @Nullable String service,
    @Nullable String name,
    boolean error,
    @Nullable Double minDurationMs,
    @Nullable Instant from,
    @Nullable Instant to,
    List<AttributeFilter> attr,
    Sort sort,
    int limit,
    int offset) {

  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;
  public static final int MAX_OFFSET = 10_000;

  /** Result order. */
  public enum Sort {
    /** The trace whose latest matching span started last comes first. */
    NEWEST,
    /** The trace with the longest matching span comes first. */
    SLOWEST;

    /**
     * {@code newest} or {@code slowest}.
     *
     * @throws IllegalArgumentException naming both
     */
    public static Sort parse(String text) {
      return switch (text.trim().toLowerCase(Locale.ROOT)) {
        case "newest" -> NEWEST;
        case "slowest" -> SLOWEST;
        default -> throw new IllegalArgumentException("sort: \"" + text + "\" (expected: newest or slowest)");
      };
    }

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public TraceSearch {
    attr = List.copyOf(requireNonNull(attr, "attr"));
    requireNonNull(sort, "sort");
  }

  /** The defaults: newest traces of the last hour, 20 per page. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Every problem with this search, for a range ending at {@code now} at most {@code maxRange} long; empty
   * when it can run.
   */
  public List<String> validate(Instant now, java.time.Duration maxRange) {
    List<String> errors = new ArrayList<>();
    SearchChecks.limit(limit, MAX_LIMIT, errors);
    if (offset < 0 || offset > MAX_OFFSET) {
      errors.add("offset: " + offset + " (expected: 0.." + MAX_OFFSET + ")");
    }
    if (minDurationMs != null && !(minDurationMs >= 0 && minDurationMs <= 1e12)) {
      errors.add("minDurationMs: " + shown(minDurationMs) + " (expected: >= 0)");
    }
    SearchChecks.service(service, errors);
    if (name != null && name.isEmpty()) {
      errors.add("name: \"\" (expected: a span name or route, or no parameter)");
    }
    SearchChecks.attributesAndRange(attr, from, to, now, maxRange, errors);
    return errors;
  }

  private static String shown(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  public static final class Builder {
    private @Nullable String service;
    private @Nullable String name;
    private boolean error;
    private @Nullable Double minDurationMs;
    private @Nullable Instant from;
    private @Nullable Instant to;
    private final List<AttributeFilter> attr = new ArrayList<>();
    private Sort sort = Sort.NEWEST;
    private int limit = DEFAULT_LIMIT;
    private int offset;

    private Builder() {}

    public Builder service(@Nullable String v) {
      this.service = v;
      return this;
    }

    public Builder name(@Nullable String v) {
      this.name = v;
      return this;
    }

    public Builder error(boolean v) {
      this.error = v;
      return this;
    }

    public Builder minDurationMs(@Nullable Double v) {
      this.minDurationMs = v;
      return this;
    }

    public Builder from(@Nullable Instant v) {
      this.from = v;
      return this;
    }

    public Builder to(@Nullable Instant v) {
      this.to = v;
      return this;
    }

    public Builder attr(String key, String value) {
      attr.add(new AttributeFilter(key, value));
      return this;
    }

    public Builder attr(AttributeFilter filter) {
      attr.add(requireNonNull(filter, "filter"));
      return this;
    }

    public Builder sort(Sort v) {
      this.sort = requireNonNull(v, "sort");
      return this;
    }

    public Builder limit(int v) {
      this.limit = v;
      return this;
    }

    public Builder offset(int v) {
      this.offset = v;
      return this;
    }

    public TraceSearch build() {
      return new TraceSearch(service, name, error, minDurationMs, from, to, attr, sort, limit, offset);
    }
  }
}
