package io.tskotel.collector.query;

import static java.util.Objects.requireNonNull;

import io.tskotel.collector.query.internal.ExplorerSql;
import io.tskotel.collector.query.internal.Values;
import io.tskotel.exporter.QueryResult;
import io.tskotel.exporter.StoreException;
import io.tskotel.exporter.TelemetryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The trace explorer over {@code otel_traces}: search (traces whose spans match, a page at a time) and one
 * trace with its spans in tree order and its logs. Every statement is bounded in rows and in time (see
 * {@link ExplorerSql}); the store bounds its running time ({@code storage.query_timeout}). Thread-safe.
 */
public final class TraceQueries {
  /** Logs are looked for this far around the trace's spans (a log may be written just after its span). */
  static final Duration LOG_MARGIN = Duration.ofMinutes(1);

  /** The shortest first slice of a newest-first search. */
  static final long FIRST_SLICE_NANOS = Duration.ofMinutes(1).toNanos();

  private final TelemetryStore store;
  private final Clock clock;
  private final QueryConfig config;
  private final LogQueries logs;

  TraceQueries(TelemetryStore store, Clock clock, QueryConfig config, LogQueries logs) {
    this.store = requireNonNull(store, "store");
    this.clock = requireNonNull(clock, "clock");
    this.config = requireNonNull(config, "config");
    this.logs = requireNonNull(logs, "logs");
  }

  public static TraceQueries create(TelemetryStore store, Clock clock, QueryConfig config) {
    return new TraceQueries(store, clock, config, LogQueries.create(store, clock, config));
  }

  /**
   * The traces with a span that matches, a page at a time.
   *
   * @throws IllegalArgumentException listing every problem with {@code search}, joined by "; "
   */
  public TracePage search(TraceSearch search) throws StoreException {
    requireNonNull(search, "search");
    Instant now = clock.instant();
    Duration maxRange = config.explorerMaxRange();
    SearchRange range =
        SearchChecks.validRange(search.validate(now, maxRange), search.from(), search.to(), now, maxRange);
    Map<String, Object> p = Times.rangeParams(config.database(), range.from(), range.to());
    StringBuilder where = new StringBuilder(ExplorerSql.SPANS_IN_RANGE);
    if (search.service() != null) {
      where.append(ExplorerSql.SPAN_SERVICE);
      p.put("service", search.service());
    }
    if (search.name() != null) {
      where.append(ExplorerSql.SPAN_NAME);
      p.put("name", search.name());
    }
    if (search.error()) {
      where.append(ExplorerSql.SPAN_FAILED);
      p.put("threshold", (long) config.errorStatusThreshold());
    }
    if (search.minDurationMs() != null) {
      where.append(ExplorerSql.SPAN_MIN_DURATION);
      p.put("min_ns", (long) Math.ceil(search.minDurationMs() * 1e6));
    }
    for (int i = 0; i < search.attr().size(); i++) {
      where.append(ExplorerSql.spanAttribute(i));
      p.put("ak" + i, search.attr().get(i).key());
      p.put("av" + i, search.attr().get(i).value());
    }
    int end = search.offset() + search.limit();
    List<String> ids =
        search.sort() == TraceSearch.Sort.NEWEST
            ? newest(where.toString(), p, range, end + 1)
            : slowest(where.toString(), p, search.offset(), search.limit() + 1);
    boolean hasMore = ids.size() > end;
    List<String> page = ids.subList(Math.min(search.offset(), ids.size()), Math.min(ids.size(), end));
    return new TracePage(summaries(page), search.limit(), search.offset(), hasMore);
  }

  /**
   * The first {@code needed} traces, newest first, walking back from the range's end in slices that grow
   * fourfold (the first 1/64 of the range, at least a minute): a trace first seen in a newer slice has its
   * latest matching span there, so it ranks before every trace first seen in an older one.
   */
  private List<String> newest(String where, Map<String, Object> p, SearchRange range, int needed)
      throws StoreException {
    long from = Times.nanos(range.from());
    long hi = Times.nanos(range.to());
    long slice = Math.max((hi - from) / 64, FIRST_SLICE_NANOS);
    List<String> ids = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    p.put("limit", (long) needed);
    while (true) {
      long lo = hi - from < slice ? from : hi - slice + 1;
      p.put("from_ns", lo);
      p.put("to_ns", hi);
      for (List<Object> row : store.query(ExplorerSql.newestTraces(where), p).rows()) {
        String id = Values.toStr(row.get(0));
        if (seen.add(id) && ids.size() < needed) {
          ids.add(id);
        }
      }
      if (lo == from || ids.size() >= needed) {
        return ids;
      }
      hi = lo - 1;
      slice = slice > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : slice * 4;
    }
  }

  /**
   * Slowest first: the traces from {@code offset} on, at most {@code rows}, in a list that keeps {@code
   * offset} empty places before them (so positions match {@link #newest}'s).
   */
  private List<String> slowest(String where, Map<String, Object> p, int offset, int rows) throws StoreException {
    p.put("limit", (long) rows);
    p.put("offset", (long) offset);
    List<String> ids = new ArrayList<>(java.util.Collections.nCopies(offset, ""));
    for (List<Object> row : store.query(ExplorerSql.slowestTraces(where), p).rows()) {
      ids.add(Values.toStr(row.get(0)));
    }
    return ids;
  }

  /** The summaries of these traces, in this order. */
  private List<TraceSummary> summaries(List<String> ids) throws StoreException {
    if (ids.isEmpty()) {
      return List.of();
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("db", config.database());
    p.put("ids", List.copyOf(ids));
    p.put("threshold", (long) config.errorStatusThreshold());
    Map<String, TraceSummary> byId = new HashMap<>();
    for (List<Object> row : store.query(ExplorerSql.TRACE_SUMMARIES, p).rows()) {
      String id = Values.toStr(row.get(0));
      byId.put(
          id,
          new TraceSummary(
              id,
              Values.toStr(row.get(1)),
              Values.toStr(row.get(2)),
              Values.toStr(row.get(3)),
              Values.toInstant(row.get(4)),
              Values.toLong(row.get(5)) / 1e6,
              Values.toLong(row.get(6)),
              Values.toLong(row.get(7)),
              ((List<?>) row.get(8)).stream().map(Values::toStr).toList()));
    }
    // A trace expired between the two statements is left out rather than shown half-known.
    return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
  }

  /**
   * One trace, or empty when none of its spans is stored.
   *
   * @throws IllegalArgumentException when {@code traceId} is not 32 hex digits
   */
  public Optional<TraceDetail> trace(String traceId) throws StoreException {
    String id = checkTraceId(traceId);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("db", config.database());
    p.put("trace_id", id);
    p.put("limit", (long) config.explorerMaxRows() + 1);
    List<RawSpan> raw = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    QueryResult r = store.query(ExplorerSql.TRACE_SPANS, p);
    boolean truncated = r.rows().size() > config.explorerMaxRows();
    for (List<Object> row : truncated ? r.rows().subList(0, config.explorerMaxRows()) : r.rows()) {
      RawSpan s = RawSpan.of(row);
      if (seen.add(s.spanId())) { // at-least-once delivery may have stored a span twice
        raw.add(s);
      }
    }
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    Instant start = raw.get(0).start();
    Instant end = start;
    for (RawSpan s : raw) {
      Instant e = s.start().plusNanos(s.durationNanos());
      if (e.isAfter(end)) {
        end = e;
      }
    }
    List<TraceDetail.Span> spans = new ArrayList<>(raw.size());
    for (Placed placed : treeOrder(raw)) {
      spans.add(placed.span().toSpan(start, placed.depth()));
    }
    List<LogEntry> traceLogs =
        logs.ofTrace(id, start.minus(LOG_MARGIN), end.plus(LOG_MARGIN), config.explorerMaxRows());
    return Optional.of(
        new TraceDetail(id, start, Times.millisBetween(start, end), spans, traceLogs, truncated));
  }

  /** Lower-case 32 hex digits, as stored. */
  static String checkTraceId(String traceId) {
    requireNonNull(traceId, "traceId");
    if (!LogSearch.TRACE_ID.matcher(traceId).matches()) {
      String shown = traceId.length() <= 80 ? traceId : traceId.substring(0, 80) + "…";
      throw new IllegalArgumentException("traceId: \"" + shown + "\" (expected: 32 hex digits)");
    }
    return traceId.toLowerCase(Locale.ROOT);
  }

  private record Placed(RawSpan span, int depth) {}

  /**
   * Depth first from the roots (no parent, or a parent not stored), siblings by start then id. Iterative,
   * so a deep trace cannot overflow the stack; each span is placed once, so a cycle of bad parent ids
   * cannot loop (its spans are placed as roots).
   */
  static List<Placed> treeOrder(List<RawSpan> spans) {
    Map<String, RawSpan> byId = new HashMap<>();
    for (RawSpan s : spans) {
      byId.put(s.spanId(), s);
    }
    Map<String, List<RawSpan>> children = new HashMap<>();
    List<RawSpan> roots = new ArrayList<>();
    for (RawSpan s : spans) {
      if (s.parentSpanId().isEmpty() || !byId.containsKey(s.parentSpanId())
          || s.parentSpanId().equals(s.spanId())) {
        roots.add(s);
      } else {
        children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
      }
    }
    Comparator<RawSpan> byStart = Comparator.comparing(RawSpan::start).thenComparing(RawSpan::spanId);
    roots.sort(byStart);
    children.values().forEach(c -> c.sort(byStart));
    List<Placed> out = new ArrayList<>(spans.size());
    Set<String> placed = new HashSet<>();
    Deque<Placed> stack = new ArrayDeque<>();
    List<RawSpan> pending = new ArrayList<>(roots);
    int next = 0;
    while (out.size() < spans.size()) {
      if (stack.isEmpty()) {
        // Next root; once the roots are used up, whatever a parent cycle kept unreachable.
        RawSpan root = null;
        while (next < pending.size() && root == null) {
          RawSpan candidate = pending.get(next++);
          if (!placed.contains(candidate.spanId())) {
            root = candidate;
          }
        }
        if (root == null) {
          for (RawSpan s : spans) {
            if (!placed.contains(s.spanId())) {
              pending.add(s);
            }
          }
          continue;
        }
        stack.push(new Placed(root, 0));
      }
      Placed top = stack.pop();
      if (!placed.add(top.span().spanId())) {
        continue;
      }
      out.add(top);
      List<RawSpan> kids = children.getOrDefault(top.span().spanId(), List.of());
      for (int i = kids.size() - 1; i >= 0; i--) {
        stack.push(new Placed(kids.get(i), top.depth() + 1));
      }
    }
    return out;
  }

  /** A span row as read. */
  record RawSpan(
      Instant start,
      String spanId,
      String parentSpanId,
      String service,
      String name,
      String kind,
      long durationNanos,
      String status,
      String statusMessage,
      Map<String, String> attributes,
      Map<String, String> resourceAttributes,
      List<?> eventTimes,
      List<?> eventNames,
      List<?> eventAttributes,
      List<?> linkTraceIds,
      List<?> linkSpanIds,
      List<?> linkAttributes) {

    static RawSpan of(List<Object> row) {
      return new RawSpan(
          Values.toInstant(row.get(0)),
          Values.toStr(row.get(1)),
          Values.toStr(row.get(2)),
          Values.toStr(row.get(3)),
          Values.toStr(row.get(4)),
          Values.toStr(row.get(5)),
          Values.toLong(row.get(6)),
          Values.toStr(row.get(7)),
          Values.toStr(row.get(8)),
          Values.toStringMap(row.get(9)),
          Values.toStringMap(row.get(10)),
          list(row.get(11)),
          list(row.get(12)),
          list(row.get(13)),
          list(row.get(14)),
          list(row.get(15)),
          list(row.get(16)));
    }

    private static List<?> list(Object v) {
      return v instanceof List<?> l ? l : List.of();
    }

    TraceDetail.Span toSpan(Instant traceStart, int depth) {
      List<TraceDetail.Event> events = new ArrayList<>();
      for (int i = 0; i < eventNames.size(); i++) {
        Instant t = Values.toInstant(eventTimes.get(i));
        events.add(
            new TraceDetail.Event(
                Values.toStr(eventNames.get(i)),
                t,
                Times.millisBetween(traceStart, t),
                Values.toStringMap(eventAttributes.get(i))));
      }
      List<TraceDetail.Link> links = new ArrayList<>();
      for (int i = 0; i < linkSpanIds.size(); i++) {
        links.add(
            new TraceDetail.Link(
                Values.toStr(linkTraceIds.get(i)),
                Values.toStr(linkSpanIds.get(i)),
                Values.toStringMap(linkAttributes.get(i))));
      }
      return new TraceDetail.Span(
          spanId,
          parentSpanId,
          service,
          name,
          kindName(kind),
          start,
          Times.millisBetween(traceStart, start),
          durationNanos / 1e6,
          depth,
          statusName(status),
          statusMessage,
          attributes,
          resourceAttributes,
          events,
          links);
    }
  }

  /** Either spelling the clickhouseexporter has written, as pdata's names (Server, Client, …). */
  static String kindName(String stored) {
    return switch (stored) {
      case "SPAN_KIND_SERVER" -> "Server";
      case "SPAN_KIND_CLIENT" -> "Client";
      case "SPAN_KIND_INTERNAL" -> "Internal";
      case "SPAN_KIND_PRODUCER" -> "Producer";
      case "SPAN_KIND_CONSUMER" -> "Consumer";
      case "SPAN_KIND_UNSPECIFIED", "" -> "Unspecified";
      default -> stored;
    };
  }

  /** Error, Ok or Unset, from either spelling. */
  static String statusName(String stored) {
    return switch (stored) {
      case "STATUS_CODE_ERROR" -> "Error";
      case "STATUS_CODE_OK" -> "Ok";
      case "STATUS_CODE_UNSET", "" -> "Unset";
      default -> stored;
    };
  }
}
