#!/usr/bin/env bash
# Operator GET_STATE as protobuf vs JSON at TASKS tasks (docs/benchmarks.md#protobuf-on-the-v1-apis-benchprotobufsh).
# Budget: protobuf at least 2x faster than JSON at 10,000 tasks.
#  1. Encoding (always): examples/bench_proto serializes one typed GetState
#     (TASKS tasks with resources, two statuses and labels each, AGENTS agents)
#     ROUNDS times each way, as the master's snapshot render does.
#  2. Served (HTTP=1): a master with AGENTS fake agents and TASKS running tasks
#     (examples/bench_master); every sample first changes the state (a refused
#     scheduler call counts in the metrics) and waits out the snapshot pacing,
#     so each timed request copies the state and renders its body afresh.
# Exits 1 when protobuf is not served 2x faster (HTTP=1, the default). The
# encoding figures (1.) time the generic encoder on a typed value, which the
# master no longer uses for GET_STATE in protobuf (it writes it straight
# from the state, src/master/render/proto.rs): they are shown, not judged.
# Usage: bench/protobuf.sh [AGENTS] [TASKS] [ROUNDS]   (PROFILE=debug: debug build;
# MESOS_BIN=PATH: serve with that binary, e.g. to compare two builds)
set -euo pipefail
cd "$(dirname "$0")/.."
agents=${1:-100}
tasks=${2:-10000}
n=${3:-15}
target_dir=${CARGO_TARGET_DIR:-target}
profile=${PROFILE:-release}
flag=$([ "$profile" = release ] && echo --release || true)
cargo build $flag --locked -q --example bench_proto
out=$("$target_dir/$profile/examples/bench_proto" "$tasks" "$agents" "$n")
echo "$out"
speedup=$(echo "$out" | sed -n 's/^protobuf_speedup: \([0-9.]*\)x$/\1/p')
fail=0
echo "(generic encoder on a typed value: ${speedup}x, not judged)"
[ "${HTTP:-1}" = 1 ] || exit 0
cargo build $flag --locked -q --bin mesos --example bench_master
bin=${MESOS_BIN:-$target_dir/$profile/mesos}
bench=$target_dir/$profile/examples/bench_master
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" master --ip=127.0.0.1 --port="$port" --registry=in_memory --logging_level=WARNING >"$tmp/m.log" 2>&1 & pids+=($!); m=$!
for _ in $(seq 1 200); do curl -sf -o /dev/null "http://127.0.0.1:$port/master/health" && break; sleep 0.05; done
BENCH_HOLD_SECS=900 "$bench" "127.0.0.1:$port" "$agents" "$tasks" "$m" >"$tmp/b.txt" 2>&1 & pids+=($!)
for _ in $(seq 1 2400); do grep -q '^holding' "$tmp/b.txt" && break; sleep 0.5; done
grep -E '^tasks_running' "$tmp/b.txt" || { cat "$tmp/b.txt" >&2; exit 1; }
url="http://127.0.0.1:$port"
# GET_STATE as a protobuf mesos.v1.master.Call {type: GET_STATE (9)}.
printf '\x08\x09' >"$tmp/call.pb"
bump() {
    curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \
        -d '{"type":"REVIVE","framework_id":{"value":"bench-none"}}' "$url/api/v1/scheduler"
    sleep 0.3
}
json_once() {
    curl -s -o "$tmp/state.json" -w '%{time_total}\n' -X POST -H 'Content-Type: application/json' \
        -d '{"type":"GET_STATE"}' "$url/api/v1"
}
pb_once() {
    curl -s -o "$tmp/state.pb" -w '%{time_total}\n' -X POST -H 'Content-Type: application/x-protobuf' \
        -H 'Accept: application/x-protobuf' --data-binary @"$tmp/call.pb" "$url/api/v1"
}
: >"$tmp/json.t"; : >"$tmp/pb.t"
for _ in $(seq 1 "$n"); do
    bump; json_once >>"$tmp/json.t"
    bump; pb_once >>"$tmp/pb.t"
done
median() { sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]*1000}'; }
json_ms=$(median <"$tmp/json.t")
pb_ms=$(median <"$tmp/pb.t")
json_bytes=$(wc -c <"$tmp/state.json")
pb_bytes=$(wc -c <"$tmp/state.pb")
echo "get_state_json_ms_median: $json_ms ($json_bytes bytes, $tasks tasks, $agents agents)"
echo "get_state_protobuf_ms_median: $pb_ms ($pb_bytes bytes)"
ratio=$(awk -v j="$json_ms" -v p="$pb_ms" 'BEGIN {printf "%.2f", j / p}')
echo "served_protobuf_speedup: ${ratio}x"
awk -v r="$ratio" 'BEGIN {exit !(r >= 2.0)}' || { echo "protobuf GET_STATE is not served 2x faster than JSON" >&2; fail=1; }
exit "$fail"
