#!/usr/bin/env bash
# `mesos execute` against a local bundled cluster (one master, one agent).
# Budgets: `mesos execute --command true` start-to-exit median under 500 ms
# over RUNS runs (default 20); an idle `execute` waiting on a long task uses
# under 1% of one core (measured over IDLE seconds, default 20, with and
# without --follow). Usage: bench/execute.sh [RUNS] [IDLE]
# PROFILE=debug measures the debug build (no release build needed).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
runs=${1:-20}
idle=${2:-20}
profile=${PROFILE:-release}
if [ "$profile" = release ]; then
  cargo build --release --locked -q --bin mesos
else
  cargo build --locked -q --bin mesos
fi
bin=$target_dir/$profile/mesos
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.3; rm -rf "$tmp"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 200); do curl -sf -o /dev/null "$1" && return 0; sleep 0.05; done; echo "no answer from $1" >&2; exit 1; }

mp=$(free_port); ap=$(free_port)
$bin master --ip=127.0.0.1 --port="$mp" --registry=in_memory >"$tmp/master.log" 2>&1 & pids+=($!)
wait_http "http://127.0.0.1:$mp/master/health"
$bin agent --master="127.0.0.1:$mp" --ip=127.0.0.1 --port="$ap" --work_dir="$tmp/agent" \
  --resources='cpus:4;mem:4096;disk:4096' >"$tmp/agent.log" 2>&1 & pids+=($!)
for _ in $(seq 1 200); do
  curl -sf "http://127.0.0.1:$mp/master/slaves" | grep -q '"id"' && break; sleep 0.05
done
master=127.0.0.1:$mp
echo "profile: $profile ($bin)"

# 1. Start-to-exit latency of a trivial task.
for _ in 1 2 3; do $bin execute --master "$master" -q --command true; done # warm up
times=()
for _ in $(seq 1 "$runs"); do
  t0=$(date +%s%N)
  $bin execute --master "$master" -q --command true
  t1=$(date +%s%N)
  times+=($(( (t1 - t0) / 1000 )))
done
printf '%s\n' "${times[@]}" | python3 -c '
import sys, statistics
t = sorted(int(x) / 1000 for x in sys.stdin.read().split())
med = statistics.median(t)
print(f"execute --command true: median {med:.1f} ms, min {t[0]:.1f} ms, max {t[-1]:.1f} ms ({len(t)} runs)")
print("budget median < 500 ms:", "PASS" if med < 500 else "FAIL")
'

# 2. CPU of an idle execute waiting on a long task (without and with --follow).
hz=$(getconf CLK_TCK)
for mode in plain follow; do
  extra=()
  [ "$mode" = follow ] && extra=(--follow)
  $bin execute --master "$master" -q --name "idle-$mode" --command "sleep $((idle + 30))" "${extra[@]}" \
    >"$tmp/idle-$mode.out" 2>&1 &
  pid=$!; pids+=($pid)
  for _ in $(seq 1 200); do
    curl -sf "http://127.0.0.1:$mp/master/tasks?task_id=idle-$mode" | grep -q TASK_RUNNING && break; sleep 0.05
  done
  sleep 1
  c0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  sleep "$idle"
  c1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  python3 -c "
ticks, hz, secs = $c1 - $c0, $hz, $idle
pct = 100.0 * ticks / hz / secs
print(f'idle execute ($mode): {pct:.2f}% of one core over {secs} s ({ticks} ticks)')
print('budget < 1%:', 'PASS' if pct < 1.0 else 'FAIL')
"
  kill -INT "$pid"; wait "$pid" || true
done
