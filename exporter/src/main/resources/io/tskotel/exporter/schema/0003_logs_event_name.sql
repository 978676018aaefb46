-- OTLP 1.5 gave log records an event name; upstream's otel_logs gained the EventName column for it.
-- Adding a column is metadata-only: existing rows read the default ''.

ALTER TABLE ${table:otel_logs}${on_cluster} ADD COLUMN IF NOT EXISTS EventName String CODEC(ZSTD(1));

-- @cluster
ALTER TABLE ${dist:otel_logs}${on_cluster} ADD COLUMN IF NOT EXISTS EventName String;
