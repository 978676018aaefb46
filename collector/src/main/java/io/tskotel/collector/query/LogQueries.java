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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The log explorer over {@code otel_logs}: searches newest first, paged by time, and the logs of one trace.
 * Every statement is bounded in rows and in time (see {@link ExplorerSql}); the store bounds its running
 * time ({@code storage.query_timeout}). Thread-safe.
 */
public final class LogQueries {
  /** The shortest first slice of a search. */
  static final long FIRST_SLICE_NANOS = Duration.ofMinutes(1).toNanos();

  private final TelemetryStore store;
  private final Clock clock;
  private final QueryConfig config;

  private LogQueries(TelemetryStore store, Clock clock, QueryConfig config) {
    this.store = requireNonNull(store, "store");
    this.clock = requireNonNull(clock, "clock");
    this.config = requireNonNull(config, "config");
  }

  public static LogQueries create(TelemetryStore store, Clock clock, QueryConfig config) {
    return new LogQueries(store, clock, config);
  }

  /**
   * The newest matching records (before {@link LogSearch#before()}, after {@link LogSearch#after()}).
   *
   * @throws IllegalArgumentException listing every problem with {@code search}, joined by "; "
   */
  public LogPage search(LogSearch search) throws StoreException {
    requireNonNull(search, "search");
    Instant now = clock.instant();
    Duration maxRange = config.explorerMaxRange();
    SearchRange range =
        SearchChecks.validRange(search.validate(now, maxRange), search.from(), search.to(), now, maxRange);
    Map<String, Object> p = params(range.from(), range.to());
    StringBuilder sql = new StringBuilder(ExplorerSql.LOG_COLUMNS).append(ExplorerSql.LOGS_IN_RANGE);
    if (search.before() != null) {
      sql.append(ExplorerSql.LOG_BEFORE);
      p.put("before_ns", Times.nanos(search.before()));
    }
    if (search.after() != null) {
      sql.append(ExplorerSql.LOG_AFTER);
      p.put("after_ns", Times.nanos(search.after()));
    }
    if (search.service() != null) {
      sql.append(ExplorerSql.LOG_SERVICE);
      p.put("service", search.service());
    }
    if (search.severity() != null) {
      sql.append(ExplorerSql.LOG_SEVERITY);
      p.put("severity", (long) search.severity().number());
      p.put("severity_texts", search.severity().textsAtLeast());
    }
    if (search.traceId() != null) {
      sql.append(ExplorerSql.LOG_TRACE_ID);
      p.put("trace_id", search.traceId().toLowerCase(Locale.ROOT));
    }
    if (search.q() != null) {
      LogSearch.Text text = LogSearch.Text.of(search.q());
      sql.append(text.token() ? ExplorerSql.LOG_TOKEN : ExplorerSql.LOG_SUBSTRING);
      p.put("q", text.needle());
      for (int i = 0; i < text.tokens().size(); i++) {
        sql.append(ExplorerSql.logToken(i));
        p.put("qt" + i, text.tokens().get(i));
      }
    }
    for (int i = 0; i < search.attr().size(); i++) {
      sql.append(ExplorerSql.logAttribute(i));
      p.put("ak" + i, search.attr().get(i).key());
      p.put("av" + i, search.attr().get(i).value());
    }
    sql.append(ExplorerSql.LOGS_NEWEST_FIRST);
    List<LogEntry> items = newest(sql.toString(), p, range, search, search.limit() + 1);
    boolean hasMore = items.size() > search.limit();
    return new LogPage(hasMore ? items.subList(0, search.limit()) : items, search.limit(), hasMore);
  }

  /**
   * The newest {@code needed} records, reading the range (narrowed by before and after) backwards in slices
   * that grow fourfold (its last 1/64, at least a minute): slices are disjoint in time, so the records of a
   * newer one all come before an older one's, and the usual search reads the last minutes of the table's
   * five-minute buckets rather than the whole range.
   */
  private List<LogEntry> newest(String sql, Map<String, Object> p, SearchRange range, LogSearch search,
      int needed) throws StoreException {
    long from = Times.nanos(range.from());
    long hi = Times.nanos(range.to());
    if (search.after() != null) {
      from = Math.max(from, Times.nanos(search.after()) + 1);
    }
    if (search.before() != null) {
      hi = Math.min(hi, Times.nanos(search.before()) - 1);
    }
    List<LogEntry> out = new ArrayList<>();
    long slice = Math.max((hi - from) / 64, FIRST_SLICE_NANOS);
    while (hi >= from) {
      long lo = hi - from < slice ? from : hi - slice + 1;
      p.put("from_ns", lo);
      p.put("to_ns", hi);
      p.put("limit", (long) needed - out.size());
      out.addAll(entries(store.query(sql, p)));
      if (lo == from || out.size() >= needed) {
        break;
      }
      hi = lo - 1;
      slice = slice > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : slice * 4;
    }
    return out;
  }

  /** The records of trace {@code traceId} (lower-case hex) between the instants, oldest first. */
  List<LogEntry> ofTrace(String traceId, Instant from, Instant to, int limit) throws StoreException {
    Map<String, Object> p = params(from, to);
    p.put("trace_id", traceId);
    p.put("limit", (long) limit);
    return entries(
        store.query(
            ExplorerSql.LOG_COLUMNS
                + ExplorerSql.LOGS_IN_RANGE
                + ExplorerSql.LOG_TRACE_ID
                + ExplorerSql.LOGS_OLDEST_FIRST,
            p));
  }

  private Map<String, Object> params(Instant from, Instant to) {
    return Times.rangeParams(config.database(), from, to);
  }

  private static List<LogEntry> entries(QueryResult r) {
    List<LogEntry> out = new ArrayList<>(r.rows().size());
    for (List<Object> row : r.rows()) {
      int number = (int) Values.toLong(row.get(3));
      String text = Values.toStr(row.get(2));
      Severity severity = Severity.ofNumber(number);
      out.add(
          new LogEntry(
              Values.toInstant(row.get(0)),
              Values.toStr(row.get(1)),
              !text.isEmpty() ? text : severity != null ? severity.name() : "",
              number,
              Values.toStr(row.get(4)),
              Values.toStr(row.get(5)),
              Values.toStr(row.get(6)),
              Values.toStringMap(row.get(7)),
              Values.toStringMap(row.get(8))));
    }
    return out;
  }
}
