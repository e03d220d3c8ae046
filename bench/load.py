"""Bounded load test of `parley serve` on loopback.

Starts the server on 127.0.0.1 with a database ingested from the VOA sample (or the
database given), then runs N concurrent clients for a fixed time against GET
/api/events and POST /api/code, and prints p50/p99 latency, request counts, errors
(any non-2xx or transport error) and the server's memory at the start and end of the
run. Traffic goes only to 127.0.0.1 and stops by itself.

    python bench/load.py --clients 50 --seconds 30
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PARLEY_SHARED", ROOT.parent / "shared"))
SNIPPETS = [
    "Kenya and Uganda signed a border agreement on Monday.",
    "Russia may launch airstrikes on the city if the rebels refuse to withdraw.",
    "Iran threatened to close the Strait of Hormuz unless Washington lifted sanctions.",
    "The foreign ministers of Chad, Niger and Mali met in Niamey on Tuesday.",
    "Ukraine accused Russia of shelling a hospital in Kharkiv.",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss(proc: psutil.Process) -> int:
    return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)])


async def client(base: str, stop: float, results: dict, kind_weights) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        while time.monotonic() < stop:
            kind = random.choices(*kind_weights)[0]
            t = time.perf_counter()
            try:
                if kind == "events":
                    r = await http.get("/api/events", params={"limit": 20,
                                                              "offset": random.randint(0, 40)})
                else:
                    r = await http.post("/api/code", json={"text": random.choice(SNIPPETS),
                                                           "published": "2024-03-08"})
                ok = 200 <= r.status_code < 300
                status = r.status_code
            except httpx.HTTPError as exc:
                ok, status = False, type(exc).__name__
            ms = (time.perf_counter() - t) * 1000
            bucket = results.setdefault(kind, {"lat": [], "errors": 0, "statuses": {}})
            bucket["lat"].append(ms)
            if not ok:
                bucket["errors"] += 1
                bucket["statuses"][str(status)] = bucket["statuses"].get(str(status), 0) + 1


async def run_load(base: str, clients: int, seconds: float, code_share: float) -> dict:
    results: dict = {}
    stop = time.monotonic() + seconds
    weights = (["events", "code"], [1 - code_share, code_share])
    await asyncio.gather(*(client(base, stop, results, weights) for _ in range(clients)))
    return results


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--code-share", type=float, default=0.2,
                    help="share of requests that are POST /api/code (the rest GET /api/events)")
    ap.add_argument("--db", help="an existing database URL/path (default: ingest VOA sample)")
    ap.add_argument("--stories", type=int, default=89,
                    help="VOA stories to ingest into the throwaway database")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="parley-load-")
    db = args.db
    if db is None:
        voa = SHARED / "data" / "voa_stories.jsonl"
        if not voa.is_file():
            print(f"skip: {voa} not found (set PARLEY_SHARED)")
            return 0
        db = str(Path(tmp) / "load.db")
        sample = Path(tmp) / "stories.jsonl"
        with voa.open(encoding="utf-8") as src:
            sample.write_text("".join(line for _, line in zip(range(args.stories), src)),
                              encoding="utf-8")
        subprocess.run([sys.executable, "-m", "parley", "ingest", str(sample), "--db", db],
                       check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "parley", "serve", "--db", db,
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/api/events?limit=1", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        proc = psutil.Process(server.pid)
        # warm-up: load the NLP pipeline in the server before measuring memory
        httpx.post(base + "/api/code", json={"text": SNIPPETS[0]}, timeout=120)
        rss_start = rss(proc)
        results = asyncio.run(run_load(base, args.clients, args.seconds, args.code_share))
        rss_end = rss(proc)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = {
        "clients": args.clients, "seconds": args.seconds,
        "rss_start_mb": round(rss_start / 2**20, 1), "rss_end_mb": round(rss_end / 2**20, 1),
        "rss_growth_pct": round(100 * (rss_end - rss_start) / rss_start, 1),
        "endpoints": {},
    }
    for kind, b in results.items():
        lat = b["lat"]
        report["endpoints"][kind] = {
            "requests": len(lat), "errors": b["errors"], "statuses": b["statuses"],
            "rps": round(len(lat) / args.seconds, 1),
            "p50_ms": round(pct(lat, 0.50), 1), "p99_ms": round(pct(lat, 0.99), 1),
            "mean_ms": round(statistics.fmean(lat), 1) if lat else None,
        }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{args.clients} clients for {args.seconds:.0f} s against {base}")
        for kind, e in report["endpoints"].items():
            print(f"  {kind:7s} {e['requests']:6d} requests  {e['rps']:7.1f}/s  "
                  f"p50 {e['p50_ms']:8.1f} ms  p99 {e['p99_ms']:8.1f} ms  errors {e['errors']}")
        print(f"  server RSS {report['rss_start_mb']} MB -> {report['rss_end_mb']} MB "
              f"({report['rss_growth_pct']:+.1f}%)")
    errors = sum(e["errors"] for e in report["endpoints"].values())
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
