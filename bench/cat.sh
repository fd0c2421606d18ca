#!/usr/bin/env bash
# `mesos cat` throughput: a 200 MB sandbox file from a real bundled agent
# over loopback (budget: at least 200 MB/s), next to curl reading the same
# file from /files/download directly (the agent's own speed).
# Binary: $MESOS_BIN, else target/release/mesos when it has the inspection
# commands, else the debug build. Needs hyperfine and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib-inspect.sh
size=200000000
start_cluster
run_task catbench "head -c $size /dev/urandom > big.bin && touch big.done && sleep 3600"
wait_file catbench big.done
sandbox=$(find "$work/agent" -path '*executors/catbench/runs/*' -name big.bin -printf '%h\n' | head -1)
url="http://127.0.0.1:$agent_port/files/download?path=$sandbox/big.bin"
# Correctness first: the bytes are the file's bytes.
[ "$("$bin" cat catbench big.bin | sha256sum)" = "$(sha256sum < "$sandbox/big.bin")" ] || { echo "cat output differs from the file" >&2; exit 1; }
hyperfine -N --warmup 2 --runs 10 --export-json "$work/cat.json" \
  "$bin cat catbench big.bin" "curl -s -o /dev/null $url" >&2
python3 - "$work/cat.json" "$size" <<'PY'
import json, sys
size = int(sys.argv[2])
for r in json.load(open(sys.argv[1]))["results"]:
    name = "mesos cat" if " cat " in r["command"] else "curl /files/download"
    print(f"{name}: {size/1e6:.0f} MB in median {r['median']*1000:.0f} ms = {size/r['median']/1e6:.0f} MB/s (best {size/r['min']/1e6:.0f} MB/s)")
PY
"$bin" kill catbench >/dev/null 2>&1 || true
