#!/usr/bin/env bash
# The bundled Marathon-compatible scheduler (`mesos marathon`) on a local
# cluster (one master, one agent with room for 1,000 small tasks).
# Budgets (issue 14): `POST /v2/apps` of 1 instance of `sleep` to
# TASK_RUNNING under 300 ms (median of RUNS, default 10); 100 apps x 10
# instances all running in under 20 s; scheduler RSS under 100 MB at 1,000
# tasks; `GET /v2/apps` with 100 apps under 50 ms (median).
# Usage: bench/marathon.sh [RUNS]. PROFILE=debug measures the debug build.
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
runs=${1:-10}
profile=${PROFILE:-release}
if [ "$profile" = release ]; then
  cargo build --release --locked -q --bin mesos
else
  cargo build --locked -q --bin mesos
fi
bin=$target_dir/$profile/mesos
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  pkill -f "$tmp/agent" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 400); do curl -sf -o /dev/null "$1" && return 0; sleep 0.05; done; echo "no answer from $1" >&2; exit 1; }

mp=$(free_port); ap=$(free_port); hp=$(free_port)
$bin master --ip=127.0.0.1 --port="$mp" --registry=in_memory >"$tmp/master.log" 2>&1 & pids+=($!)
wait_http "http://127.0.0.1:$mp/master/health"
$bin agent --master="127.0.0.1:$mp" --ip=127.0.0.1 --port="$ap" --work_dir="$tmp/agent" \
  --resources='cpus:64;mem:65536;disk:65536;ports:[31000-32999]' >"$tmp/agent.log" 2>&1 & pids+=($!)
for _ in $(seq 1 200); do
  curl -sf "http://127.0.0.1:$mp/master/slaves" | grep -q '"id"' && break; sleep 0.05
done
$bin marathon --master="127.0.0.1:$mp" --hostname=127.0.0.1 --http_port="$hp" \
  --work_dir="$tmp/marathon" >"$tmp/marathon.log" 2>&1 & pids+=($!)
mpid=$!
wait_http "http://127.0.0.1:$hp/ping"
echo "profile: $profile ($bin), $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC')"

python3 - "$hp" "$runs" "$mpid" <<'PY'
import json, statistics, sys, time, urllib.request

port, runs, pid = sys.argv[1], int(sys.argv[2]), sys.argv[3]
base = f"http://127.0.0.1:{port}"

def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, r.read()

def app(path):
    return json.loads(call("GET", f"/v2/apps{path}")[1])["app"]

def wait(cond, deadline, what, step=0.005):
    end = time.time() + deadline
    while time.time() < end:
        if cond():
            return
        time.sleep(step)
    sys.exit(f"timed out: {what}")

def rss_mb():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

small = {"cmd": "sleep 3600", "cpus": 0.01, "mem": 8, "portDefinitions": []}

# 1. One instance of sleep: POST to TASK_RUNNING.
lat = []
for i in range(runs):
    t0 = time.time()
    status, _ = call("POST", "/v2/apps", {"id": f"/lat/a{i}", **small})
    assert status == 201, status
    wait(lambda: app(f"/lat/a{i}")["tasksRunning"] == 1, 30, f"/lat/a{i} running", 0.002)
    lat.append((time.time() - t0) * 1000)
call("DELETE", "/v2/groups/lat?force=true")
wait(lambda: json.loads(call("GET", "/v2/tasks")[1])["tasks"] == [], 60, "latency apps gone")
med = statistics.median(lat)
print(f"app add -> TASK_RUNNING: median {med:.0f} ms, min {min(lat):.0f} ms, max {max(lat):.0f} ms ({runs} runs)")
print("budget median < 300 ms:", "PASS" if med < 300 else "FAIL")

# 2. 100 apps x 10 instances.
t0 = time.time()
for i in range(100):
    status, _ = call("POST", "/v2/apps", {"id": f"/load/app{i:03}", "instances": 10, **small})
    assert status == 201, status
def all_running():
    apps = json.loads(call("GET", "/v2/apps?id=/load/")[1])["apps"]
    return len(apps) == 100 and sum(a["tasksRunning"] for a in apps) == 1000
wait(all_running, 300, "1,000 tasks running", 0.1)
took = time.time() - t0
print(f"100 apps x 10 instances running: {took:.1f} s")
print("budget < 20 s:", "PASS" if took < 20 else "FAIL")
wait(lambda: not json.loads(call("GET", "/v2/deployments")[1]), 60, "deployments done", 0.1)

# 3. RSS at 1,000 tasks.
rss = rss_mb()
print(f"scheduler RSS at 1,000 tasks: {rss:.1f} MB")
print("budget < 100 MB:", "PASS" if rss < 100 else "FAIL")

# 4. GET /v2/apps with 100 apps.
for embed in ["", "?embed=apps.tasks"]:
    t = []
    for _ in range(50):
        t0 = time.time()
        call("GET", "/v2/apps" + embed)
        t.append((time.time() - t0) * 1000)
    med = statistics.median(t)
    print(f"GET /v2/apps{embed} (100 apps, 1,000 tasks): median {med:.1f} ms, p90 {sorted(t)[44]:.1f} ms")
    if not embed:
        print("budget median < 50 ms:", "PASS" if med < 50 else "FAIL")
PY
