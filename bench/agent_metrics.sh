#!/usr/bin/env bash
# The agent as a metrics source: CPU cost of the metrics endpoints.
# Budget: "the metrics endpoints cost the agent under 1% of one core at one
# request per second". A release master + agent and one running task; the
# agent's CPU time (utime+stime of /proc/<pid>/stat, all threads, including
# the 5 s background node sampler) is measured over WINDOW seconds idle, then
# over WINDOW seconds while /system/v1/metrics/v0/node,
# /system/v1/metrics/v0/containers/<id> and /metrics/prometheus are each hit
# once per second. The endpoints' cost is (loaded - idle) / WINDOW.
# Usage: bench/agent_metrics.sh [WINDOW_SECS]   (default 60)
#        PROFILE=debug bench/agent_metrics.sh     (a debug build: an upper bound)
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
window=${1:-60}
profile=${PROFILE:-release}
if [ "$profile" = release ]; then
  cargo build --release --locked -q --bin mesos
else
  cargo build --locked -q --bin mesos
fi
bin=$target_dir/$profile/mesos
echo "profile: $profile"
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.5; rm -rf "$tmp"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 200); do curl -sf -o /dev/null "$1" && return 0; sleep 0.05; done; echo "no answer from $1" >&2; exit 1; }
# utime + stime of a process (all threads), in clock ticks.
cpu_ticks() { awk '{ i = index($0, ") "); split(substr($0, i + 2), f, " "); print f[12] + f[13] }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

mp=$(free_port); ap=$(free_port)
$bin master --ip=127.0.0.1 --port="$mp" --registry=in_memory --logging_level=WARNING >"$tmp/m.log" 2>&1 & pids+=($!)
wait_http "http://127.0.0.1:$mp/master/health"
$bin agent --master="127.0.0.1:$mp" --ip=127.0.0.1 --port="$ap" --work_dir="$tmp/agent" --logging_level=WARNING >"$tmp/a.log" 2>&1 & pids+=($!); agent=$!
wait_http "http://127.0.0.1:$ap/slave(1)/health"
a="http://127.0.0.1:$ap"
MESOS_MASTER="127.0.0.1:$mp" $bin execute --name bench-metrics --command 'sleep 100000' --detach >/dev/null 2>"$tmp/exec.log"
cid=""
for _ in $(seq 1 200); do
  cid=$(curl -sf "$a/system/v1/metrics/v0/containers" | python3 -c 'import json,sys; l=json.load(sys.stdin); print(l[0] if l else "")')
  [ -n "$cid" ] && break; sleep 0.1
done
[ -n "$cid" ] || { echo "no container appeared" >&2; cat "$tmp/exec.log" >&2; exit 1; }
sleep 6 # first node sample and first sandbox walk

t0=$(cpu_ticks "$agent"); sleep "$window"; t1=$(cpu_ticks "$agent")
idle=$((t1 - t0))
t0=$(cpu_ticks "$agent")
end=$((SECONDS + window))
while [ $SECONDS -lt $end ]; do
  s=$(date +%s.%N)
  curl -sf -o /dev/null "$a/system/v1/metrics/v0/node"
  curl -sf -o /dev/null "$a/system/v1/metrics/v0/containers/$cid"
  curl -sf -o /dev/null "$a/metrics/prometheus"
  sleep "$(python3 -c "import time; print(max(0.0, 1.0 - (time.time() - $s)))")"
done
t1=$(cpu_ticks "$agent")
loaded=$((t1 - t0))
python3 - "$idle" "$loaded" "$window" "$hz" <<'PY'
import sys
idle, loaded, window, hz = (float(x) for x in sys.argv[1:])
print(f"window_secs: {window:.0f}")
print(f"agent_cpu_idle_pct_of_core: {idle / hz / window * 100:.3f}")
print(f"agent_cpu_loaded_pct_of_core: {loaded / hz / window * 100:.3f}")
print(f"metrics_endpoints_cost_pct_of_core: {(loaded - idle) / hz / window * 100:.3f}  (budget < 1)")
PY
