-- The engine writes each column of a part, and each stream of a column (a map's keys, values and offsets, an
-- array's sizes, a LowCardinality's dictionary, a skip index), through a file buffer and a compression buffer
-- of max_compress_block_size each, 1 MiB by default, allocated in full when the part's writer opens. An
-- otel_traces part has about sixty streams, so one insert or merge held ~100+ MiB of buffers whatever its rows:
-- most of the embedded engine's memory under load, and its memory limit's failed writes (Code 241) beside
-- concurrent merges. 256 KiB blocks: the engine's tracked memory at its peak ~0.67x, an insert's ~0.5x, a
-- merge's ~0.63x; CPU per row, compressed bytes per row and the explorer's lookups unchanged within noise
-- (docs/performance.md, "Compression blocks of 256 KiB"). Smaller (128 KiB) compresses spans ~10 % worse.
-- Every table the collector writes in bulk; a table setting is metadata only (parts are written with it from
-- now on). A server too old to know the table setting skips this migration (it is retried at each start).
-- @requires-setting max_compress_block_size

ALTER TABLE ${table:otel_traces}${on_cluster} MODIFY SETTING max_compress_block_size = 262144;

ALTER TABLE ${table:otel_traces_trace_id_ts}${on_cluster} MODIFY SETTING max_compress_block_size = 262144;

ALTER TABLE ${table:otel_logs}${on_cluster} MODIFY SETTING max_compress_block_size = 262144;

ALTER TABLE ${table:otel_metrics_gauge}${on_cluster} MODIFY SETTING max_compress_block_size = 262144;

ALTER TABLE ${table:otel_metrics_sum}${on_cluster} MODIFY SETTING max_compress_block_size = 262144;

ALTER TABLE ${table:otel_metrics_histogram}${on_cluster} MODIFY SETTING max_compress_block_size = 262144;

ALTER TABLE ${table:otel_metrics_exponential_histogram}${on_cluster} MODIFY SETTING max_compress_block_size = 262144;

ALTER TABLE ${table:otel_metrics_summary}${on_cluster} MODIFY SETTING max_compress_block_size = 262144;

ALTER TABLE ${table:tskotel_server_minutes}${on_cluster} MODIFY SETTING max_compress_block_size = 262144;
