-- The alert evaluator writes every state transition of an alert (pending, firing, resolved, ...), and rebuilds
-- its state from these rows after a restart: each row names its alert by fingerprint (rule + labels) and
-- carries when the alert started and, once resolved, when it ended (epoch 0 while it has not). Rows written
-- before this migration read state 'firing' and an empty fingerprint. Adding columns is metadata-only.

ALTER TABLE ${table:tskotel_alerts}${on_cluster}
    ADD COLUMN IF NOT EXISTS state LowCardinality(String) DEFAULT 'firing' CODEC(ZSTD(1)),
    ADD COLUMN IF NOT EXISTS fingerprint String CODEC(ZSTD(1)),
    ADD COLUMN IF NOT EXISTS started_at DateTime64(9) CODEC(Delta, ZSTD(1)),
    ADD COLUMN IF NOT EXISTS resolved_at DateTime64(9) CODEC(Delta, ZSTD(1));

-- @cluster
ALTER TABLE ${dist:tskotel_alerts}${on_cluster}
    ADD COLUMN IF NOT EXISTS state LowCardinality(String) DEFAULT 'firing',
    ADD COLUMN IF NOT EXISTS fingerprint String,
    ADD COLUMN IF NOT EXISTS started_at DateTime64(9),
    ADD COLUMN IF NOT EXISTS resolved_at DateTime64(9);
