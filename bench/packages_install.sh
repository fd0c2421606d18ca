#!/usr/bin/env bash
# `mesos package install` budget (docs/benchmarks.md, "Package install"):
# installing a built-in package on the local cluster until it is running and
# healthy, under 3 s.
#
# Starts a one-agent `mesos cluster up` cluster in a temporary HOME, then
# times `mesos package install hello --yes` (which returns only once the app
# is running and healthy) with hyperfine; before each run the previous
# install is uninstalled and its app waited gone. Needs hyperfine (installed
# with apt-get when missing). RUNS (default 10) sets the number of runs.
# Binary: $MESOS_BIN, else target/release/mesos when it has `package
# install`, else the debug build (say which in the figures).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
runs=${RUNS:-10}
bin=${MESOS_BIN:-}
if [ -z "$bin" ]; then
  if [ -x "$target_dir/release/mesos" ] && "$target_dir/release/mesos" package install --help >/dev/null 2>&1; then
    bin=$target_dir/release/mesos
  else
    cargo build -q
    bin=$target_dir/debug/mesos
  fi
fi
bin=$(realpath "$bin")
command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null
echo "binary: $bin" >&2

work=$(mktemp -d)
export HOME="$work" XDG_CONFIG_HOME="$work/.config" XDG_DATA_HOME="$work/data" \
  MESOS_CONFIG="$work/config.toml" MESOS_CACHE_DIR="$work/cache" NO_COLOR=1
trap '"$bin" cluster down --grace 1s -q >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

"$bin" cluster up --agents 1 >/dev/null

# Before each run: no hello installed, its app gone from Marathon.
cat > "$work/clean.sh" <<SH
#!/usr/bin/env bash
"$bin" package uninstall hello --all --yes >/dev/null 2>&1 || true
for _ in \$(seq 200); do
  "$bin" app show /hello >/dev/null 2>&1 || exit 0
  sleep 0.05
done
echo "/hello still there" >&2; exit 1
SH
chmod +x "$work/clean.sh"

hyperfine -N --runs "$runs" --prepare "$work/clean.sh" \
  --export-json "$work/install.json" \
  "$bin package install hello --yes --timeout 30s"
python3 - "$work/install.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"install hello to healthy: median {r['median']:.2f} s, min {r['min']:.2f} s, max {r['max']:.2f} s ({len(r['times'])} runs)")
PY
