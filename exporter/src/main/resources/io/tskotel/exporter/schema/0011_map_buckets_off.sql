-- Takes back migration 8: otel_traces' maps return to the engine's defaults (map_serialization_version
-- 'basic', and buckets only for maps of 32 keys or more on average, which spans do not reach). Measured end
-- to end on 2 cores (tskotel bench, traces, 14 runs alternated, docs/performance.md "Migration 11"): with
-- buckets the merges rewrote every span's maps into buckets at every merge level; without them the engine
-- spent 0.76x the CPU per committed span in the warm burst (every run below every run with them) and the
-- collector committed 1.22x the spans per second. Their gain was one-key reads on merged parts (0.37-0.55x
-- the time); since migration 9 nothing of ours on a hot path reads one attribute, and an operator who wants
-- the trade back can set the three settings again (docs/operations.md). Metadata only: parts merged into
-- buckets stay so until a merge rewrites them.
-- @requires-setting map_serialization_version
-- @requires-setting map_serialization_version_for_zero_level_parts
-- @requires-setting map_buckets_min_avg_size

ALTER TABLE ${table:otel_traces}${on_cluster}
    RESET SETTING map_serialization_version, map_serialization_version_for_zero_level_parts,
        map_buckets_min_avg_size;
