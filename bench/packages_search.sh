#!/usr/bin/env bash
# `mesos package search` budget (docs/benchmarks.md, "Package search"):
# the whole process, searching a cached 100-package repository, under 30 ms.
#
# A generated Universe repository document (100 packages, each with a config
# schema, resource, notes and a base64 Marathon template, like real Universe
# entries) is served once by a small Python server with the universe v4
# content type and an ETag; one `mesos package search` fills the cache, the
# server is stopped, and hyperfine then times searches that read only the
# cache (within the 10-minute freshness window no request is made — the
# server being gone proves it). Needs python3 and hyperfine (installed with
# apt-get when missing).
# Binary: $MESOS_BIN, else target/release/mesos when it has `package`, else
# the debug build (say which in the figures).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
bin=${MESOS_BIN:-}
if [ -z "$bin" ]; then
  if [ -x "$target_dir/release/mesos" ] && "$target_dir/release/mesos" package --help >/dev/null 2>&1; then
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
server_pid=
trap '[ -n "$server_pid" ] && kill $server_pid 2>/dev/null; rm -rf "$work"' EXIT

cat > "$work/server.py" <<'PY'
import base64, json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer

port_file = sys.argv[1]
packages = []
for i in range(100):
    name = f"pkg-{i:03d}"
    template = json.dumps({
        "id": "{{service.name}}", "cmd": "./serve --port $PORT0", "cpus": "{{service.cpus}}",
        "mem": "{{service.mem}}", "instances": 1, "portDefinitions": [{"port": 0}],
        "healthChecks": [{"protocol": "MESOS_HTTP", "path": "/health", "portIndex": 0}],
    }, indent=2)
    packages.append({
        "packagingVersion": "4.0", "name": name, "version": f"1.{i % 7}.0", "releaseVersion": i % 3,
        "maintainer": "bench@example.com", "description": f"Benchmark package number {i}, " + "lorem ipsum " * 8,
        "tags": ["bench", f"group-{i % 10}", "service"], "selected": i % 10 == 0, "framework": i % 4 == 0,
        "website": f"https://example.com/{name}", "preInstallNotes": "Needs 1 CPU. " * 5,
        "postInstallNotes": f"{name} is running.", "postUninstallNotes": f"{name} is gone.",
        "licenses": [{"name": "Apache License Version 2.0", "url": "https://www.apache.org/licenses/LICENSE-2.0"}],
        "config": {"type": "object", "properties": {"service": {"type": "object", "properties": {
            "name": {"type": "string", "default": name, "description": "The app id"},
            "cpus": {"type": "number", "default": 0.5, "minimum": 0.1},
            "mem": {"type": "integer", "default": 256, "minimum": 32}}}}},
        "resource": {"assets": {"uris": {"bin": f"https://example.com/{name}.tgz"}},
                     "images": {"icon-small": f"https://example.com/{name}-s.png"}},
        "marathon": {"v2AppMustacheTemplate": base64.b64encode(template.encode()).decode()},
    })
body = json.dumps({"packages": packages}).encode()

class H(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/vnd.dcos.universe.repo+json;charset=utf-8;version=v4")
        self.send_header("ETag", '"bench-1"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass

srv = HTTPServer(("127.0.0.1", 0), H)
with open(port_file, "w") as f:
    f.write(str(srv.server_address[1]))
srv.serve_forever()
PY

python3 "$work/server.py" "$work/port" &
server_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
port=$(cat "$work/port")

export MESOS_CONFIG="$work/config.toml" MESOS_CACHE_DIR="$work/cache" HOME="$work"
"$bin" package repo add bench "http://127.0.0.1:$port/repo" --index 0 >/dev/null 2>&1
"$bin" package repo remove builtin >/dev/null 2>&1 || true
found=$("$bin" package search --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["packages"]))')
echo "packages found: $found; cache: $(du -b "$work"/cache/repositories/*.repo | cut -f1) bytes" >&2
kill $server_pid; wait $server_pid 2>/dev/null || true; server_pid=

hyperfine -N --warmup 20 --runs 300 --export-json "$work/times.json" \
  "$bin --version" \
  "$bin package repo list" \
  "$bin package search" \
  "$bin package search group-3" \
  "$bin package describe pkg-042 --render"
python3 - "$work/times.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"median {r['median'] * 1000:6.2f} ms  min {r['min'] * 1000:6.2f} ms  {r['command']}")
PY
# Instruction counts (deterministic, unlike wall time on a busy machine).
if command -v valgrind >/dev/null; then
  for args in "--version" "package repo list" "package search"; do
    # shellcheck disable=SC2086
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" $args >/dev/null 2>"$work/cg.err" || true
    echo "instructions $(grep -o 'Collected : [0-9]*' "$work/cg.err" | cut -d' ' -f3)  mesos $args"
  done
fi
