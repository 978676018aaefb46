# shellcheck shell=bash
# Sourced by the memory scripts beside it: a collector from a jar, started with the JVM options `tskotel run`
# would give it (-Xmx from [collector] memory_limit; none when the jar predates them, so an older jar compares)
# and the malloc arenas the tskotel script sets (COLLECTOR_MALLOC_ARENA_MAX, default 2; empty leaves glibc's
# default), COLLECTOR_JAVA_OPTS after them. Needs $java.

# collector_config WORK PORT_BASE [LINES]: prints the collector's configuration: OTLP on PORT_BASE+17 (gRPC) and
# +18 (HTTP), the admin API on +80 and +81, all on loopback; its queue and engine under WORK; LINES (more
# [collector] keys), then COLLECTOR_KEYS and STORAGE_KEYS. A script appends sections of its own after it.
collector_config() {
  local work=$1 port_base=$2 lines=${3:-}
  cat <<TSK
[collector]
host: "127.0.0.1"
grpc_port: $((port_base + 17))
http_port: $((port_base + 18))
queue_dir: "$work/queue"
$lines
${COLLECTOR_KEYS:-}
[admin]
host: "127.0.0.1"
port: $((port_base + 80))
grpc_port: $((port_base + 81))
[storage]
data_path: "$work/chdb"
${STORAGE_KEYS:-}
TSK
}

# collector_start NAME JAR TSK LOG: starts it in the background and sets collector_pid.
collector_start() {
  local name=$1 jar=$2 tsk=$3 log=$4 opts arenas="${COLLECTOR_MALLOC_ARENA_MAX-2}"
  opts="$("$java" -cp "$jar" io.tskotel.collector.cli.JvmOptions -c "$tsk" 2>/dev/null || true)"
  echo "$name: collector from $jar, JVM options: ${opts:-none}, MALLOC_ARENA_MAX=${arenas:-unset}" >&2
  # shellcheck disable=SC2086
  env ${arenas:+MALLOC_ARENA_MAX=$arenas} "$java" --enable-native-access=ALL-UNNAMED $opts ${COLLECTOR_JAVA_OPTS:-} \
    -jar "$jar" run -c "$tsk" > "$log" 2>&1 &
  collector_pid=$!
}

# collector_ready NAME ADMIN_URL LOG: waits up to 2 minutes; says why and returns 1 when it does not come up.
collector_ready() {
  local name=$1 admin=$2 log=$3
  for _ in $(seq 1 240); do
    kill -0 "$collector_pid" 2>/dev/null || break
    # Ours, not another engineer's run on the same PORT_BASE (its /ready would answer while ours failed to bind).
    if grep -q "collector running" "$log" 2>/dev/null && curl -sf "$admin/ready" > /dev/null; then return 0; fi
    sleep 0.5
  done
  echo "$name: the collector did not become ready (ports in use? set PORT_BASE):" >&2
  tail -20 "$log" >&2
  return 1
}

# collector_stop: SIGTERM (a clean stop drains its queue), SIGKILL after a minute.
collector_stop() {
  kill "$collector_pid" 2>/dev/null || return 0
  for _ in $(seq 1 120); do kill -0 "$collector_pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$collector_pid" 2>/dev/null || true
  wait "$collector_pid" 2>/dev/null || true
}
