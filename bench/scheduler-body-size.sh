#!/usr/bin/env bash
# Size of realistic scheduler calls, to justify the master's request body
# limit (8 MiB, src/master/validation.rs MAX_BODY_BYTES): an ACCEPT that
# launches N tasks, for ordinary command TaskInfos and for heavy ones (20
# environment variables, 10 labels, 5 URIs, a health check). Pure JSON
# arithmetic: no daemon is started.
set -euo pipefail
python3 - <<'PY'
import json

def task(i, heavy):
    t = {
        "name": f"web-{i:05d}",
        "task_id": {"value": f"web-{i:05d}.4f1c2a9e-8e4b-4b59-9a54-5c1d1b1e{i:04d}"},
        "agent_id": {"value": "0b7c4a52-1c9d-4d8e-9f43-2f5e7a0c3d11-S12"},
        "resources": [
            {"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.5}, "allocation_info": {"role": "*"}},
            {"name": "mem", "type": "SCALAR", "scalar": {"value": 512}, "allocation_info": {"role": "*"}},
            {"name": "ports", "type": "RANGES", "ranges": {"range": [{"begin": 31000 + i % 1000, "end": 31000 + i % 1000}]}, "allocation_info": {"role": "*"}},
        ],
        "command": {"shell": True, "value": "./bin/server --port=$PORT0 --config=config.yaml"},
    }
    if heavy:
        t["command"]["environment"] = {"variables": [{"name": f"VAR_{k}", "value": "x" * 40} for k in range(20)]}
        t["command"]["uris"] = [{"value": f"https://artifacts.example.com/releases/app-{k}.tar.gz", "extract": True, "cache": False} for k in range(5)]
        t["labels"] = {"labels": [{"key": f"label-{k}", "value": "v" * 30} for k in range(10)]}
        t["health_check"] = {"type": "HTTP", "http": {"port": 31000, "path": "/health"}, "interval_seconds": 10, "timeout_seconds": 5}
    return t

limit = 8 << 20
for heavy in (False, True):
    for n in (1, 100, 1000):
        call = {"type": "ACCEPT", "framework_id": {"value": "f0c1e5f2-7a5e-4a3c-9a55-3f0d2f9b6c1e-0000"},
                "accept": {"offer_ids": [{"value": "f0c1e5f2-7a5e-4a3c-9a55-3f0d2f9b6c1e-O1"}],
                           "operations": [{"type": "LAUNCH", "launch": {"task_infos": [task(i, heavy) for i in range(n)]}}],
                           "filters": {"refuse_seconds": 5}}}
        size = len(json.dumps(call, separators=(",", ":")))
        kind = "heavy" if heavy else "ordinary"
        print(f"ACCEPT with {n:4d} {kind:8s} tasks: {size/1024:8.1f} KiB ({100*size/limit:5.1f}% of the 8 MiB limit)")
PY
