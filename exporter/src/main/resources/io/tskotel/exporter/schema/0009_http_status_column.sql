-- otel_traces gains HttpStatus, the larger of the current and the old HTTP status attribute as a number
-- (what migration 6's view keys its rollup on), computed by the engine when a part is written (MATERIALIZED:
-- inserts do not send it, SELECT * does not show it, so Grafana's OTel mode and upstream's readers see the
-- same columns). The dashboard's error rate reads it for the partial minutes at its window's ends instead
-- of the SpanAttributes map: reading the map's bucket of one key decompresses every key and value of that
-- bucket for every row of the granules touched, ~20x the cost of this column (docs/performance.md, "Query
-- latency", dashboardData). A span fails at threshold t when either attribute is >= t, i.e. when the larger
-- is, so answers are those of the map lookups. Parts written before this migration have no such column in
-- their files: the engine computes it from the map when they are read, until merges write it.

ALTER TABLE ${table:otel_traces}${on_cluster}
    ADD COLUMN IF NOT EXISTS HttpStatus Int64 MATERIALIZED
        greatest(toInt64OrZero(SpanAttributes['http.response.status_code']),
                 toInt64OrZero(SpanAttributes['http.status_code'])) CODEC(ZSTD(1));

-- @cluster
ALTER TABLE ${dist:otel_traces}${on_cluster}
    ADD COLUMN IF NOT EXISTS HttpStatus Int64 MATERIALIZED
        greatest(toInt64OrZero(SpanAttributes['http.response.status_code']),
                 toInt64OrZero(SpanAttributes['http.status_code']));
