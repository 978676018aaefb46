#!/usr/bin/env bash
# Memory under the heaviest legal load: N concurrent OTLP/gRPC log exports of ~15 MB each (under the 16 MiB
# message limit), sent by `tskotel loadgen` to a collector started from JAR (default: this checkout's), on
# loopback ports of its own. Prints the collector's peak resident memory (VmHWM) and the loadgen's summary
# (acknowledged, refused, retried; committed rows once drained), so acknowledged == stored can be checked.
#
#   collector/src/test/bench/big-exports.sh [JAR] [REQUESTS]     (docs/performance.md, "Memory")
#
# PROTOCOL (default grpc; http-protobuf, http-json) and ITEMS (log records per request, default 75,000) choose
# the requests: PROTOCOL=http-json ITEMS=25000 sends ~15 MB OTLP JSON bodies, which the collector parses into
# objects.
# COLLECTOR_KEYS adds [collector] lines (e.g. 'max_bytes_in_flight: "64MiB"'), STORAGE_KEYS [storage] lines
# (e.g. 'batch_max_items: 20000'), COLLECTOR_JAVA_OPTS JVM options;
# LOADGEN_JAR runs the load generator from another jar (default JAR), so two collectors meet the same client;
# DRAIN_TIMEOUT (default 300s) how long it follows the store after the last answer. What is not written by then
# is still queued (durable): the last line counts it, so that accepted = written + queued can be checked. With
# COLLECTOR_JAVA_OPTS=-XX:NativeMemoryTracking=summary it also prints the collector's memory at its peak.
# The collector runs with the JVM options the tskotel script would give it (-Xmx from [collector]
# memory_limit), or with none when the jar predates them (a before/after comparison runs an older jar).
set -euo pipefail
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
jar="${1:-$root/collector/target/tskotel.jar}"
requests="${2:-100}"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
work="$(mktemp -d /tmp/tskotel-big-exports.XXXXXX)"
port_base="${PORT_BASE:-24300}"
# shellcheck source=collector-lib.sh
source "$(dirname "$0")/collector-lib.sh"
collector_config "$work" "$port_base" $'queue_fsync: "never"\nself_telemetry_interval: "0s"' > "$work/collector.tsk"
collector_start big-exports "$jar" "$work/collector.tsk" "$work/collector.log"
pid=$collector_pid
stop() {
  collector_stop
  rm -rf "$work"
}
trap stop EXIT
collector_ready big-exports "http://127.0.0.1:$((port_base + 80))" "$work/collector.log" || exit 1
# 75,000 log records of ~200 bytes: ~15 MB per request; every request in flight at once.
protocol="${PROTOCOL:-grpc}"
port=$((port_base + 17)); [[ "$protocol" == grpc ]] || port=$((port_base + 18))
"$java" -Xmx6g -jar "${LOADGEN_JAR:-$jar}" loadgen --signal logs --protocol "$protocol" \
  --endpoint "http://127.0.0.1:$port" --status-url "http://127.0.0.1:$((port_base + 80))/status" \
  --items "${ITEMS:-75000}" --in-flight "$requests" --connections 4 --requests "$requests" --max-retries 1000 \
  --duration 10m --drain-timeout "${DRAIN_TIMEOUT:-300s}" &
loadgen=$!
# The load generator's own peak (its gRPC client holds what it sends), sampled: VmHWM goes with the process.
# With NMT on, the collector's breakdown is taken at each new peak of its RSS (10 MiB above the last one):
# native memory by category, heap used vs committed, and anonymous vs file-backed resident memory.
jcmd="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jcmd"
nmt=0; [[ "${COLLECTOR_JAVA_OPTS:-}" == *NativeMemoryTracking* ]] && nmt=1
loadgen_peak=0
collector_peak=0
while kill -0 "$loadgen" 2>/dev/null; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$loadgen/status" 2>/dev/null || echo 0)
  (( ${rss:-0} > loadgen_peak )) && loadgen_peak=$rss
  crss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  if (( nmt && ${crss:-0} > collector_peak + 10240 )); then
    collector_peak=$crss
    { echo "at $(date +%T), RSS $((crss / 1024)) MiB:"; grep -E "^(Rss|Pss_Anon|Pss_File)" "/proc/$pid/smaps_rollup"
      "$jcmd" "$pid" VM.native_memory summary | grep -E "^(Total|-)" | grep -v "committed=0KB"
      "$jcmd" "$pid" GC.heap_info | sed -n 2p; } > "$work/peak.tmp" 2>/dev/null && mv "$work/peak.tmp" "$work/peak.txt"
  fi
  sleep 1
done
wait "$loadgen" || echo "big-exports: the load generator did not finish cleanly" >&2
echo "big-exports: load generator peak RSS $((loadgen_peak / 1024)) MiB (sampled each second)"
if (( nmt )); then
  echo "big-exports: the collector at its sampled peak (anonymous memory beyond NMT's total is the engine's malloc):"
  cat "$work/peak.txt" 2>/dev/null || true
  echo "big-exports: the collector at the end:"
  "$jcmd" "$pid" VM.native_memory summary | grep -E "^(Total|-)" | grep -v "committed=0KB"
  grep -E "^(Rss|Pss_Anon|Pss_File)" /proc/$pid/smaps_rollup
fi
echo "big-exports: collector peak RSS $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$pid/status)," \
  "heap max $(curl -s "http://127.0.0.1:$((port_base + 80))/status" | grep -o '"heap_max_bytes":[0-9]*' | cut -d: -f2)"
curl -s "http://127.0.0.1:$((port_base + 80))/metrics" | grep -E '^tskotel_(refused_requests_total|accepted_items_total|written_items_total|failed_requests_total)\{.*signal="logs"' | grep -v ' 0$' || true
curl -s "http://127.0.0.1:$((port_base + 80))/status" | grep -o '"logs":{[^}]*}' | grep -oE '"(queue_records|accepted_items|written_items)":[0-9]+' | tr '\n' ' '
echo "(logs at the end; a queued record is one request of 75,000 records)"
echo "big-exports: the collector's warnings and errors (count, message without its time):"
grep -E ' (WARN|ERROR) ' "$work/collector.log" | cut -d' ' -f3- | cut -c1-200 | sort | uniq -c | sort -rn | head -10 || true
