"""Page and API timings of the web workbench, on the VOA archive and a 10,000-article one.

    python bench/web.py                          # both archives, built under a temp dir
    python bench/web.py --articles 89            # only the VOA archive
    python bench/web.py --db parley.db           # an existing store, as it is
    python bench/web.py --keep /tmp/wb           # keep (and reuse) the built stores
    python bench/web.py --articles 89 --screenshots docs/screenshots   # README pictures

The VOA archive is the 89 stories of ``../shared/data/voa_stories.jsonl`` ingested by
the real pipeline (``parley ingest``: coding, fusion, conflicts). The larger archive is
synthesised from it without coding again: every stored row of the VOA archive
(articles, actors, document events and their participants, fused events, their
participants and reports, conflicts) is copied K times with new ids, and each copy's
dates are moved K x 7 days later, so the copies do not pile onto the same days. A copy's
text gets a suffix so its content hash stays unique. The copies are not fused with one
another (fusion would merge the identical copies into one event), so the large store
has K times the events, participants and conflicts of the small one: what an archive
of that many distinct articles would roughly hold.

Each page is requested in-process through the real ASGI app (Starlette's test client,
no network) once to warm up and then ``--runs`` times; the median and the maximum wall
time are printed per page, with the targets of issue 16 (every page < 300 ms on the
VOA archive and < 1 s on 10,000 articles).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PARLEY_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(ROOT / "src"))

PAGES = [
    "/", "/events", "/events?factuality=any", "/events?q=ceasefire&factuality=any",
    "/events?place=Washington", "/events?actor=USA,CHN&factuality=any",
    "/events?sort=score&dir=desc", "/events?offset=500", "/articles", "/articles/{big}",
    "/events/{event}", "/conflicts", "/conflicts?kind=date", "/actors", "/actors?q=chin",
    "/actors/USA", "/map", "/map?factuality=any", "/dyad",
    "/dyad?a=USA&b=RUS&by=month", "/dyad?a=USA&b=CHN&by=week&factuality=any",
    "/code", "/docs",
    "/api/events", "/api/events?q=ceasefire", "/api/map", "/api/actors/USA",
    "/api/conflicts", "/api/dyad?a=USA&b=RUS", "/openapi.json",
]


def build_voa(path: Path) -> None:
    """The 89 VOA stories, coded and stored by the real pipeline."""
    from parley.ingest.readers import read_inputs
    from parley.pipeline import code_batch
    from parley.store import open_store
    from parley.store.writer import ingest

    source = SHARED / "data" / "voa_stories.jsonl"
    if not source.exists():
        sys.exit(f"bench/web.py: {source} not found (set PARLEY_SHARED)")
    with open_store(str(path)) as store:
        report = ingest(store, read_inputs([str(source)]), coder=code_batch)
    print(f"VOA archive: {report.stored} articles -> {path}", file=sys.stderr)


def synthesise(small: Path, big: Path, articles: int) -> None:
    """Copy every row of ``small`` into ``big`` until it holds ``articles`` articles."""
    from sqlalchemy import func, select

    from parley.store import open_store
    from parley.store import schema as t

    shutil.copyfile(small, big)
    order = [t.articles, t.actors, t.doc_events, t.doc_event_participants, t.fused_events,
             t.fused_participants, t.fused_event_reports, t.conflicts]
    with open_store(str(big), create=False) as store:
        with store.read() as conn:
            rows = {tab.name: [dict(r) for r in conn.execute(select(tab)).mappings()]
                    for tab in order + [t.minhash_bands]}
            top = {tab.name: conn.execute(select(func.max(tab.c.id))).scalar() or 0
                   for tab in order if "id" in tab.c}
        n = len(rows["articles"])
        copies = max(0, -(-articles // n) - 1)
        for k in range(1, copies + 1):
            need = min(n, articles - n * k)
            if need <= 0:
                break
            keep = {r["id"] for r in rows["articles"][:need]}
            shift = {name: top[name] * k for name in top}
            days = timedelta(days=7 * k)

            def moved(value, days=days):
                return value + days if value is not None else None

            def art(aid, offset=shift["articles"]):
                return aid + offset if aid is not None else None

            out: dict[str, list[dict]] = {}
            out["articles"] = [{**r, "id": art(r["id"]), "near_duplicate_of":
                                art(r["near_duplicate_of"]), "published": moved(r["published"]),
                                "content_hash": f"{r['content_hash'][:48]}{k:016x}",
                                "doc_id": f"{r['doc_id']}~{k}", "minhash": None}
                               for r in rows["articles"] if r["id"] in keep]
            out["actors"] = [{**r, "id": r["id"] + shift["actors"], "article_id":
                              art(r["article_id"])}
                             for r in rows["actors"] if r["article_id"] in keep]
            des = {r["id"] for r in rows["doc_events"] if r["article_id"] in keep}
            out["doc_events"] = [{**r, "id": r["id"] + shift["doc_events"],
                                  "article_id": art(r["article_id"]), "date": moved(r["date"])}
                                 for r in rows["doc_events"] if r["id"] in des]
            out["doc_event_participants"] = [
                {**r, "doc_event_id": r["doc_event_id"] + shift["doc_events"],
                 "actor_id": r["actor_id"] + shift["actors"]}
                for r in rows["doc_event_participants"] if r["doc_event_id"] in des]
            fes = {r["fused_event_id"] for r in rows["fused_event_reports"]
                   if r["doc_event_id"] in des}
            out["fused_events"] = [{**r, "id": r["id"] + shift["fused_events"],
                                    "date": moved(r["date"]), "ref_date": moved(r["ref_date"]),
                                    "anchor_date": moved(r["anchor_date"])}
                                   for r in rows["fused_events"] if r["id"] in fes]
            out["fused_participants"] = [
                {**r, "fused_event_id": r["fused_event_id"] + shift["fused_events"]}
                for r in rows["fused_participants"] if r["fused_event_id"] in fes]
            out["fused_event_reports"] = [
                {**r, "fused_event_id": r["fused_event_id"] + shift["fused_events"],
                 "doc_event_id": r["doc_event_id"] + shift["doc_events"],
                 "article_id": art(r["article_id"]),
                 "canonical_article_id": art(r["canonical_article_id"])}
                for r in rows["fused_event_reports"] if r["doc_event_id"] in des]
            out["conflicts"] = [
                {**r, "id": r["id"] + shift["conflicts"],
                 "fused_event_id": (r["fused_event_id"] + shift["fused_events"]
                                    if r["fused_event_id"] is not None else None),
                 "doc_event_id": (r["doc_event_id"] + shift["doc_events"]
                                  if r["doc_event_id"] is not None else None),
                 "evidence": [{**e, "article_id": art(e["article_id"])} for e in r["evidence"]]}
                for r in rows["conflicts"]
                if all(e["article_id"] in keep for e in r["evidence"])
                and (r["fused_event_id"] is None or r["fused_event_id"] in fes)]
            with store.write() as conn:
                for tab in order:
                    if out[tab.name]:
                        conn.execute(tab.insert(), out[tab.name])
            print(f"  copy {k}/{copies}", file=sys.stderr, end="\r")
    print(f"synthetic archive: {articles} articles -> {big}", file=sys.stderr)


def sample_ids(db: str) -> dict[str, int]:
    from sqlalchemy import func, select

    from parley.store import open_store
    from parley.store.schema import doc_events, fused_events

    with open_store(db, create=False) as store, store.read() as conn:
        big = conn.execute(select(doc_events.c.article_id).group_by(doc_events.c.article_id)
                           .order_by(func.count().desc()).limit(1)).scalar()
        event = conn.execute(select(func.min(fused_events.c.id))).scalar()
        # the best-sourced disputed event, for the event page's picture
        rich = conn.execute(select(fused_events.c.id).order_by(
            fused_events.c.disputed.desc(), fused_events.c.source_count.desc(),
            fused_events.c.id).limit(1)).scalar()
    return {"big": big or 1, "event": event or 1, "rich": rich or 1}


DOWNLOADS = ["/api/events.csv?actor=USA", "/api/events.parquet?actor=USA", "/api/events.csv"]


def time_pages(db: str, runs: int, pages: list[str] = PAGES
               ) -> list[tuple[str, int, float, float, float, int]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from parley.http import create_app

    ids = sample_ids(db)
    out = []
    with TestClient(create_app(db)) as client:
        for page in pages:
            url = page.format(**ids)
            t = time.perf_counter()
            r = client.get(url)  # the first request: templates, SQLite's page cache and
            first = (time.perf_counter() - t) * 1000  # the aggregate cache are cold
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                r = client.get(url)
                times.append((time.perf_counter() - t) * 1000)
            times = times or [first]
            out.append((url, r.status_code, first, statistics.median(times), max(times),
                        len(r.content)))
    return out


SHOTS = [  # (file, page, what to do first)
    ("home", "/", None),
    ("events", "/events", None),
    ("event", "/events/{rich}", None),
    ("article", "/articles/{big}", "select"),
    ("conflicts", "/conflicts", None),
    ("actors", "/actors", None),
    ("actor", "/actors/USA", None),
    ("map", "/map", "point"),
    ("dyad", "/dyad?a=RUS&b=USA&by=month", None),
    ("articles", "/articles", None),
    ("code", "/code", None),
    ("docs", "/docs", "docs"),
]


def _shrink(path: Path) -> None:
    """A 256-colour PNG: a third of the size, the same to the eye for these pages (so
    the pictures can live in the repository)."""
    from PIL import Image

    with Image.open(path) as img:
        small = img.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def screenshots(db: str, folder: Path) -> None:
    """The README's pictures: ``parley serve`` on ``db``, Debian's Chromium driven by
    Playwright, one 1280x860 screenshot per page."""
    import socket
    import subprocess

    import httpx
    from playwright.sync_api import sync_playwright

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen([sys.executable, "-m", "parley", "serve", "--db", db,
                               "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    folder.mkdir(parents=True, exist_ok=True)
    ids = sample_ids(db)
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(base_url=base, viewport={"width": 1280, "height": 860})
            for name, url, action in SHOTS:
                page.goto(url.format(**ids))
                if action == "select":
                    page.locator("button.ev").nth(12).click()
                    page.mouse.move(2, 2)
                elif action == "point":
                    page.locator("a.point").first.click()
                    page.get_by_test_id("place-events").wait_for()
                elif action == "docs":
                    page.locator(".opblock").first.wait_for()
                page.wait_for_timeout(200)
                path = folder / f"{name}.png"
                page.screenshot(path=str(path))
                _shrink(path)
                print(f"  {path}", file=sys.stderr)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


def counts(db: str) -> dict[str, int]:
    from parley.store import open_store, queries

    with open_store(db, create=False) as store, store.read() as conn:
        return queries.counts(conn)


def report(label: str, db: str, runs: int, target_ms: float) -> list[dict]:
    c = counts(db)
    print(f"\n## {label}: {c['articles']:,} articles, {c['fused_events']:,} events, "
          f"{c['fused_participants']:,} participants, {c['conflicts']:,} conflicts "
          f"(target < {target_ms:g} ms)\n")
    print("| page | status | first ms | median ms | max ms | KB |")
    print("|---|---|---:|---:|---:|---:|")
    rows = []
    for url, status, first, med, worst, size in time_pages(db, runs):
        flag = "" if max(worst, first) < target_ms else " **over**"
        print(f"| `{url}` | {status} | {first:.0f} | {med:.0f} | {worst:.0f}{flag} | "
              f"{size / 1024:.0f} |")
        rows.append({"archive": label, "url": url, "status": status, "first_ms": first,
                     "median_ms": med, "max_ms": worst, "bytes": size})
    print("\nDownloads (not pages; no target):\n")
    print("| download | status | ms | MB |")
    print("|---|---|---:|---:|")
    for url, status, first, _, _, size in time_pages(db, 0, DOWNLOADS):
        print(f"| `{url}` | {status} | {first:.0f} | {size / 1e6:.1f} |")
        rows.append({"archive": label, "url": url, "status": status, "first_ms": first,
                     "bytes": size})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", help="time this store only (no archive is built)")
    ap.add_argument("--articles", type=int, nargs="*", default=[89, 10_000],
                    help="archive sizes: 89 is the VOA archive, more are synthesised")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep", type=Path, help="build (or reuse) the stores in this folder")
    ap.add_argument("--json", type=Path, help="also write the timings here")
    ap.add_argument("--screenshots", type=Path,
                    help="save screenshots of the pages on the VOA archive here instead")
    args = ap.parse_args()
    if args.screenshots:
        folder = args.keep or Path(tempfile.mkdtemp(prefix="parley-bench-web-"))
        voa = Path(args.db) if args.db else folder / "voa-89.db"
        if not voa.exists():
            build_voa(voa)
        screenshots(str(voa), args.screenshots)
        return
    results: list[dict] = []
    if args.db:
        results += report(args.db, args.db, args.runs, 1000)
    else:
        folder = args.keep or Path(tempfile.mkdtemp(prefix="parley-bench-web-"))
        folder.mkdir(parents=True, exist_ok=True)
        voa = folder / "voa-89.db"
        if not voa.exists():
            build_voa(voa)
        for n in args.articles:
            db = voa if n <= 89 else folder / f"synthetic-{n}.db"
            if not db.exists():
                synthesise(voa, db, n)
            results += report(f"{n:,} articles", str(db), args.runs, 300 if n <= 89 else 1000)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
