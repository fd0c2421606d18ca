#!/usr/bin/env bash
# `mesos node metrics summary` budget (docs/benchmarks.md): across 100
# agents, under 300 ms when the slowest agent answers in 200 ms (the agents
# are asked concurrently, so the wall time follows the slowest agent, not
# the sum).
# examples/bench_metrics_agents.rs plays a master (/master/slaves,
# /master/tasks, /master/state-summary) and 100 agents, one port each; every
# agent path answers after that agent's delay, spread evenly over 10..200 ms.
# Two fleets: plain Mesos agents (/metrics/snapshot; the v0 ping is a 404)
# and bundled-style agents (the v0 ping and /node as the bundled agent serves
# them). Needs hyperfine and python3 (to find free ports).
# Binary: $MESOS_BIN, else target/release/mesos when it has `node metrics`,
# else the debug build (say which in the figures).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
bin=${MESOS_BIN:-}
if [ -z "$bin" ]; then
  if [ -x "$target_dir/release/mesos" ] && "$target_dir/release/mesos" node metrics --help >/dev/null 2>&1; then
    bin=$target_dir/release/mesos
  else
    cargo build -q
    bin=$target_dir/debug/mesos
  fi
fi
command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null
echo "binary: $bin" >&2

work=$(mktemp -d)
server_pid=
trap '[ -n "$server_pid" ] && kill $server_pid 2>/dev/null; rm -rf "$work"' EXIT

cargo build -q --example bench_metrics_agents
fake=$target_dir/debug/examples/bench_metrics_agents

free_block() { # a base port with the next 100 free too
  python3 - <<'PY'
import random, socket
while True:
    p = random.randint(20000, 50000)
    ok = True
    for q in range(p, p + 101):
        s = socket.socket()
        try: s.bind(("127.0.0.1", q))
        except OSError: ok = False
        finally: s.close()
        if not ok: break
    if ok: print(p); break
PY
}

for mode in plain bundled; do
  port=$(free_block)
  "$fake" "$mode" "$port" > "$work/server-$mode.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do grep -q ready "$work/server-$mode.log" 2>/dev/null && break; sleep 0.1; done  # wait for the fake to listen
  grep -q ready "$work/server-$mode.log" || { echo "server did not start" >&2; cat "$work/server-$mode.log" >&2; exit 1; }
  rows=$("$bin" --master "127.0.0.1:$port" node metrics summary | wc -l)
  echo "$mode agents: $((rows - 1)) rows" >&2
  # Also: the fixed cost (process start, leader, /master/slaves: `agents`)
  # and the slowest agent alone, so the fan-out's own cost shows.
  hyperfine -N --warmup 2 --runs 20 --export-json "$work/$mode.json" \
    "$bin --master 127.0.0.1:$port node metrics summary" \
    "$bin --master 127.0.0.1:$port node metrics summary 7f1e2c9a-0b6d-4d1e-9c43-2a5f7b1d8e60-S99" \
    "$bin --master 127.0.0.1:$port agents" >&2
  python3 - "$work/$mode.json" "$mode" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
m = lambda i: f"median {r[i]['median']*1000:.0f} ms (min {r[i]['min']*1000:.0f}, max {r[i]['max']*1000:.0f})"
print(f"node metrics summary, 100 {sys.argv[2]} agents (slowest answers in 200 ms): {m(0)}; budget 300 ms")
print(f"  the slowest agent alone: {m(1)}; `mesos agents` (start + leader + /master/slaves): {m(2)}")
PY
  kill $server_pid; wait $server_pid 2>/dev/null || true; server_pid=
done
