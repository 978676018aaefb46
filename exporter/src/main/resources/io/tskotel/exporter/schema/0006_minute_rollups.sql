-- Per-minute rollups, so that getMetrics and the dashboard read the whole minutes of a window from a few
-- pre-aggregated rows and only its partial minutes at both ends from the raw rows (docs/performance.md,
-- "Query latency"). Upstream's tables keep their columns for Grafana's OTel mode.
--
-- Gauges: an aggregate projection. It lives and dies with each part (TTL included) and the engine builds it
-- for every part inserted or merged from now on; a part written before this migration has none and the
-- engine reads that part's raw rows instead, so answers stay exact while old parts age out.

ALTER TABLE ${table:otel_metrics_gauge}${on_cluster}
    ADD PROJECTION IF NOT EXISTS minute_values (
        SELECT MetricName, toStartOfMinute(TimeUnix), count(), sum(Value), min(Value), max(Value)
        GROUP BY MetricName, toStartOfMinute(TimeUnix)
    );

-- Server spans: a materialized view into a table of our own. A projection cannot serve the error rate: its
-- key would have to be the HTTP status read from the SpanAttributes map, and the engine never matches a
-- query's map lookup with a projection's (it rewrites the query's lookup to a map subcolumn). The view also
-- keeps only server spans, so client and internal spans cost it nothing but the filter.
-- HttpStatus is the larger of the current and the old status attribute: a span fails at threshold t when
-- either is >= t, i.e. when the larger is. Summing merges fold the rows of one key into one.

CREATE TABLE IF NOT EXISTS ${table:tskotel_server_minutes}${on_cluster} (
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    Minute DateTime CODEC(Delta, ZSTD(1)),
    StatusCode LowCardinality(String) CODEC(ZSTD(1)),
    HttpStatus Int64 CODEC(ZSTD(1)),
    Spans UInt64 CODEC(ZSTD(1)),
    DurationSum UInt64 CODEC(ZSTD(1))
) ENGINE = ${engine:Summing}
PARTITION BY toDate(Minute)
ORDER BY (Minute, ServiceName, StatusCode, HttpStatus)
${ttl:traces:Minute}
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1;

-- @cluster
CREATE TABLE IF NOT EXISTS ${dist:tskotel_server_minutes}${on_cluster} AS ${table:tskotel_server_minutes}
ENGINE = Distributed(${cluster_literal}, ${db_literal}, ${local_literal:tskotel_server_minutes}, rand());

CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.tskotel_server_minutes_mv${on_cluster}
TO ${table:tskotel_server_minutes}
AS SELECT
    ServiceName,
    toStartOfMinute(Timestamp) AS Minute,
    StatusCode,
    greatest(toInt64OrZero(SpanAttributes['http.response.status_code']),
             toInt64OrZero(SpanAttributes['http.status_code'])) AS HttpStatus,
    count() AS Spans,
    sum(Duration) AS DurationSum
FROM ${table:otel_traces}
WHERE SpanKind IN ('Server', 'SPAN_KIND_SERVER')
GROUP BY ServiceName, Minute, StatusCode, HttpStatus;

-- The spans stored before the view existed, once (the table is empty only before this runs: the store
-- migrates before it accepts data). Not on a cluster, where INSERT has no ON CLUSTER: there the dashboard
-- undercounts the spans of the hour before the upgrade until they leave its windows.
-- @single
INSERT INTO ${table:tskotel_server_minutes}
SELECT
    ServiceName,
    toStartOfMinute(Timestamp) AS Minute,
    StatusCode,
    greatest(toInt64OrZero(SpanAttributes['http.response.status_code']),
             toInt64OrZero(SpanAttributes['http.status_code'])) AS HttpStatus,
    count() AS Spans,
    sum(Duration) AS DurationSum
FROM ${table:otel_traces}
WHERE SpanKind IN ('Server', 'SPAN_KIND_SERVER')
  AND (SELECT count() FROM ${table:tskotel_server_minutes}) = 0
GROUP BY ServiceName, Minute, StatusCode, HttpStatus;
