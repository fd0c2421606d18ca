#!/usr/bin/env python3
"""Poll a URL from N concurrent keep-alive HTTP/1.1 clients at R requests/s
each until a stop file appears (or --duration passes); print one JSON line
of statistics: requests, errors, latency percentiles (ms), bytes.

Every response must be 200 with a body that parses as JSON (every
--validate-every'th body is parsed fully; the others are checked for a
complete Content-Length body). Half the clients ask for gzip
(--gzip-share), like browsers and `mesos state` do.

Used by bench/state-load.sh; standard library only.
"""
import argparse
import asyncio
import gzip
import json
import os
import sys
import time
from urllib.parse import urlsplit


async def one_request(reader, writer, host, path, use_gzip):
    enc = "Accept-Encoding: gzip\r\n" if use_gzip else ""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{enc}\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int((await reader.readline()).split(b";")[0].strip(), 16)
            if size == 0:
                await reader.readline()
                break
            chunks.append(await reader.readexactly(size))
            await reader.readline()
        body = b"".join(chunks)
    else:
        body = await reader.read()
    closing = headers.get("connection", "").lower() == "close"
    return status, headers, body, closing


async def client(i, args, stop, stats):
    u = urlsplit(args.url)
    host, port = u.hostname, u.port or 80
    path = u.path + (("?" + u.query) if u.query else "")
    use_gzip = i < int(args.clients * args.gzip_share + 0.5)
    period = 1.0 / args.rate
    # Spread the clients' first requests over one period.
    next_at = time.monotonic() + period * i / args.clients
    conn = None
    n = 0
    while not stop.is_set():
        delay = next_at - time.monotonic()
        if delay > 0:
            try:
                await asyncio.wait_for(stop.wait(), delay)
                break
            except asyncio.TimeoutError:
                pass
        next_at = max(next_at + period, time.monotonic())
        t0 = time.monotonic()
        try:
            if conn is None:
                conn = await asyncio.open_connection(host, port)
            status, headers, body, closing = await asyncio.wait_for(
                one_request(conn[0], conn[1], u.netloc, path, use_gzip), args.timeout
            )
            ms = (time.monotonic() - t0) * 1000.0
            ok = status == 200
            if ok and n % args.validate_every == 0:
                raw = body
                if headers.get("content-encoding") == "gzip":
                    raw = gzip.decompress(body)
                try:
                    json.loads(raw)
                except ValueError:
                    ok = False
            n += 1
            if ok:
                stats["latencies"].append(ms)
                stats["bytes"] += len(body)
            else:
                stats["errors"] += 1
                stats["first_error"] = stats["first_error"] or f"status {status}"
            if closing:
                conn[1].close()
                conn = None
        except Exception as e:  # noqa: BLE001 - every failure is an error here
            stats["errors"] += 1
            stats["first_error"] = stats["first_error"] or repr(e)
            if conn is not None:
                conn[1].close()
                conn = None
    if conn is not None:
        conn[1].close()


def pct(sorted_ms, p):
    if not sorted_ms:
        return None
    k = min(len(sorted_ms) - 1, int(round(p / 100.0 * (len(sorted_ms) - 1))))
    return round(sorted_ms[k], 1)


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--rate", type=float, default=5.0, help="requests/s per client")
    ap.add_argument("--stop-file", help="stop once this file exists")
    ap.add_argument("--duration", type=float, default=0, help="stop after this many seconds")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--validate-every", type=int, default=5)
    ap.add_argument("--gzip-share", type=float, default=0.5)
    args = ap.parse_args()
    stop = asyncio.Event()
    stats = {"latencies": [], "errors": 0, "bytes": 0, "first_error": None}
    t0 = time.monotonic()
    tasks = [asyncio.create_task(client(i, args, stop, stats)) for i in range(args.clients)]
    while True:
        await asyncio.sleep(0.1)
        if args.stop_file and os.path.exists(args.stop_file):
            break
        if args.duration and time.monotonic() - t0 >= args.duration:
            break
    stop.set()
    await asyncio.gather(*tasks)
    secs = time.monotonic() - t0
    lat = sorted(stats["latencies"])
    out = {
        "seconds": round(secs, 1),
        "requests": len(lat) + stats["errors"],
        "errors": stats["errors"],
        "first_error": stats["first_error"],
        "req_per_s": round((len(lat) + stats["errors"]) / secs, 1),
        "p50_ms": pct(lat, 50),
        "p90_ms": pct(lat, 90),
        "p99_ms": pct(lat, 99),
        "max_ms": pct(lat, 100),
        "mb": round(stats["bytes"] / 1e6, 1),
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
