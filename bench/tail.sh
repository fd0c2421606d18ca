#!/usr/bin/env bash
# `mesos tail -f` latency and idle cost against a real bundled agent:
#  * a task prints its own clock (epoch seconds) every 100 ms (and, second
#    run, every 1 s); latency = time the line is read from `tail -f` minus
#    the time in it. Budget: median under 300 ms while data flows.
#  * an idle task (no output) followed on two files (stdout, stderr) for
#    10 s: requests per second reaching its agent, counted by a proxy the
#    agent advertises. Budget: at most 2 per second per agent.
# Binary: $MESOS_BIN, else target/release/mesos when it has the inspection
# commands, else the debug build.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib-inspect.sh

# A counting TCP proxy in front of the agent (the agent advertises it).
proxy_port=$(free_port)
real_port=$(free_port)
cat > "$work/proxy.py" <<'PY'
import socket, sys, threading
listen, target, counter = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
count = 0
lock = threading.Lock()
def pipe(a, b, count_requests):
    global count
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            if count_requests:
                n = d.count(b" HTTP/1.1\r\n")
                if n:
                    with lock:
                        count += n
                        open(counter, "w").write(str(count))
            b.sendall(d)
    except OSError:
        pass
    finally:
        for s in (a, b):
            try: s.shutdown(socket.SHUT_RDWR)
            except OSError: pass
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", listen)); srv.listen(128)
while True:
    c, _ = srv.accept()
    try:
        u = socket.create_connection(("127.0.0.1", target))
    except OSError:
        c.close(); continue
    threading.Thread(target=pipe, args=(c, u, True), daemon=True).start()
    threading.Thread(target=pipe, args=(u, c, False), daemon=True).start()
PY
echo 0 > "$work/requests"
python3 "$work/proxy.py" "$proxy_port" "$real_port" "$work/requests" &
pids+=($!)

start_cluster --port="$real_port" --advertise_port="$proxy_port"
# start_cluster picked its own port first; the flags above override it.

measure() { # task interval_s seconds
  python3 - "$bin" "$1" "$3" <<'PY'
import json, subprocess, sys, time
bin, task, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
p = subprocess.Popen([bin, "tail", "-f", "-n", "0", "--ndjson", task], stdout=subprocess.PIPE, text=True)
lat, end = [], time.time() + secs
for line in p.stdout:
    now = time.time()
    try:
        lat.append(now - float(json.loads(line)["line"]))
    except (ValueError, KeyError):
        pass
    if now > end:
        break
p.kill()
lat.sort()
print(f"{len(lat)} lines; latency median {lat[len(lat)//2]*1000:.0f} ms, p90 {lat[int(len(lat)*0.9)]*1000:.0f} ms, max {lat[-1]*1000:.0f} ms")
PY
}

run_task tick100 'while true; do date +%s.%N; sleep 0.1; done'
run_task tick1000 'while true; do date +%s.%N; sleep 1; done'
run_task idle 'sleep 3600'
sleep 1
printf 'tail -f, a line every 100 ms: '; measure tick100 0.1 15
printf 'tail -f, a line every 1 s:    '; measure tick1000 1 20

# Idle cost: follow stdout and stderr of the idle task for 10 s.
"$bin" tail -f -n 0 idle stdout stderr >/dev/null 2>&1 &
tail_pid=$!
pids+=($tail_pid)
sleep 3  # past start-up and the first backoff steps
before=$(cat "$work/requests")
sleep 10
after=$(cat "$work/requests")
kill $tail_pid 2>/dev/null || true
python3 -c "print(f'idle tail -f of 2 files on one agent: {($after - $before)/10:.1f} requests/s to the agent (budget 2)')"
for t in tick100 tick1000 idle; do "$bin" kill "$t" >/dev/null 2>&1 || true; done
