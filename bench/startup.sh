#!/usr/bin/env bash
# Start-up cost of the binary: `mesos --version` and `mesos --help`
# (budget: median under 5 ms each), and the stripped release binary size
# (budget: under 20 MB). Needs hyperfine (apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
cargo build --release --locked -q
bin=$target_dir/release/mesos
command -v hyperfine >/dev/null || { echo "bench/startup.sh: install hyperfine (apt-get install -y hyperfine)" >&2; exit 1; }
hyperfine -N --warmup 20 --runs 200 --export-json /tmp/mesos-startup.json \
  "$bin --version" "$bin --help" >&2
python3 - /tmp/mesos-startup.json <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"{r['command']}: median {r['median']*1000:.2f} ms (mean {r['mean']*1000:.2f} ms, {len(r['times'])} runs)")
PY
size=$(stat -c %s "$bin")
echo "release binary: $((size / 1024)) KiB ($(awk "BEGIN{printf \"%.1f\", $size/1048576}") MiB), stripped"
