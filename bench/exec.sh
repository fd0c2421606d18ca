#!/usr/bin/env bash
# `mesos exec` and `mesos attach` against a local bundled cluster (one
# master, one agent). Budgets: `mesos exec TASK -- true` start-to-exit
# median under 100 ms over RUNS runs (default 30; hyperfine when
# installed); interactive echo latency through `mesos attach` (one byte
# written, its echo from the task's terminal read back) median under 20 ms
# over ECHOES bytes (default 100).
# Usage: bench/exec.sh [RUNS] [ECHOES]. PROFILE=debug measures the debug
# build (no release build needed).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
runs=${1:-30}
echoes=${2:-100}
profile=${PROFILE:-release}
if [ "$profile" = release ]; then
  cargo build --release --locked -q --bin mesos
else
  cargo build --locked -q --bin mesos
fi
bin=$(realpath "$target_dir/$profile/mesos")
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
export MESOS_MASTER=127.0.0.1:$mp
export MESOS_CONFIG=$tmp/config.toml
echo "profile: $profile ($bin)"
$bin execute -q --detach --name bench-box --command 'sleep 3600' >/dev/null
$bin execute -q --detach --tty --name bench-tty -- cat >/dev/null

# 1. `mesos exec TASK -- true`, start to exit; `mesos resolve` (one master
# request, the same client set-up) as the baseline of any cluster command.
for _ in 1 2 3; do $bin exec bench-box -- true; done # warm up
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 3 --runs "$runs" --export-json "$tmp/exec.json" \
    "$bin resolve" "$bin exec bench-box -- true" >/dev/null
  python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    med, lo, hi, n = r["median"] * 1000, r["min"] * 1000, r["max"] * 1000, len(r["times"])
    name = r["command"].split("/")[-1]
    print(f"{name}: median {med:.1f} ms, min {lo:.1f} ms, max {hi:.1f} ms ({n} runs, hyperfine)")
print("budget exec median < 100 ms:", "PASS" if med < 100 else "FAIL")
' "$tmp/exec.json"
else
  times=()
  for _ in $(seq 1 "$runs"); do
    t0=$(date +%s%N); $bin exec bench-box -- true; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | python3 -c '
import sys, statistics
t = sorted(int(x) / 1000 for x in sys.stdin.read().split())
med = statistics.median(t)
print(f"exec TASK -- true: median {med:.1f} ms, min {t[0]:.1f} ms, max {t[-1]:.1f} ms ({len(t)} runs)")
print("budget median < 100 ms:", "PASS" if med < 100 else "FAIL")
'
fi

# 2. Echo latency through `mesos attach -i` to a TTY task running `cat`
# (and through `mesos exec -t -i TASK -- cat`, the same input and output
# streams): the remote terminal echoes each byte as it arrives.
for how in exec attach; do
python3 - "$bin" "$echoes" "$how" <<'PY' || echo "$how echo latency: not measured"
import os, select, statistics, subprocess, sys, time
bin, n, how = sys.argv[1], int(sys.argv[2]), sys.argv[3]
argv = {"attach": ["attach", "-i", "bench-tty"],
        "exec": ["exec", "-t", "-i", "bench-box", "--", "cat"]}[how]
p = subprocess.Popen([bin] + argv, stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, bufsize=0)
out = p.stdout.fileno()
def roundtrip(ch):
    t0 = time.perf_counter()
    os.write(p.stdin.fileno(), ch)
    buf = b""
    while ch not in buf:
        r, _, _ = select.select([out], [], [], 10)
        if not r:
            sys.exit("no echo within 10 s")
        b = os.read(out, 4096)
        if not b:
            sys.exit(f"mesos {how} ended (exit {p.wait()})")
        buf += b
    return (time.perf_counter() - t0) * 1000
letters = b"abcdefghijklmnopqrstuvwxyz"
for i in range(5):
    roundtrip(letters[i:i + 1])  # warm up
t = sorted(roundtrip(letters[i % 26:i % 26 + 1]) for i in range(n))
p.kill()
med = statistics.median(t)
print(f"{how} echo latency: median {med:.2f} ms, p90 {t[int(len(t) * 0.9)]:.2f} ms, max {t[-1]:.2f} ms ({n} bytes)")
print("budget median < 20 ms:", "PASS" if med < 20 else "FAIL")
PY
done
$bin kill bench-box bench-tty >/dev/null 2>&1 || true
