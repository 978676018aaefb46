-- Alerts raised by tskotel's alerting functions.

CREATE TABLE IF NOT EXISTS ${table:tskotel_alerts}${on_cluster} (
    timestamp DateTime64(9) CODEC(Delta, ZSTD(1)),
    type LowCardinality(String) CODEC(ZSTD(1)),
    severity LowCardinality(String) CODEC(ZSTD(1)),
    message String CODEC(ZSTD(1)),
    value Float64 CODEC(ZSTD(1)),
    threshold Float64 CODEC(ZSTD(1)),
    labels Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    INDEX idx_labels_key mapKeys(labels) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_labels_value mapValues(labels) TYPE bloom_filter(0.01) GRANULARITY 1
) ENGINE = ${engine}
PARTITION BY toDate(timestamp)
ORDER BY (type, severity, timestamp)
${ttl:alerts:timestamp}
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1;

-- @cluster
CREATE TABLE IF NOT EXISTS ${dist:tskotel_alerts}${on_cluster} AS ${table:tskotel_alerts}
ENGINE = Distributed(${cluster_literal}, ${db_literal}, ${local_literal:tskotel_alerts}, rand());
