#!/bin/sh
# Regenerate proto/mesos.desc, the descriptor set of proto/mesos/v1/*.proto
# that the daemons and the CLI load at run time (src/wire/proto/).
# Needs protoc (Debian: protobuf-compiler). Run from anywhere.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v protoc >/dev/null 2>&1 || {
    echo "gen-proto.sh: protoc not found (install protobuf-compiler)" >&2
    exit 1
}
out=${1:-proto/mesos.desc}
tmp="$out.tmp.$$"
protoc -I proto --include_imports --descriptor_set_out="$tmp" \
    proto/mesos/v1/mesos.proto proto/mesos/v1/scheduler.proto \
    proto/mesos/v1/executor.proto proto/mesos/v1/master.proto \
    proto/mesos/v1/agent.proto proto/mesos/v1/allocator.proto \
    proto/mesos/v1/maintenance.proto proto/mesos/v1/quota.proto
mv "$tmp" "$out"
