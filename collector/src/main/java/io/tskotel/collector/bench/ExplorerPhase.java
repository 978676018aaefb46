package io.tskotel.collector.bench;

import io.tskotel.collector.query.LogPage;
import io.tskotel.collector.query.LogQueries;
import io.tskotel.collector.query.LogSearch;
import io.tskotel.collector.query.QueryConfig;
import io.tskotel.collector.query.TracePage;
import io.tskotel.collector.query.TraceQueries;
import io.tskotel.collector.query.TraceSearch;
import io.tskotel.exporter.ClickHouseStore;
import io.tskotel.exporter.StoreException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trace and log explorer's latency over large tables (issue 14: trace by id p50 ≤ 100 ms, a filtered
 * search p50 ≤ 300 ms over 10M spans and 10M logs), each next to a plain {@code count()} of the same table
 * in the same run. The tables are filled inside the engine ({@code INSERT ... SELECT FROM numbers()}) over
 * the last hour: traces of 10 spans (a root, three children, six grandchildren) across five services, and
 * 10 logs per trace carrying its trace id; one trace in 50 has a failed span, one log in 1000 says "payment
 * declined".
 */
final class ExplorerPhase {
  static final int SPANS_PER_TRACE = 10;

  private ExplorerPhase() {}

  /** The trace id of trace number {@code t} (SQL: the same expression over {@code t}). */
  private static final String TRACE_ID =
      "lower(concat(hex(cityHash64(t, 1)), hex(cityHash64(t, 2))))";

  /** Empties the span tables (another phase may have filled them), then writes {@code rows} spans and logs. */
  static void fill(ClickHouseStore store, long rows) throws StoreException {
    Map<String, String> p = Map.of("db", store.config().database(), "n", Long.toString(rows));
    store.engine().execute("TRUNCATE TABLE IF EXISTS {db:Identifier}.otel_traces", p);
    store.engine().execute("TRUNCATE TABLE IF EXISTS {db:Identifier}.otel_traces_trace_id_ts", p);
    store.engine().execute("TRUNCATE TABLE IF EXISTS {db:Identifier}.otel_logs", p);
    // n: row; t = n / 10: trace, started 3.6 ms after the next older one (1M traces over the hour);
    // i = n % 10: the span's place (0 root; 1-3 its children; 4-6, 7-9 children of 1 and 2).
    store.engine().execute("INSERT INTO {db:Identifier}.otel_traces"
        + " (Timestamp, TraceId, SpanId, ParentSpanId, ServiceName, SpanName, SpanKind, Duration, StatusCode,"
        + " ResourceAttributes, SpanAttributes)"
        + " SELECT now64(9) - toIntervalMicrosecond(t * 3600) + toIntervalMillisecond(i), " + TRACE_ID + ","
        + " lower(hex(cityHash64(n, 3))),"
        + " if(i = 0, '', lower(hex(cityHash64(t * 10 + intDiv(i - 1, 3), 3)))),"
        + " if(i = 0, 'frontend', concat('svc-', toString(i % 4))) AS service,"
        + " if(i = 0, concat('GET /api/route', toString(t % 10)), concat('op-', toString(i))),"
        + " if(i = 0, 'Server', if(i < 4, 'Client', 'Internal')),"
        + " if(i = 0, 20000000 + (t % 500) * 1000000, (10 - i) * 1000000),"
        + " if(i = 4 AND t % 50 = 0, 'Error', 'Unset'),"
        + " map('service.name', service),"
        + " if(i = 0, map('http.route', concat('/api/route', toString(t % 10)), 'tenant',"
        + " concat('t', toString(t % 100))), map('tenant', concat('t', toString(t % 100))))"
        + " FROM (SELECT number AS n, intDiv(number, 10) AS t, number % 10 AS i FROM numbers({n:UInt64}))", p);
    store.engine().execute("INSERT INTO {db:Identifier}.otel_logs"
        + " (Timestamp, TraceId, SpanId, SeverityText, SeverityNumber, ServiceName, Body, ResourceAttributes,"
        + " LogAttributes)"
        + " SELECT now64(9) - toIntervalMicrosecond(t * 3600) + toIntervalMillisecond(i) + toIntervalMicrosecond(500),"
        + " " + TRACE_ID + ", lower(hex(cityHash64(n, 3))),"
        + " multiIf(n % 100 = 0, 'ERROR', n % 100 < 5, 'WARN', 'INFO'),"
        + " multiIf(n % 100 = 0, 17, n % 100 < 5, 13, 9),"
        + " if(i = 0, 'frontend', concat('svc-', toString(i % 4))) AS service,"
        + " concat('request ', toString(n), ' handled for user u', toString(n % 10000),"
        + " if(n % 1000 = 0, ': payment declined, card expired', concat(' in ', toString(i), ' ms'))),"
        + " map('service.name', service), map('user.id', concat('u', toString(n % 10000)))"
        + " FROM (SELECT number AS n, intDiv(number, 10) AS t, number % 10 AS i FROM numbers({n:UInt64}))", p);
  }

  static List<QueryPhase.Timing> run(ClickHouseStore store, long rows, int runs) throws StoreException {
    QueryConfig config = QueryConfig.builder().database(store.config().database()).build();
    TraceQueries traces = TraceQueries.create(store, Clock.systemUTC(), config);
    LogQueries logs = LogQueries.create(store, Clock.systemUTC(), config);
    Map<String, String> db = Map.of("db", store.config().database());
    double spansBaseline = QueryPhase.median(runs,
        () -> store.engine().query("SELECT count() FROM {db:Identifier}.otel_traces", db));
    double logsBaseline = QueryPhase.median(runs,
        () -> store.engine().query("SELECT count() FROM {db:Identifier}.otel_logs", db));
    // Traces spread over the hour, a different one each run: no run reads what the last one cached.
    List<String> ids = traceIds(store, rows, runs + 2);
    int[] next = {0};
    List<QueryPhase.Timing> out = new ArrayList<>();
    out.add(new QueryPhase.Timing("explorer: trace by id (" + SPANS_PER_TRACE + " spans + its logs)",
        QueryPhase.median(runs, () -> {
          String id = ids.get(next[0]++ % ids.size());
          if (traces.trace(id).map(t -> t.spans().size()).orElse(0) != SPANS_PER_TRACE) {
            throw StoreException.permanent("bench: trace " + id + " not found whole");
          }
          return id;
        }), "count() of otel_traces", spansBaseline));
    TraceSearch filtered = TraceSearch.builder().service("svc-0").error(true).minDurationMs(5.0).build();
    out.add(new QueryPhase.Timing("explorer: trace search service + error + min duration, 1h",
        QueryPhase.median(runs, () -> nonEmpty(traces.search(filtered))), "count() of otel_traces", spansBaseline));
    TraceSearch byAttribute = TraceSearch.builder().attr("tenant", "t42").sort(TraceSearch.Sort.SLOWEST).build();
    out.add(new QueryPhase.Timing("explorer: trace search attr tenant=t42, slowest, 1h",
        QueryPhase.median(runs, () -> nonEmpty(traces.search(byAttribute))), "count() of otel_traces",
        spansBaseline));
    TraceSearch unfiltered = TraceSearch.builder().build();
    out.add(new QueryPhase.Timing("explorer: trace search without filters, 1h",
        QueryPhase.median(runs, () -> nonEmpty(traces.search(unfiltered))), "count() of otel_traces",
        spansBaseline));
    LogSearch token = LogSearch.builder().q("declined").build();
    out.add(new QueryPhase.Timing("explorer: log search word \"declined\", 1h",
        QueryPhase.median(runs, () -> nonEmpty(logs.search(token))), "count() of otel_logs", logsBaseline));
    LogSearch filteredLogs = LogSearch.builder().service("svc-1").severity(io.tskotel.collector.query.Severity.WARN)
        .q("handled for user u1 in").build();
    out.add(new QueryPhase.Timing("explorer: log search service + severity + substring, 1h",
        QueryPhase.median(runs, () -> nonEmpty(logs.search(filteredLogs))), "count() of otel_logs",
        logsBaseline));
    LogSearch newest = LogSearch.builder().build();
    out.add(new QueryPhase.Timing("explorer: newest 50 logs, 1h",
        QueryPhase.median(runs, () -> nonEmpty(logs.search(newest))), "count() of otel_logs", logsBaseline));
    return out;
  }

  private static List<String> traceIds(ClickHouseStore store, long rows, int count) throws StoreException {
    long traces = Math.max(1, rows / SPANS_PER_TRACE);
    List<String> ids = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      long t = (k * 7919L * 104729L + traces / 2) % traces;
      ids.add(String.valueOf(store.engine().query(
          "SELECT " + TRACE_ID + " FROM (SELECT {t:UInt64} AS t)", Map.of("t", Long.toString(t)))
          .rows().get(0).get(0)));
    }
    return ids;
  }

  private static Object nonEmpty(TracePage page) throws StoreException {
    if (page.items().isEmpty()) {
      throw StoreException.permanent("bench: a trace search found nothing: it would time nothing");
    }
    return page;
  }

  private static Object nonEmpty(LogPage page) throws StoreException {
    if (page.items().isEmpty()) {
      throw StoreException.permanent("bench: a log search found nothing: it would time nothing");
    }
    return page;
  }
}
