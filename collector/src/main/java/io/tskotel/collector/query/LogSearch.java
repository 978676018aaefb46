package io.tskotel.collector.query;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A log search, newest first. Field names are the API's parameters, so {@link #validate} names what a
 * caller has to fix.
 *
 * @param service the record's service, exactly
 * @param severity the lowest severity shown
 * @param q text: a single word matches that whole word (case-insensitive, through the body's token index);
 *     anything with spaces or punctuation, or in double quotes, is a case-insensitive substring
 * @param traceId only records of this trace (32 hex digits)
 * @param attr attribute filters, all of which must match
 * @param from the range's start (default: an hour before {@code to})
 * @param to the range's end (default: now)
 * @param limit records per page (1..{@value #MAX_LIMIT})
 * @param before only records strictly older (the next page: the last record's time)
 * @param after only records strictly newer (a live tail: the first record's time)
 */
public record LogSearch(
    @Nullable String service,
    @Nullable Severity severity,
    @Nullable String q,
    @Nullable String traceId,
    List<AttributeFilter> attr,
    @Nullable Instant from,
    @Nullable Instant to,
    int limit,
    @Nullable Instant before,
    @Nullable Instant after) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;
  public static final int MAX_TEXT = 1000;

  static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{32}");

  public LogSearch {
    attr = List.copyOf(requireNonNull(attr, "attr"));
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Every problem with this search, for a range ending at {@code now} at most {@code maxRange} long; empty
   * when it can run.
   */
  public List<String> validate(Instant now, Duration maxRange) {
    List<String> errors = new ArrayList<>();
    SearchChecks.limit(limit, MAX_LIMIT, errors);
    SearchChecks.service(service, errors);
    if (q != null && (q.isBlank() || q.length() > MAX_TEXT || Text.of(q).needle().isEmpty())) {
      errors.add("q: \"" + abbreviated(q) + "\" (expected: a word or text of 1.." + MAX_TEXT + " characters)");
    }
    if (traceId != null && !TRACE_ID.matcher(traceId).matches()) {
      errors.add("traceId: \"" + abbreviated(traceId) + "\" (expected: 32 hex digits)");
    }
    SearchChecks.attributesAndRange(attr, from, to, now, maxRange, errors);
    if (before != null && after != null && !after.isBefore(before)) {
      errors.add("after: " + Times.format(after) + " (expected: before before, " + Times.format(before) + ")");
    }
    return errors;
  }

  private static String abbreviated(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }

  /**
   * The text filter, decided once: a single word (letters and digits only, as the engine's tokens) is a
   * whole-word match; otherwise a substring, with the words that lie wholly inside it (bounded by
   * separators on both sides within the text) as tokens the body must also hold, so the index can skip.
   */
  record Text(boolean token, String needle, List<String> tokens) {
    static Text of(String q) {
      String t = q.strip();
      if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
        String inner = t.substring(1, t.length() - 1);
        return new Text(false, inner, innerTokens(inner));
      }
      if (isToken(t)) {
        return new Text(true, asciiLower(t), List.of());
      }
      return new Text(false, t, innerTokens(t));
    }

    private static boolean isToken(String s) {
      if (s.isEmpty()) {
        return false;
      }
      for (int i = 0; i < s.length(); i++) {
        if (!tokenChar(s.charAt(i))) {
          return false;
        }
      }
      return true;
    }

    /** As ClickHouse splits tokens: ASCII letters and digits, and every non-ASCII character. */
    private static boolean tokenChar(char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
    }

    private static List<String> innerTokens(String s) {
      List<String> out = new ArrayList<>();
      int i = 0;
      while (i < s.length() && out.size() < io.tskotel.collector.query.internal.ExplorerSql.MAX_TOKENS) {
        if (!tokenChar(s.charAt(i))) {
          i++;
          continue;
        }
        int start = i;
        boolean ascii = true;
        while (i < s.length() && tokenChar(s.charAt(i))) {
          ascii &= s.charAt(i) < 0x80;
          i++;
        }
        // Bounded on both sides inside the text, so whole in every body that holds the text. Non-ASCII
        // words are left out: lower() folds only ASCII, the substring match folds all of Unicode.
        if (start > 0 && i < s.length() && ascii) {
          out.add(asciiLower(s.substring(start, i)));
        }
      }
      return List.copyOf(out);
    }

    private static String asciiLower(String s) {
      StringBuilder sb = new StringBuilder(s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
      }
      return sb.toString();
    }
  }

  public static final class Builder {
    private @Nullable String service;
    private @Nullable Severity severity;
    private @Nullable String q;
    private @Nullable String traceId;
    private final List<AttributeFilter> attr = new ArrayList<>();
    private @Nullable Instant from;
    private @Nullable Instant to;
    private int limit = DEFAULT_LIMIT;
    private @Nullable Instant before;
    private @Nullable Instant after;

    private Builder() {}

    public Builder service(@Nullable String v) {
      this.service = v;
      return this;
    }

    public Builder severity(@Nullable Severity v) {
      this.severity = v;
      return this;
    }

    public Builder q(@Nullable String v) {
      this.q = v;
      return this;
    }

    public Builder traceId(@Nullable String v) {
      this.traceId = v;
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

    public Builder from(@Nullable Instant v) {
      this.from = v;
      return this;
    }

    public Builder to(@Nullable Instant v) {
      this.to = v;
      return this;
    }

    public Builder limit(int v) {
      this.limit = v;
      return this;
    }

    public Builder before(@Nullable Instant v) {
      this.before = v;
      return this;
    }

    public Builder after(@Nullable Instant v) {
      this.after = v;
      return this;
    }

    public LogSearch build() {
      return new LogSearch(service, severity, q, traceId, attr, from, to, limit, before, after);
    }
  }
}
