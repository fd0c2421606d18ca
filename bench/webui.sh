#!/usr/bin/env bash
# The web UI in a real browser: first paint of the overview on loopback and
# the bytes the UI transfers. Budgets (issue 17): first contentful paint of
# the overview < 200 ms, the whole UI < 300 KB transferred.
# A master with two agents and a few tasks; examples/bench_webui.rs drives
# headless Chromium through chromedriver (Debian packages chromium and
# chromium-driver) with the harness of the UI tests, the HTTP cache off, and
# reads the Performance API (first-contentful-paint, transferSize).
# Usage: bench/webui.sh [RUNS]            (default 20)
#        PROFILE=debug bench/webui.sh     (a debug master: an upper bound)
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
runs=${1:-20}
profile=${PROFILE:-release}
for p in chromium chromedriver; do
  command -v "$p" >/dev/null 2>&1 || { echo "bench/webui.sh: $p not found: apt-get install -y chromium chromium-driver" >&2; exit 1; }
done
if [ "$profile" = release ]; then
  cargo build --release --locked -q --bin mesos
else
  cargo build --locked -q --bin mesos
fi
cargo build --locked -q --example bench_webui
bin=$target_dir/$profile/mesos
echo "profile: $profile"
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.5; rm -rf "$tmp"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 200); do curl -sf -o /dev/null "$1" && return 0; sleep 0.05; done; echo "no answer from $1" >&2; exit 1; }

mp=$(free_port)
$bin master --ip=127.0.0.1 --port="$mp" --registry=in_memory --logging_level=WARNING >"$tmp/m.log" 2>&1 & pids+=($!)
wait_http "http://127.0.0.1:$mp/master/health"
for i in 1 2; do
  ap=$(free_port)
  $bin agent --master="127.0.0.1:$mp" --ip=127.0.0.1 --port="$ap" --work_dir="$tmp/agent$i" --logging_level=WARNING >"$tmp/a$i.log" 2>&1 & pids+=($!)
  wait_http "http://127.0.0.1:$ap/slave(1)/health"
done
for i in 1 2 3; do
  MESOS_MASTER="127.0.0.1:$mp" $bin execute --name "bench-webui-$i" --command 'sleep 100000' --detach >/dev/null 2>>"$tmp/exec.log"
done
"$target_dir/debug/examples/bench_webui" "http://127.0.0.1:$mp/" "$runs"
