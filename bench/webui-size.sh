#!/usr/bin/env bash
# Web UI weight: bytes transferred for a full overview load (every asset the
# page loads, gzip'd as the master sends them to a browser, plus
# /master/state) from a real master with one agent. Budget (issue 17): the
# whole UI under 300 KB; kept under ~60 KB. No browser needed: first paint
# (and the browser's own transfer count) is bench/webui.sh (docs/webui.md#budgets).
# Usage: bench/webui-size.sh [MESOS_BIN]
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
profile=${PROFILE:-debug}
flag=$([ "$profile" = release ] && echo --release || true)
if [ -z "${1:-}" ]; then cargo build $flag --locked -q --bin mesos; fi
bin=${1:-$target_dir/$profile/mesos}
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
"$bin" master --ip=127.0.0.1 --port="$port" --registry=in_memory --logging_level=WARNING >"$tmp/m.log" 2>&1 & pids+=($!)
url="http://127.0.0.1:$port"
for _ in $(seq 1 200); do curl -sf -o /dev/null "$url/master/health" && break; sleep 0.05; done
aport=$(free_port)
"$bin" agent --master="127.0.0.1:$port" --ip=127.0.0.1 --port="$aport" --work_dir="$tmp/agent" --logging_level=WARNING >"$tmp/a.log" 2>&1 & pids+=($!)
for _ in $(seq 1 200); do curl -s "$url/master/state" | grep -q '"activated_slaves":1' && break; sleep 0.1; done
# What index.html loads (stylesheet, module scripts and their preloads).
assets=$(curl -s "$url/" | grep -oE '(href|src)="webui/[^"]+"' | sed -E 's/.*"webui\/([^"]+)"/\1/' | sort -u)
total=0
for a in $assets index; do
  p=$([ "$a" = index ] && echo "/" || echo "/webui/$a")
  n=$(curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$url$p")
  echo "asset $p: $n bytes"
  total=$((total + n))
done
state=$(curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$url/master/state")
masters=$(curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$url/webui/api/masters")
echo "webui_assets_gzip_bytes: $total"
echo "webui_overview_transfer_bytes: $((total + state + masters)) (assets + /master/state $state + /webui/api/masters $masters)"
[ "$total" -lt 307200 ] || { echo "over the 300 KB budget" >&2; exit 1; }
