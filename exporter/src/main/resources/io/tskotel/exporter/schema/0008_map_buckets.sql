-- otel_traces' attribute maps in buckets of keys (MergeTree map_serialization_version = 'with_buckets'): a
-- lookup of one key (SpanAttributes['http.response.status_code'], a Grafana filter or group-by on one
-- attribute, the explorer's attribute search) reads the one bucket that holds the key instead of the whole
-- map. Only merged parts: the parts an insert writes stay basic (the insert path pays nothing), merges
-- rewrite them. map_buckets_min_avg_size = 0: by default maps of fewer than 32 keys on average keep a
-- single bucket, and spans carry ~15-20 attributes. A storage setting only: readers (Grafana's OTel mode)
-- see the same columns and answers; existing parts change as merges rewrite them. docs/performance.md,
-- "Query latency", has the measurements (query time saved, merge CPU paid). The settings exist from
-- ClickHouse 26.3.2 on: a server that does not know them skips this migration (it is retried at each start).
-- @requires-setting map_serialization_version
-- @requires-setting map_serialization_version_for_zero_level_parts
-- @requires-setting map_buckets_min_avg_size

ALTER TABLE ${table:otel_traces}${on_cluster}
    MODIFY SETTING map_serialization_version = 'with_buckets',
        map_serialization_version_for_zero_level_parts = 'basic',
        map_buckets_min_avg_size = 0;
