package io.tskotel.collector.query.internal;

/**
 * SQL over server spans ({@code otel_traces}) and alerts ({@code tskotel_alerts}). Constants only; values are
 * bound parameters: {@code db} (the database, an Identifier), {@code from_ns}, {@code to_ns} (Unix nanoseconds, inclusive), {@code threshold},
 * {@code limit}.
 *
 * <p>SpanKind and StatusCode are matched in both spellings the clickhouseexporter has written over its
 * versions ({@code Server} / {@code SPAN_KIND_SERVER}, {@code Error} / {@code STATUS_CODE_ERROR}), so data
 * written by the upstream collector reads the same as ours.
 */
public final class ServiceSql {
  private ServiceSql() {}

  /** A server span, in either spelling. */
  public static final String SERVER_KIND = "SpanKind IN ('Server', 'SPAN_KIND_SERVER')";

  static final String SERVER_SPANS_IN_WINDOW =
      "FROM {db:Identifier}.otel_traces\nWHERE "
          + SERVER_KIND
          + """

        AND Timestamp >= fromUnixTimestamp64Nano({from_ns:Int64})
        AND Timestamp <= fromUnixTimestamp64Nano({to_ns:Int64})
      """;

  /** A span whose status is Error, in either spelling. */
  public static final String ERROR_STATUS = "StatusCode IN ('Error', 'STATUS_CODE_ERROR')";

  /**
   * A server span's HTTP status code (the current or the old attribute) at or above the threshold
   * ({@code {threshold:Int64}}). {@code HttpStatus} is migration 9's materialized column, the larger of the two
   * attributes as a number (a span fails at threshold t when either is >= t, i.e. when the larger is): the
   * same answer as looking both up in {@code SpanAttributes}, without decompressing the map (~20x cheaper on
   * realistic spans). Also a column of the per-minute rollup.
   */
  public static final String HTTP_FAILED = "HttpStatus >= {threshold:Int64}";

  /**
   * A failed server span: status Error or {@link #HTTP_FAILED}. Shared with the dashboard's charts and the
   * explorer so all count alike.
   */
  static final String FAILED_SERVER_SPAN = ERROR_STATUS + " OR " + HTTP_FAILED;

  /** Failed server spans. */
  public static final String ERROR_COUNT = "countIf(" + FAILED_SERVER_SPAN + ")";

  /** Columns (server spans, failed server spans). */
  public static final String ERROR_COUNTS =
      "SELECT count(),\n  " + ERROR_COUNT + "\n" + SERVER_SPANS_IN_WINDOW;

  /**
   * The dashboard's request and error rates in one pass over the error rate's window ({@code from_ns} ..
   * {@code to_ns}): columns (server spans since {@code {rate_from_ns:Int64}}, a later start inside that window;
   * server spans; failed server spans).
   */
  public static final String RATE_AND_ERROR_COUNTS =
      "SELECT countIf(Timestamp >= fromUnixTimestamp64Nano({rate_from_ns:Int64})),\n  count(),\n  "
          + ERROR_COUNT
          + "\n"
          + SERVER_SPANS_IN_WINDOW;

  /** Server spans of the rollup's whole minutes (migration 6): {@code whole_from_ns} .. {@code whole_to_ns}. */
  static final String ROLLUP_WHOLE_MINUTES =
      """
      FROM {db:Identifier}.tskotel_server_minutes
      WHERE Minute >= fromUnixTimestamp64Nano({whole_from_ns:Int64})
        AND Minute < fromUnixTimestamp64Nano({whole_to_ns:Int64})
      """;

  static final String SERVER_SPANS_AT_EDGES =
      "FROM {db:Identifier}.otel_traces\nWHERE " + SERVER_KIND + " AND " + WholeMinutes.edges("Timestamp") + "\n";

  /**
   * {@link #RATE_AND_ERROR_COUNTS} with the error window's whole minutes read from the per-minute rollup and
   * only its partial minutes raw; the request rate's window (shorter than the rollup's minutes can cut
   * exactly) is counted raw, which reads no attribute map. Same columns, same answers.
   */
  public static final String RATE_AND_ERROR_ROLLUP =
      """
      SELECT sum(rate), sum(spans), sum(failed)
      FROM (
        SELECT toUInt64(0) AS rate, sum(Spans) AS spans,
      """
          + "    sumIf(Spans, "
          + FAILED_SERVER_SPAN
          + ") AS failed\n"
          + ROLLUP_WHOLE_MINUTES
          + "  UNION ALL\n  SELECT countIf(Timestamp >= fromUnixTimestamp64Nano({rate_from_ns:Int64})), count(),\n  "
          + ERROR_COUNT
          + "\n"
          + SERVER_SPANS_AT_EDGES
          + "  UNION ALL\n  SELECT count(), toUInt64(0), toUInt64(0)\n"
          + "FROM {db:Identifier}.otel_traces\nWHERE "
          + SERVER_KIND
          + """

            AND Timestamp >= fromUnixTimestamp64Nano({rate_from_ns:Int64})
            AND Timestamp >= fromUnixTimestamp64Nano({whole_from_ns:Int64})
            AND Timestamp < fromUnixTimestamp64Nano({whole_to_ns:Int64})
          )
          """;

  /** {@link #AVG_DURATION} from the rollup's whole minutes and the raw partial ones: columns (spans, sum ns). */
  public static final String DURATION_ROLLUP =
      "SELECT sum(c), sum(d) FROM (\n  SELECT sum(Spans) AS c, sum(DurationSum) AS d\n"
          + ROLLUP_WHOLE_MINUTES
          + "  UNION ALL\n  SELECT count(), sum(Duration)\n"
          + SERVER_SPANS_AT_EDGES
          + ")";

  /** Columns (server spans). */
  public static final String REQUEST_COUNT = "SELECT count()\n" + SERVER_SPANS_IN_WINDOW;

  /** Columns (server spans, their average duration in ns): the response time when no metric reports it. */
  public static final String AVG_DURATION = "SELECT count(), avg(Duration)\n" + SERVER_SPANS_IN_WINDOW;

  /**
   * Server-span latency per service and route (the {@code http.route} attribute, else the span name):
   * columns (service, route, spans, errors, avg ns, [p50, p90, p95, p99] ns exact, max ns).
   */
  public static final String LATENCY =
      """
      SELECT ServiceName,
        if(SpanAttributes['http.route'] != '', SpanAttributes['http.route'], SpanName) AS route,
        count(),
      """
          + ERROR_COUNT
          + """
          ,
            avg(Duration),
            quantilesExact(0.5, 0.9, 0.95, 0.99)(Duration),
            max(Duration)
          """
          + SERVER_SPANS_IN_WINDOW
          + """
          GROUP BY ServiceName, route
          ORDER BY ServiceName, route
          LIMIT 1000
          """;

  /** The latest alerts since {@code from_ns}, newest first. */
  public static final String RECENT_ALERTS =
      """
      SELECT type, severity, message, value, threshold, timestamp, labels, state, fingerprint, started_at,
        resolved_at
      FROM {db:Identifier}.tskotel_alerts
      WHERE timestamp >= fromUnixTimestamp64Nano({from_ns:Int64})
        AND timestamp <= fromUnixTimestamp64Nano({to_ns:Int64})
      ORDER BY timestamp DESC
      LIMIT {limit:UInt32}
      """;
}
