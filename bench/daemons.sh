#!/usr/bin/env bash
# Bundled daemons: launch latency (real agent), master scale (1,000 fake
# agents, 10,000 tasks), idle RSS. Budgets: ACCEPT -> RUNNING median < 50 ms,
# echo FINISHED < 100 ms; /master/state < 200 ms and master RSS < 300 MB at
# 10,000 tasks; 10,000 launches RUNNING < 20 s; idle RSS agent < 20 MB,
# master < 30 MB. Usage: bench/daemons.sh [AGENTS] [TASKS]
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
agents=${1:-1000}
tasks=${2:-10000}
cargo build --release --locked -q --bin mesos --example bench_launch --example bench_master
bin=$target_dir/release/mesos
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.2; pkill -f "mesos-executor.*$tmp" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 200); do curl -sf -o /dev/null "$1" && return 0; sleep 0.05; done; echo "no answer from $1" >&2; exit 1; }
rss_mb() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }

# 1. Launch latency: one master, one real agent.
mp=$(free_port); ap=$(free_port)
$bin master --ip=127.0.0.1 --port="$mp" --registry=in_memory >"$tmp/m1.log" 2>&1 & pids+=($!); m1=$!
wait_http "http://127.0.0.1:$mp/master/health"
$bin agent --master="127.0.0.1:$mp" --ip=127.0.0.1 --port="$ap" --work_dir="$tmp/agent" --resources='cpus:2;mem:1024' >"$tmp/a1.log" 2>&1 & pids+=($!); a1=$!
wait_http "http://127.0.0.1:$ap/slave(1)/health"
sleep 1
echo "idle_rss_master_mb: $(rss_mb "$m1")"
echo "idle_rss_agent_mb: $(rss_mb "$a1")"
$target_dir/release/examples/bench_launch "127.0.0.1:$mp" 20

# 2. Scale: a fresh master, fake agents.
mp2=$(free_port)
$bin master --ip=127.0.0.1 --port="$mp2" --registry=in_memory --logging_level=WARNING >"$tmp/m2.log" 2>&1 & pids+=($!); m2=$!
wait_http "http://127.0.0.1:$mp2/master/health"
$target_dir/release/examples/bench_master "127.0.0.1:$mp2" "$agents" "$tasks" "$m2"
echo "master_rss_mb_at_${tasks}_tasks: $(rss_mb "$m2")"
