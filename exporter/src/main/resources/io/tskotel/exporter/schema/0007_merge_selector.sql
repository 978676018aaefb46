-- Background merges cost the embedded engine about as much CPU per row as the insert itself: every batch is a
-- part, and the Simple merge selector with its default base 5 rewrites each row many times on the way from
-- small parts to large ones. Base 10 merges about twice as many parts at once, so each row is rewritten fewer
-- times, for more active parts in a partition at any moment (the selector still lowers its base towards 1 as
-- a partition's parts grow in number or age, so their count stays bounded). Measured at a steady state
-- (docs/performance.md, "Merges at a steady state"): the merge threads' CPU per row ~0.65x, the process's CPU
-- per ingested row ~0.86x; the explorer's, dashboard's and Grafana's queries ~1.05x on average, within the
-- shared machine's noise (a whole-table count() reads every part: 1.1-1.8x).
-- The tables that hold the rows: spans, log records, gauge points. Not otel_traces_trace_id_ts (trace by
-- id's lookup reads every part of it) nor the per-minute rollup: their merges are cheap, their part counts
-- are what point lookups and the dashboard read. A table setting is metadata only: no part is rewritten.

ALTER TABLE ${table:otel_traces}${on_cluster} MODIFY SETTING merge_selector_base = 10;

ALTER TABLE ${table:otel_logs}${on_cluster} MODIFY SETTING merge_selector_base = 10;

ALTER TABLE ${table:otel_metrics_gauge}${on_cluster} MODIFY SETTING merge_selector_base = 10;
