#!/usr/bin/env bash
# `mesos ps` budgets (docs/benchmarks.md):
#  1. `mesos ps --no-usage` against a master serving a 10,000-task,
#     1,000-agent cluster: median wall under 150 ms, peak RSS under 60 MB.
#  2. `mesos ps` with usage from 100 agents, each answering
#     /monitor/statistics after its own delay (50..250 ms): wall time close
#     to the slowest agent, not to the sum of all delays.
# The master and the agents are a small Python server replaying generated
# bodies shaped like Mesos 1.x /master/tasks, /master/state-summary and
# /monitor/statistics. Needs python3, hyperfine and GNU time (installed
# with apt-get when missing).
# Binary: $MESOS_BIN, else target/release/mesos when it has `ps`, else the
# debug build (say which in the figures).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
bin=${MESOS_BIN:-}
if [ -z "$bin" ]; then
  if [ -x "$target_dir/release/mesos" ] && "$target_dir/release/mesos" ps --help >/dev/null 2>&1; then
    bin=$target_dir/release/mesos
  else
    cargo build -q
    bin=$target_dir/debug/mesos
  fi
fi
command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null
[ -x /usr/bin/time ] || apt-get install -y time >/dev/null
echo "binary: $bin" >&2

work=$(mktemp -d)
trap 'kill $server_pid 2>/dev/null || true; rm -rf "$work"' EXIT

cat > "$work/server.py" <<'PY'
import json, random, sys, threading, time, uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

mode, port, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
random.seed(7)
fid_base = "7f1e2c9a-0b6d-4d1e-9c43-2a5f7b1d8e60"
n_agents, n_tasks = (1000, 10000) if mode == "big" else (100, 1000)
agent_ports = []
if mode == "usage":
    # One listening port per agent, each with its own delay.
    agent_ports = [port + 1 + i for i in range(n_agents)]
agents = []
for i in range(n_agents):
    aport = agent_ports[i] if agent_ports else 5051
    ip = "127.0.0.1" if agent_ports else f"10.{i // 250}.{i % 250}.{7}"
    agents.append({
        "id": f"{fid_base}-S{i}", "hostname": f"agent-{i:04d}.example.net", "port": aport,
        "pid": f"slave(1)@{ip}:{aport}", "attributes": {"rack": f"r{i % 40}", "zone": f"z{i % 3}"},
        "registered_time": 1700000000.5 + i, "active": True, "version": "1.11.0",
        "resources": {"cpus": 32.0, "gpus": 0.0, "mem": 128000.0, "disk": 900000.0, "ports": "[31000-32000]"},
        "used_resources": {"cpus": 10.0, "gpus": 0.0, "mem": 20000.0, "disk": 0.0},
        "offered_resources": {"cpus": 0.0, "gpus": 0.0, "mem": 0.0, "disk": 0.0},
        "reserved_resources": {}, "unreserved_resources": {"cpus": 32.0, "gpus": 0.0, "mem": 128000.0, "disk": 900000.0},
        "capabilities": ["MULTI_ROLE", "HIERARCHICAL_ROLE", "RESERVATION_REFINEMENT"],
        "TASK_RUNNING": n_tasks // n_agents, "framework_ids": [f"{fid_base}-0000"],
    })
frameworks = [{"id": f"{fid_base}-{j:04d}", "name": f"framework-{j}", "active": True, "connected": True,
               "hostname": "sched.example.net", "webui_url": "", "capabilities": ["MULTI_ROLE"],
               "used_resources": {"cpus": 100.0, "mem": 1000.0, "disk": 0.0, "gpus": 0.0},
               "offered_resources": {"cpus": 0.0, "mem": 0.0, "disk": 0.0, "gpus": 0.0},
               "TASK_RUNNING": n_tasks // 10, "slave_ids": []} for j in range(10)]
tasks = []
stats = {a["id"]: [] for a in agents}
for t in range(n_tasks):
    a = agents[t % n_agents]
    fid = frameworks[t % 10]["id"]
    tid = f"app-{t % 500}.{uuid.UUID(int=random.getrandbits(128))}"
    cid = str(uuid.UUID(int=random.getrandbits(128)))
    ts = 1700000100.0 + t * 0.01
    tasks.append({
        "id": tid, "name": f"app-{t % 500}", "framework_id": fid, "executor_id": "", "slave_id": a["id"],
        "state": "TASK_RUNNING", "resources": {"cpus": 0.5, "gpus": 0.0, "mem": 512.0, "disk": 0.0, "ports": f"[{31000 + t % 1000}-{31000 + t % 1000}]"},
        "role": "*", "labels": [{"key": "team", "value": f"team-{t % 20}"}],
        "discovery": {"visibility": "FRAMEWORK", "name": f"app-{t % 500}", "ports": {"ports": [{"number": 31000 + t % 1000, "protocol": "tcp"}]}},
        "statuses": [
            {"state": "TASK_STARTING", "timestamp": ts, "container_status": {"container_id": {"value": cid},
             "network_infos": [{"ip_addresses": [{"protocol": "IPv4", "ip_address": a["pid"].split("@")[1].split(":")[0]}]}]}},
            {"state": "TASK_RUNNING", "timestamp": ts + 0.2, "container_status": {"container_id": {"value": cid},
             "network_infos": [{"ip_addresses": [{"protocol": "IPv4", "ip_address": a["pid"].split("@")[1].split(":")[0]}]}]}},
        ],
    })
    stats[a["id"]].append({"framework_id": fid, "executor_id": tid, "executor_name": f"Command Executor (Task: {tid})",
        "source": tid, "statistics": {"timestamp": 1700000200.5, "cpus_user_time_secs": 12.5, "cpus_system_time_secs": 3.25,
        "cpus_limit": 0.6, "mem_rss_bytes": 104857600 + t, "mem_limit_bytes": 570425344}})

bodies = {
    "/master/tasks": json.dumps({"tasks": tasks}).encode(),
    "/master/state-summary": json.dumps({"hostname": "m1.example.net", "slaves": agents, "frameworks": frameworks}).encode(),
}
with open(out, "w") as f:
    json.dump({"tasks_bytes": len(bodies["/master/tasks"]), "summary_bytes": len(bodies["/master/state-summary"]),
               "delays_ms": []}, f)

class Master(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/master/redirect":
            self.send_response(307); self.send_header("Location", f"//127.0.0.1:{port}")
            self.send_header("Content-Length", "0"); self.end_headers(); return
        body = bodies.get(path)
        if body is None:
            self.send_response(404); self.send_header("Content-Length", "0"); self.end_headers(); return
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)

delays = []
def agent_server(i, p):
    delay = 0.05 + 0.2 * i / max(1, n_agents - 1)  # 50..250 ms, evenly spread
    delays.append(delay)
    body = json.dumps(stats[agents[i]["id"]]).encode()
    class Agent(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def log_message(self, *a): pass
        def do_GET(self):
            time.sleep(delay)
            self.send_response(200); self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    s = ThreadingHTTPServer(("127.0.0.1", p), Agent)
    threading.Thread(target=s.serve_forever, daemon=True).start()

for i, p in enumerate(agent_ports):
    agent_server(i, p)
if agent_ports:
    with open(out, "w") as f:
        json.dump({"tasks_bytes": len(bodies["/master/tasks"]), "summary_bytes": len(bodies["/master/state-summary"]),
                   "delays_ms": [d * 1000 for d in delays]}, f)
ThreadingHTTPServer.daemon_threads = True
srv = ThreadingHTTPServer(("127.0.0.1", port), Master)
print("ready", flush=True)
srv.serve_forever()
PY

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start() { # mode port
  python3 "$work/server.py" "$1" "$2" "$work/info-$1.json" > "$work/server-$1.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do grep -q ready "$work/server-$1.log" 2>/dev/null && return; sleep 0.1; done
  echo "server did not start" >&2; cat "$work/server-$1.log" >&2; exit 1
}

# 1. 10,000 tasks, 1,000 agents, --no-usage.
port=$(free_port)
start big "$port"
python3 -c "import json;d=json.load(open('$work/info-big.json'));print(f\"/master/tasks body: {d['tasks_bytes']/1e6:.1f} MB, /master/state-summary: {d['summary_bytes']/1e6:.1f} MB\")"
rows=$("$bin" --master "127.0.0.1:$port" ps --no-usage | wc -l)
echo "rows printed: $((rows - 1)) tasks"
hyperfine -N --warmup 3 --runs 30 --export-json "$work/ps.json" "$bin --master 127.0.0.1:$port ps --no-usage" >&2
python3 - "$work/ps.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"ps --no-usage, 10,000 tasks / 1,000 agents: median {r['median']*1000:.0f} ms (min {r['min']*1000:.0f}, max {r['max']*1000:.0f}; budget 150 ms)")
PY
rss_kb=0
for _ in 1 2 3; do
  r=$(/usr/bin/time -f '%M' "$bin" --master "127.0.0.1:$port" ps --no-usage 2>&1 >/dev/null | tail -1)
  [ "$r" -gt "$rss_kb" ] && rss_kb=$r
done
echo "ps --no-usage peak RSS: $((rss_kb / 1024)) MB ($rss_kb KiB; budget 60 MB)"
kill $server_pid; wait $server_pid 2>/dev/null || true

# 2. usage from 100 agents with different latencies.
port=$(free_port)
while python3 - "$port" <<'PY'
import socket, sys
p = int(sys.argv[1])
for q in range(p, p + 101):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", q))
    except OSError:
        sys.exit(0)  # taken: try another base
    finally:
        s.close()
sys.exit(1)
PY
do port=$(free_port); done
start usage "$port"
python3 - "$work/info-usage.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["delays_ms"]
print(f"100 agents: slowest answers after {max(d):.0f} ms, fastest {min(d):.0f} ms, sum of all delays {sum(d)/1000:.1f} s")
PY
hyperfine -N --warmup 1 --runs 10 --export-json "$work/usage.json" "$bin --master 127.0.0.1:$port ps" >&2
python3 - "$work/usage.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"ps with usage from 100 agents (1,000 tasks): median {r['median']*1000:.0f} ms (min {r['min']*1000:.0f}, max {r['max']*1000:.0f})")
PY
"$bin" --master "127.0.0.1:$port" ps | awk 'NR==2{print "sample row: " $0}'
