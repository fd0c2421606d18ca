#!/usr/bin/env bash
# Run every fuzz target of tests/fuzz (docs/security.md, "Fuzzing") for
# CASES inputs each (default 1,000,000) in release mode, with a random seed
# that is printed per target (re-run one with FUZZ_SEED=<seed>).
#
#   bench/fuzz.sh                 # all targets, 1,000,000 inputs each
#   bench/fuzz.sh 20000 files     # 20,000 inputs, targets whose name has "files"
#
# Prints one line per target ("fuzz target NAME: N inputs in Ts (seed S)")
# and a summary; exits non-zero when a target fails (a panic or a broken
# property), after printing the minimal failing input. A failing seed is kept
# in fuzz/regressions/ and replayed by every later `cargo test --test fuzz`.
set -euo pipefail
cd "$(dirname "$0")/.."

CASES=${1:-1000000}
FILTER=${2:-}
export FUZZ_CASES=$CASES
export FUZZ_RANDOM=${FUZZ_RANDOM:-1}

cargo test --locked --release --test fuzz --no-run -q
log=$(mktemp /tmp/mesos-fuzz.XXXXXX)
echo "fuzz: $CASES inputs per target, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)" >&2
start=$(date +%s)
set +e
cargo test --locked --release --test fuzz -- --nocapture \
    --test-threads="${FUZZ_THREADS:-$(nproc)}" $FILTER >"$log" 2>&1
rc=$?
# Parallel tests interleave their output: pick the per-target lines out.
grep -oE 'fuzz target [a-z_0-9]+: [0-9]+ inputs in [0-9.]+s \(seed [0-9]+' "$log" | sed 's/$/)/' >&2
grep -E -A12 'panicked|minimal input' "$log" >&2
set -e
end=$(date +%s)
echo "--" >&2
grep -E '^test result' "$log" >&2 || true
total=$(grep -oE 'fuzz target [a-z_0-9]+: [0-9]+ inputs' "$log" | awk '{s += $4} END {print s + 0}')
targets=$(grep -oE 'fuzz target [a-z_0-9]+:' "$log" | sort -u | wc -l)
echo "fuzz: $targets targets, $total inputs, $((end - start)) s wall, exit $rc (log: $log)" >&2
exit "$rc"
