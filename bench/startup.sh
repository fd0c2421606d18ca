#!/usr/bin/env bash
# Start-up cost of the binary: `mesos --version` and `mesos --help` side by
# side with `/bin/true` (budget: median under 2 ms each), the instructions
# each one executes (valgrind, deterministic even on a busy machine; skipped
# when valgrind is missing), and the stripped release binary size (budget:
# under 20 MB). Needs hyperfine (apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
cargo build --release --locked -q
bin=$target_dir/release/mesos
command -v hyperfine >/dev/null || { echo "bench/startup.sh: install hyperfine (apt-get install -y hyperfine)" >&2; exit 1; }
json=$(mktemp)
trap 'rm -f "$json"' EXIT
hyperfine -N --warmup 20 --runs 300 --export-json "$json" \
  "/bin/true" "$bin --version" "$bin --help" >&2
python3 - "$json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    t = sorted(r["times"])
    print(f"{r['command']}: median {r['median']*1000:.2f} ms "
          f"(mean {r['mean']*1000:.2f} ms, min {t[0]*1000:.2f} ms, {len(t)} runs)")
PY
if command -v valgrind >/dev/null; then
  for cmd in "/bin/true" "$bin --version" "$bin --help"; do
    # shellcheck disable=SC2086 # the command and its flag are two words
    n=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null $cmd 2>&1 >/dev/null |
      sed -n 's/.*Collected : //p')
    echo "$cmd: $n instructions (callgrind, dynamic loader included)"
  done
fi
size=$(stat -c %s "$bin")
echo "release binary: $((size / 1024)) KiB ($(awk "BEGIN{printf \"%.1f\", $size/1048576}") MiB), stripped"
