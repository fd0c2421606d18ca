#!/usr/bin/env bash
# /master/state and GET_STATE latency of the bundled master with many tasks:
# one master, AGENTS fake agents and TASKS running tasks (examples/bench_master,
# held up with BENCH_HOLD_SECS), then N timed curl requests of each body.
# Prints the medians and the body sizes. Compare two builds by passing their
# binaries: bench/master-state.sh [AGENTS] [TASKS] [N] [MESOS_BIN].
# Usage: bench/master-state.sh 30 3000 10
set -euo pipefail
cd "$(dirname "$0")/.."
agents=${1:-100}
tasks=${2:-10000}
n=${3:-10}
target_dir=${CARGO_TARGET_DIR:-target}
profile=${PROFILE:-release}
flag=$([ "$profile" = release ] && echo --release || true)
cargo build $flag --locked -q --bin mesos --example bench_master
bin=${4:-$target_dir/$profile/mesos}
bench=$target_dir/$profile/examples/bench_master
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" master --ip=127.0.0.1 --port="$port" --registry=in_memory --logging_level=WARNING >"$tmp/m.log" 2>&1 & pids+=($!); m=$!
for _ in $(seq 1 200); do curl -sf -o /dev/null "http://127.0.0.1:$port/master/health" && break; sleep 0.05; done
BENCH_HOLD_SECS=600 "$bench" "127.0.0.1:$port" "$agents" "$tasks" "$m" >"$tmp/b.txt" 2>&1 & pids+=($!)
for _ in $(seq 1 1200); do grep -q '^holding' "$tmp/b.txt" && break; sleep 0.5; done
grep -E '^(tasks_running|state_plain_ms_median)' "$tmp/b.txt" || { cat "$tmp/b.txt" >&2; exit 1; }
median() { sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]*1000}'; }
url="http://127.0.0.1:$port"
state_ms=$(for _ in $(seq 1 "$n"); do curl -s -o /dev/null -w '%{time_total}\n' "$url/master/state"; done | median)
v1_ms=$(for _ in $(seq 1 "$n"); do curl -s -o /dev/null -w '%{time_total}\n' -X POST -H 'Content-Type: application/json' -d '{"type":"GET_STATE"}' "$url/master/api/v1"; done | median)
state_bytes=$(curl -s "$url/master/state" | wc -c)
v1_bytes=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"type":"GET_STATE"}' "$url/master/api/v1" | wc -c)
echo "master_state_curl_ms_median: $state_ms ($state_bytes bytes, $tasks tasks)"
echo "get_state_curl_ms_median: $v1_ms ($v1_bytes bytes)"
