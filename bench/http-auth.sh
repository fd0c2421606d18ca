#!/usr/bin/env bash
# HTTP authentication cost: `/master/state` latency on a master with
# --authenticate_http_readonly (Basic credentials checked on every request)
# against the same master without authentication. Budget: auth on within
# 10% of auth off (median). An empty master is the worst case for the ratio
# (the smallest handler next to the fixed cost of the check).
# Binary: $MESOS_BIN, else a release build. Needs python3.
# Usage: bench/http-auth.sh [REQUESTS_PER_ROUND] [ROUNDS] (REQUESTS x ROUNDS
# requests to each master, interleaved one by one)
set -euo pipefail
cd "$(dirname "$0")/.."
per_round=${1:-500}
rounds=${2:-10}
if [ -n "${MESOS_BIN:-}" ]; then
  bin=$MESOS_BIN
else
  cargo build --release --locked -q --bin mesos
  bin=${CARGO_TARGET_DIR:-target}/release/mesos
fi
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 1 200); do curl -s -o /dev/null "$1" && return 0; sleep 0.05; done; echo "no answer from $1" >&2; exit 1; }

secret=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
printf '{"credentials":[{"principal":"bench","secret":"%s"}]}' "$secret" > "$tmp/creds.json"
chmod 600 "$tmp/creds.json"
printf '%s' "$secret" > "$tmp/secret"
chmod 600 "$tmp/secret"

off=$(free_port); on=$(free_port)
"$bin" master --ip=127.0.0.1 --port="$off" --registry=in_memory --logging_level=WARNING >"$tmp/off.log" 2>&1 & pids+=($!)
"$bin" master --ip=127.0.0.1 --port="$on" --registry=in_memory --logging_level=WARNING \
  --authenticate_http_readonly --authenticate_http_readwrite --credentials="$tmp/creds.json" >"$tmp/on.log" 2>&1 & pids+=($!)
wait_http "http://127.0.0.1:$off/master/health"
wait_http "http://127.0.0.1:$on/master/health"

python3 - "$off" "$on" "$tmp/secret" "$per_round" "$rounds" <<'PY'
import base64, http.client, statistics, sys, time
off, on, secret_file, per_round, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
secret = open(secret_file).read()
auth = {"Authorization": "Basic " + base64.b64encode(f"bench:{secret}".encode()).decode()}

def one(c, headers):
    t = time.perf_counter()
    c.request("GET", "/master/state", headers=headers)
    r = c.getresponse()
    r.read()
    assert r.status == 200, r.status
    return time.perf_counter() - t

# Correctness first: the secured master refuses a request without credentials.
c = http.client.HTTPConnection("127.0.0.1", int(on))
c.request("GET", "/master/state")
r = c.getresponse(); r.read()
assert r.status == 401, r.status

# Both sides get the same request bytes (a master without the flag ignores
# credentials), so only the server-side check differs. Requests alternate
# between the two masters (order flipped every time) so that load from
# other processes on a shared machine hits both sides alike.
conns = {"off": http.client.HTTPConnection("127.0.0.1", int(off)),
         "on": http.client.HTTPConnection("127.0.0.1", int(on))}
for _ in range(200):  # warm-up
    one(conns["off"], auth); one(conns["on"], auth)
lat = {"off": [], "on": []}
for i in range(per_round * rounds):
    for name in (("off", "on") if i % 2 else ("on", "off")):
        lat[name].append(one(conns[name], auth))
med = {k: statistics.median(v) * 1e6 for k, v in lat.items()}
p90 = {k: statistics.quantiles(v, n=10)[-1] * 1e6 for k, v in lat.items()}
ratio = med["on"] / med["off"]
n = per_round * rounds
print(f"/master/state auth off: median {med['off']:.0f} us, p90 {p90['off']:.0f} us ({n} requests)")
print(f"/master/state auth on : median {med['on']:.0f} us, p90 {p90['on']:.0f} us ({n} requests)")
print(f"ratio on/off (median): {ratio:.3f} (budget <= 1.10)")
sys.exit(0 if ratio <= 1.10 else 1)
PY
