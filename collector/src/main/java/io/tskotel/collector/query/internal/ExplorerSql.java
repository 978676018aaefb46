package io.tskotel.collector.query.internal;

/**
 * Every SQL text of the trace and log explorer. A statement is assembled only from the constants and
 * numbered placeholders of this class: which filters a search has decides which fragments are joined, the
 * values always travel as {@code {name:Type}} parameters bound by the engine.
 *
 * <p>The WHERE clauses are written for the schema's indexes: {@code ServiceName} and {@code SpanName} lead
 * the traces' sort key; the per-trace time bounds come from {@code otel_traces_trace_id_ts} (sorted by
 * TraceId) so the spans of one trace are read from the days they live in, with the {@code TraceId} bloom
 * filter skipping the rest; attribute filters are {@code Map[key] = value}, which the bloom filters on the
 * maps' keys and values answer; a text token is {@code hasToken(lower(Body), token)}, which the token
 * filter on {@code lower(Body)} answers.
 *
 * <p>Parameters: {@code db} (Identifier), {@code from_ns} / {@code to_ns} (the range, Unix nanoseconds,
 * inclusive), {@code limit}, {@code offset}, {@code ak<i>} / {@code av<i>} (attribute filter i), and per
 * filter as named below.
 */
public final class ExplorerSql {
  private ExplorerSql() {}

  /** The most attribute filters one search may carry. */
  public static final int MAX_ATTRIBUTES = 16;

  /** The most whole-word tokens a substring search also asks the token index for. */
  public static final int MAX_TOKENS = 8;

  /**
   * A failed span as the dashboard counts one: status Error, or a server span whose HTTP status is at or
   * above {@code {threshold:Int64}} ({@link ServiceSql#HTTP_FAILED}: a column, not the attribute map).
   */
  public static final String FAILED =
      "("
          + ServiceSql.ERROR_STATUS
          + " OR ("
          + ServiceSql.SERVER_KIND
          + " AND "
          + ServiceSql.HTTP_FAILED
          + "))";

  // ------------------------------------------------------------------------------------------ trace search

  /** Spans in the range. */
  public static final String SPANS_IN_RANGE =
      "Timestamp >= fromUnixTimestamp64Nano({from_ns:Int64})"
          + " AND Timestamp <= fromUnixTimestamp64Nano({to_ns:Int64})";

  /** {@code {service:String}}. */
  public static final String SPAN_SERVICE = " AND ServiceName = {service:String}";

  /** {@code {name:String}}: the span name or the route. */
  public static final String SPAN_NAME =
      " AND (SpanName = {name:String} OR SpanAttributes['http.route'] = {name:String})";

  public static final String SPAN_FAILED = " AND " + FAILED;

  /** {@code {min_ns:UInt64}}. */
  public static final String SPAN_MIN_DURATION = " AND Duration >= {min_ns:UInt64}";

  /** Attribute filter i on spans: the span's attribute or its resource's. */
  public static String spanAttribute(int i) {
    String k = "{ak" + i + ":String}";
    String v = "{av" + i + ":String}";
    return " AND (SpanAttributes[" + k + "] = " + v + " OR ResourceAttributes[" + k + "] = " + v + ")";
  }

  /**
   * Newest first, within one time slice ({@code from_ns}..{@code to_ns}): the traces with a matching span,
   * ranked by their latest matching span, at most {@code {limit:UInt32}}. Columns (TraceId, latest).
   * {@code where} is {@link #SPANS_IN_RANGE} plus filter fragments of this class. The caller walks slices
   * from the range's end backwards and stops once it has enough traces, so a search for the newest reads
   * the last minutes rather than the whole range.
   */
  public static String newestTraces(String where) {
    return "SELECT TraceId, max(Timestamp) AS latest\n"
        + "FROM {db:Identifier}.otel_traces\n"
        + "WHERE TraceId != '' AND "
        + where
        + "\nGROUP BY TraceId\n"
        + "ORDER BY latest DESC, TraceId\n"
        + "LIMIT {limit:UInt32}";
  }

  /**
   * Slowest first: the traces with a matching span in the range, ranked by their longest matching span, a
   * page of {@code {limit:UInt32}} from {@code {offset:UInt32}}. Columns (TraceId, longest ns).
   */
  public static String slowestTraces(String where) {
    return "SELECT TraceId, max(Duration) AS longest\n"
        + "FROM {db:Identifier}.otel_traces\n"
        + "WHERE TraceId != '' AND "
        + where
        + "\nGROUP BY TraceId\n"
        + "ORDER BY longest DESC, TraceId\n"
        + "LIMIT {limit:UInt32} OFFSET {offset:UInt32}";
  }

  /**
   * One line per trace of {@code {ids:Array(String)}}, over all its spans: columns (TraceId, root span id,
   * service, name, start, duration ns, spans, failed spans, services, end). The root is the span without
   * a parent, else the earliest; the time bounds come from the trace-id table. The bounds are cast to
   * DateTime64(9) before comparing: chDB 26.7 answered {@code Timestamp < <DateTime>} wrongly (no rows) for
   * sub-second timestamps in the trace-id table's last second (ExplorerEndToEndTest found it).
   */
  public static final String TRACE_SUMMARIES =
      """
      WITH (SELECT (toDateTime64(min(Start), 9), toDateTime64(max(End) + 1, 9))
            FROM {db:Identifier}.otel_traces_trace_id_ts WHERE TraceId IN {ids:Array(String)}) AS bounds
      SELECT TraceId,
        argMin(SpanId, (ParentSpanId != '', Timestamp)),
        argMin(ServiceName, (ParentSpanId != '', Timestamp)),
        argMin(SpanName, (ParentSpanId != '', Timestamp)),
        argMin(Timestamp, (ParentSpanId != '', Timestamp)),
        argMin(Duration, (ParentSpanId != '', Timestamp)),
        count(),
        countIf("""
          + FAILED
          + """
          ),
            arraySort(groupUniqArray(ServiceName))
          FROM {db:Identifier}.otel_traces
          WHERE TraceId IN {ids:Array(String)}
            AND Timestamp >= bounds.1 AND Timestamp < bounds.2
          GROUP BY TraceId
          """;

  // ------------------------------------------------------------------------------------------ trace by id

  /**
   * The spans of trace {@code {trace_id:String}}, earliest first, at most {@code {limit:UInt32}}: columns
   * (Timestamp, SpanId, ParentSpanId, ServiceName, SpanName, SpanKind, Duration, StatusCode, StatusMessage,
   * SpanAttributes, ResourceAttributes, Events.Timestamp, Events.Name, Events.Attributes, Links.TraceId,
   * Links.SpanId, Links.Attributes).
   */
  public static final String TRACE_SPANS =
      """
      WITH (SELECT (toDateTime64(min(Start), 9), toDateTime64(max(End) + 1, 9))
            FROM {db:Identifier}.otel_traces_trace_id_ts WHERE TraceId = {trace_id:String}) AS bounds
      SELECT Timestamp, SpanId, ParentSpanId, ServiceName, SpanName, SpanKind, Duration, StatusCode,
        StatusMessage, SpanAttributes, ResourceAttributes, Events.Timestamp, Events.Name, Events.Attributes,
        Links.TraceId, Links.SpanId, Links.Attributes
      FROM {db:Identifier}.otel_traces
      WHERE TraceId = {trace_id:String}
        AND Timestamp >= bounds.1 AND Timestamp < bounds.2
      ORDER BY Timestamp, SpanId
      LIMIT {limit:UInt32}
      """;

  // ------------------------------------------------------------------------------------------ logs

  /** The log columns every log query returns, in this order. */
  public static final String LOG_COLUMNS =
      "SELECT Timestamp, ServiceName, SeverityText, SeverityNumber, Body, TraceId, SpanId, LogAttributes,"
          + " ResourceAttributes\nFROM {db:Identifier}.otel_logs\n";

  public static final String LOGS_IN_RANGE =
      "WHERE Timestamp >= fromUnixTimestamp64Nano({from_ns:Int64})"
          + " AND Timestamp <= fromUnixTimestamp64Nano({to_ns:Int64})";

  /** {@code {before_ns:Int64}}: strictly older. */
  public static final String LOG_BEFORE = " AND Timestamp < fromUnixTimestamp64Nano({before_ns:Int64})";

  /** {@code {after_ns:Int64}}: strictly newer. */
  public static final String LOG_AFTER = " AND Timestamp > fromUnixTimestamp64Nano({after_ns:Int64})";

  public static final String LOG_SERVICE = " AND ServiceName = {service:String}";

  /**
   * At least severity {@code {severity:UInt8}} (an OTel SeverityNumber); a record without a number counts
   * by its text, one of {@code {severity_texts:Array(String)}} (upper case).
   */
  public static final String LOG_SEVERITY =
      " AND (SeverityNumber >= {severity:UInt8}"
          + " OR (SeverityNumber = 0 AND upper(SeverityText) IN {severity_texts:Array(String)}))";

  public static final String LOG_TRACE_ID = " AND TraceId = {trace_id:String}";

  /** Whole-token match {@code {q:String}} (ASCII lower case), answered by the token index. */
  public static final String LOG_TOKEN = " AND hasToken(lower(Body), {q:String})";

  /** Case-insensitive substring {@code {q:String}}. */
  public static final String LOG_SUBSTRING = " AND positionCaseInsensitiveUTF8(Body, {q:String}) > 0";

  /** Token i of a substring search that the body must hold whole: lets the token index skip granules. */
  public static String logToken(int i) {
    return " AND hasToken(lower(Body), {qt" + i + ":String})";
  }

  /** Attribute filter i on logs: the record's attribute or its resource's. */
  public static String logAttribute(int i) {
    String k = "{ak" + i + ":String}";
    String v = "{av" + i + ":String}";
    return " AND (LogAttributes[" + k + "] = " + v + " OR ResourceAttributes[" + k + "] = " + v + ")";
  }

  /** Newest first, at most {@code {limit:UInt32}}. */
  public static final String LOGS_NEWEST_FIRST = "\nORDER BY Timestamp DESC\nLIMIT {limit:UInt32}";

  /** Oldest first, at most {@code {limit:UInt32}} (a trace's logs). */
  public static final String LOGS_OLDEST_FIRST = "\nORDER BY Timestamp\nLIMIT {limit:UInt32}";
}
