#!/usr/bin/env bash
# Scheduling while /master/state is polled (issue 11, "no starvation").
# Each phase runs on a fresh master + agent (release build, loopback):
#   A. `mesos execute --instances TASKS --command true`, nobody polling;
#   B. the same while POLLERS clients poll /master/state at RATE req/s each
#      (keep-alive, half of them with gzip; examples/state_poller.rs);
#   C. P99_TASKS `true` tasks with the same pollers: /master/state latency
#      during the run and for QUIET seconds afterwards (state holding
#      P99_TASKS completed tasks).
# Budgets: B within 2x of A, 0 poll errors, 0 status update resends for
# want of an acknowledgement (agent's slave/status_update_resends); C's
# /master/state p99 under 300 ms.
# Usage: bench/state-load.sh [TASKS=500] [POLLERS=50] [RATE=5] [P99_TASKS=1000] [QUIET=10]
# PROFILE=debug measures the debug build (no release build needed).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
tasks=${1:-500}
pollers=${2:-50}
rate=${3:-5}
p99_tasks=${4:-1000}
quiet=${5:-10}
profile=${PROFILE:-release}
if [ "$profile" = release ]; then
  cargo build --release --locked -q --bin mesos --example state_poller
else
  cargo build --locked -q --bin mesos --example state_poller
fi
bin=$target_dir/$profile/mesos
poll_bin=$target_dir/$profile/examples/state_poller
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  rm -rf "$tmp"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 400); do curl -sf -o /dev/null "$1" && return 0; sleep 0.05; done; echo "no answer from $1" >&2; exit 1; }
metric() { curl -sf "$1/metrics/snapshot" | python3 -c "import json,sys; print(int(json.load(sys.stdin).get('$2', -1)))"; }
cpu_secs() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat"; }

# Start a fresh master and agent; sets master, agent, mpid.
cluster() {
  local name=$1 mp ap
  mp=$(free_port); ap=$(free_port)
  $bin master --ip=127.0.0.1 --port="$mp" --registry=in_memory --work_dir="$tmp/$name-master" \
    >"$tmp/$name-master.log" 2>&1 &
  mpid=$!; pids+=($mpid)
  wait_http "http://127.0.0.1:$mp/master/health"
  $bin agent --master="127.0.0.1:$mp" --ip=127.0.0.1 --port="$ap" --work_dir="$tmp/$name-agent" \
    --resources='cpus:8;mem:16384;disk:16384' >"$tmp/$name-agent.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 400); do
    curl -sf "http://127.0.0.1:$mp/master/slaves" | grep -q '"id"' && break; sleep 0.05
  done
  master=http://127.0.0.1:$mp
  agent=http://127.0.0.1:$ap
}

# Run N `true` tasks; prints seconds, fails on a non-zero exit.
run_tasks() {
  local n=$1 t0 t1
  t0=$(date +%s%N)
  if ! $bin execute --master "${master#http://}" -q --name "load-$n" --instances "$n" \
      --command true --offer-timeout 600s >"$tmp/execute.out" 2>&1; then
    echo "execute failed:" >&2; tail -5 "$tmp/execute.out" >&2; exit 1
  fi
  t1=$(date +%s%N)
  python3 -c "print(f'{($t1 - $t0) / 1e9:.2f}')"
}

start_pollers() {
  rm -f "$tmp/stop"
  $poll_bin "$master/master/state" "$pollers" "$rate" --stop-file "$tmp/stop" >"$tmp/$1.poll" &
  poller=$!; pids+=($poller)
  sleep 1
}
stop_pollers() { touch "$tmp/stop"; wait "$poller"; }

echo "profile: $profile ($bin); $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# A. No pollers.
cluster a
a_secs=$(run_tasks "$tasks")
a_resends=$(metric "$agent" slave/status_update_resends)
echo "A: $tasks tasks, no pollers: ${a_secs} s (master CPU $(cpu_secs "$mpid") s, agent resends $a_resends)"

# B. With pollers.
cluster b
start_pollers b
b_secs=$(run_tasks "$tasks")
stop_pollers; b_poll=$(cat "$tmp/b.poll")
b_resends=$(metric "$agent" slave/status_update_resends)
b_state_kb=$(( $(curl -sf "$master/master/state" | wc -c) / 1024 ))
echo "B: $tasks tasks, $pollers pollers at $rate/s: ${b_secs} s (master CPU $(cpu_secs "$mpid") s, agent resends $b_resends, final state ${b_state_kb} KB)"
echo "   polls: $b_poll"

# C. p99 at P99_TASKS tasks.
cluster c
start_pollers c
c_secs=$(run_tasks "$p99_tasks")
stop_pollers; c_poll=$(cat "$tmp/c.poll")
c_state_kb=$(( $(curl -sf "$master/master/state" | wc -c) / 1024 ))
start_pollers c-quiet
sleep "$quiet"
stop_pollers; c_quiet=$(cat "$tmp/c-quiet.poll")
c_resends=$(metric "$agent" slave/status_update_resends)
echo "C: $p99_tasks tasks with pollers: ${c_secs} s (agent resends $c_resends, final state ${c_state_kb} KB)"
echo "   polls during the run: $c_poll"
echo "   polls afterwards (${quiet} s, quiet): $c_quiet"

python3 - "$a_secs" "$b_secs" "$b_resends" "$b_poll" "$c_poll" "$c_quiet" "$c_resends" <<'EOF'
import json, sys
a, b, b_resends = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
b_poll, c_poll, c_quiet = (json.loads(x) for x in sys.argv[4:7])
c_resends = int(sys.argv[7])
ok = lambda c: "PASS" if c else "FAIL"
print(f"budget B within 2x of A ({b:.2f} s vs {a:.2f} s = {b / a:.2f}x):", ok(b <= 2 * a))
errors = b_poll["errors"] + c_poll["errors"] + c_quiet["errors"]
print(f"budget 0 poll errors ({errors}):", ok(errors == 0))
print(f"budget 0 resends for want of an ACK ({b_resends} + {c_resends}):", ok(b_resends + c_resends == 0))
p99 = max(c_poll["p99_ms"] or 0, c_quiet["p99_ms"] or 0)
print(f"budget /master/state p99 < 300 ms at the C size ({p99} ms):", ok(p99 < 300))
EOF
