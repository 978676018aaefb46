#!/usr/bin/env bash
# Memory under the three signals at once: one `tskotel loadgen` per signal (traces, metrics, logs; each its own
# process, as three services would be) sending at their max rate together for DURATION into one collector
# started from JAR (default: this checkout's) with its default settings, on loopback ports of its own. Every
# 0.5 s it samples the collector's resident memory (anonymous and file-backed) and, through the collector's
# ClickHouse HTTP endpoint, the engine's tracked memory, its running merges and INSERTs, and its allocator's
# resident and freed-but-held memory; at the end it prints
# the peaks, the sample at the resident peak, VmHWM, each load generator's summary and the collector's
# pushback counters. `tskotel bench` sends the signals one after another; this is the harder case.
#
#   collector/src/test/bench/all-signals.sh [JAR]        (docs/performance.md, "All three signals at once")
#
# DURATION (default 90s), PORT_BASE (default 24500), COLLECTOR_KEYS / STORAGE_KEYS for [collector] / [storage]
# lines, COLLECTOR_JAVA_OPTS JVM options, COLLECTOR_MALLOC_ARENA_MAX (default 2); the collector gets the JVM
# options that the tskotel script gives `tskotel run`.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
jar="${1:-$root/collector/target/tskotel.jar}"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
work="$(mktemp -d /tmp/tskotel-all-signals.XXXXXX)"
port_base="${PORT_BASE:-24500}"
admin="http://127.0.0.1:$((port_base + 80))"
ch="http://127.0.0.1:$((port_base + 23))/"
# A throwaway read-only password for this run's engine endpoint, handed over through the environment.
export ALL_SIGNALS_CH_PASSWORD="$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
# shellcheck source=collector-lib.sh
source "$(dirname "$0")/collector-lib.sh"
{
  collector_config "$work" "$port_base"
  cat <<TSK
[clickhouse_http]
enabled: true
host: "127.0.0.1"
port: $((port_base + 23))
readonly_user: "bench"
readonly_password: @env("ALL_SIGNALS_CH_PASSWORD", "")
TSK
} > "$work/collector.tsk"
collector_start all-signals "$jar" "$work/collector.tsk" "$work/collector.log"
pid=$collector_pid
sampler=""
stop() {
  [[ -n "$sampler" ]] && kill "$sampler" 2>/dev/null
  collector_stop
  rm -rf "$work"
}
trap stop EXIT
collector_ready all-signals "$admin" "$work/collector.log" || exit 1
# The allocator's figures as AllocatorStats reads them from jemalloc's own report (resident; freed and held).
# Printing that report twice a second slows the engine's inserts (docs/performance.md, "The engine's
# allocator"): compare this script's runs with each other, not with tskotel bench's.
engine_sql="SELECT (SELECT value FROM system.metrics WHERE metric = 'MemoryTracking'),
  (SELECT count() FROM system.merges), (SELECT sum(memory_usage) FROM system.merges),
  (SELECT sum(memory_usage) FROM system.processes WHERE query ILIKE 'INSERT%'),
  toUInt64OrZero(extract(stats, '[)], resident: ([0-9]+)')),
  toUInt64OrZero(extract(stats, 'dirty: +[^ ]+ +([0-9]+)')) * toUInt64OrZero(extract(stats, 'Page size: ([0-9]+)'))
  FROM system.jemalloc_stats FORMAT TSV"
# One line per sample: RSS, anonymous, file-backed (KiB); engine tracked, merges, merges' and INSERTs' memory,
# the engine allocator's resident and freed-but-held bytes.
(
  while kill -0 "$pid" 2>/dev/null; do
    e="$(curl -s -u "bench:$ALL_SIGNALS_CH_PASSWORD" "$ch" --data-binary "$engine_sql" 2>/dev/null || true)"
    m="$(awk '/^(VmRSS|RssAnon|RssFile):/{printf "%s ", $2}' "/proc/$pid/status" 2>/dev/null || true)"
    [[ -n "$e" && -n "$m" ]] && echo "$m$e"
    sleep 0.5
  done
) > "$work/samples.txt" &
sampler=$!
loadgens=()
for signal in traces metrics logs; do
  "$java" -jar "$jar" loadgen --signal "$signal" --endpoint "http://127.0.0.1:$((port_base + 17))" \
    --status-url "$admin/status" --duration "${DURATION:-90s}" --drain-timeout 400s > "$work/loadgen-$signal.txt" 2>&1 &
  loadgens+=($!)
done
wait "${loadgens[@]}"
for signal in traces metrics logs; do
  echo "== $signal"
  grep -E "^loadgen: [0-9,]+ requests|store committed|still unanswered" "$work/loadgen-$signal.txt" || true
done
echo "== the collector"
awk '{ mib = 1048576
       if ($1 > rss) { rss = $1; at = sprintf("anonymous %d MiB, file-backed %d MiB, engine %d MiB, %d merges %d MiB, INSERTs %d MiB, allocator resident %d MiB, freed %d MiB", $2/1024, $3/1024, $4/mib, $5, $6/mib, $7/mib, $8/mib, $9/mib) }
       if ($4 > eng) eng = $4; if ($6 > mrg) mrg = $6; if ($7 > ins) ins = $7; if ($9 > fr) fr = $9; sfr += $9; n++ }
     END { printf "sampled peaks: RSS %d MiB (%s); engine %d MiB, merges %d MiB, INSERTs %d MiB; allocator freed %d MiB, %d on average\n", rss/1024, at, eng/1048576, mrg/1048576, ins/1048576, fr/1048576, n ? sfr/n/1048576 : 0 }' \
  "$work/samples.txt"
awk '/^VmHWM/{printf "VmHWM %d MiB\n", $2/1024}' "/proc/$pid/status"
# Pushback over the run, summed over the signals (/status counts them per signal).
curl -s "$admin/status" | grep -o '"\(refused_items\|refused_requests\|store_errors_retryable\|store_errors_permanent\)":[0-9]*' \
  | tr -d '"' | awk -F: '{ n[$1] += $2 } END { for (k in n) printf "status: %s %d\n", k, n[k] }' | sort || true
echo "memory guard refusals logged: $(grep -c 'over the soft limit\|over the hard limit' "$work/collector.log" || true)"
