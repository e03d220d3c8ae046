"""The store at archive scale: ingest of pre-coded documents and query latencies.

    python bench/store.py                              # 100,000 articles, SQLite
    python bench/store.py --articles 10000             # a smaller archive
    python bench/store.py --db postgresql+psycopg://postgres@127.0.0.1:54329/postgres
    python bench/store.py --keep /tmp/arch.db          # keep (and reuse) the store

The archive is synthesised from the 89 VOA stories of ``../shared/data/voa_stories.jsonl``,
coded once by the real pipeline (cached under ``$PARLEY_CACHE_DIR``, default
``~/.cache/parley``). Article N is story N mod 89, variant K = N div 89, with

* its own id, URL and content: about one word in six has one letter changed (the same
  length, so the coded document's offsets still hold), chosen at random per variant,
  so variants are not near-duplicates of one another (MinHash Jaccard well below 0.8);
* its dates (publication, event dates) moved by (K div 2) x 11 days: variants 2J and
  2J+1 report the same events on the same days and fuse into two-source events, and
  the others spread over the years.

Ingest runs the real writer (``parley.store.writer.ingest``, batches of 200: dedup,
cross-report fusion, conflicts, pair counts) with a coder that returns the shifted
pre-coded documents. Two rates are printed: articles/s of the writer's time (the wall
time of the run less the time spent synthesising documents, which exist before a real
ingest) and articles/s of the whole run, synthesis included.
A coded document carries the MinHash signature of its text (the pipeline's clean
stage computes it), so each variant's signature is computed as it is made, in this
process, and counts as synthesis; ``--unsigned`` makes documents without one (coded
before they carried it), which the writer signs, and ``--unsigned --hash-workers N``
has them signed in N other processes.

Then each query of the query layer is run ``--runs`` times on varied arguments and its
p50 / p99 printed: a filtered event list (actor and type, a page of 50, with the
total), an event page (``event_detail``), a dyad series (a top pair, by month) and the
home page (``counts``-free overview: table sizes, newest articles, top pairs, actor
count, as ``/`` reads them). Targets (issue 15): ingest >= 500 articles/s on SQLite;
p99 < 200 ms for every query on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PARLEY_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(ROOT / "src"))

_WORD = re.compile(r"[A-Za-z]{4,}")
_LETTERS = "etaoinshrdlu"


def coded_stories() -> list[tuple[dict, dict]]:
    """(article, document) JSON of the 89 VOA stories, coded once and cached."""
    from parley.settings import Settings

    stories = SHARED / "data" / "voa_stories.jsonl"
    if not stories.exists():
        sys.exit(f"bench/store.py: {stories} not found (set PARLEY_SHARED)")
    cache_dir = Path(os.environ.get("PARLEY_CACHE_DIR") or Path.home() / ".cache" / "parley")
    cache_dir.mkdir(parents=True, exist_ok=True)
    # a new coder (rules only, or the shipped learned models) codes the stories anew
    import hashlib

    import parley

    models = Path(parley.__file__).parent / "data" / "models" / "coder.npz"
    coder = hashlib.sha256(models.read_bytes()).hexdigest()[:12] if models.exists() else "rules"
    cache = cache_dir / f"bench-store-voa-{int(stories.stat().st_mtime)}-{coder}.jsonl"
    if not cache.exists():
        from parley.ingest import read_path
        from parley.pipeline import code_batch

        del Settings
        arts = list(read_path(str(stories)))
        print(f"coding {len(arts)} VOA stories once (cached in {cache}) ...", file=sys.stderr)
        docs = code_batch(arts)
        with open(cache, "w", encoding="utf-8") as fh:
            for a, d in zip(arts, docs, strict=True):
                fh.write(json.dumps({"article": a.model_dump(mode="json"),
                                     "doc": d.model_dump(mode="json")}) + "\n")
    with open(cache, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return [(r["article"], r["doc"]) for r in rows]


def _edit(codes: Any, words: Any, seed: int, letters: Any) -> str:
    """About one word in six gets one letter changed, keeping every offset.

    ``codes`` is the text as an array of code points, ``words`` the (start, length)
    array of its words of four letters or more, ``letters`` ``_next_letters()``; the
    draws and the edit are vectorised, so a variant costs little next to storing it."""
    import numpy as np

    rng = np.random.default_rng(seed)
    chosen = words[rng.random(len(words)) < 1 / 6]
    at = chosen[:, 0] + 1 + (rng.random(len(chosen)) * (chosen[:, 1] - 1)).astype(int)
    edited = codes.copy()
    edited[at] = letters[edited[at]]
    return edited.tobytes().decode("utf-32-le")


def _next_letters() -> Any:
    """Each ASCII letter's replacement (the next of ``_LETTERS``, its case kept)."""
    import numpy as np

    table = np.arange(128, dtype=np.uint32)
    for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz":
        repl = _LETTERS[(_LETTERS.find(c.lower()) + 1) % len(_LETTERS)]
        table[ord(c)] = ord(repl.upper() if c.isupper() else repl)
    return table


def _shift(value: date | None, days: int) -> date | None:
    return value + timedelta(days=days) if value and days else value


def synthesise(stories: list[tuple[dict, dict]], n: int, signed: bool = True
               ) -> Iterator[tuple[Any, Any]]:
    """``n`` (Article, Document) pairs: the stories' variants, in order.

    Each story is validated once; a variant is a copy of it with the fields that
    change replaced (pydantic ``model_copy``), so making one costs little next to
    storing it."""
    import numpy as np

    from parley.clean.minhash import signature
    from parley.model import Article, Document

    letters = _next_letters()
    base = []
    for art, doc in stories:
        a = Article.model_validate(art)
        words = np.array([(m.start(), len(m.group())) for m in _WORD.finditer(a.text)],
                         dtype=np.int64).reshape(-1, 2)
        codes = np.frombuffer(a.text.encode("utf-32-le"), dtype="<u4")
        base.append((a, Document.model_validate(doc), words, codes))
    for i in range(n):
        art, doc, words, codes = base[i % len(base)]
        k = i // len(base)
        days = (k // 2) * 11
        text = _edit(codes, words, i, letters) + f"\n[archive copy {i}]"
        published = _shift(art.published, days)
        a = art.model_copy(update={"id": f"{art.id}-{i}", "text": text,
                                   "url": f"{art.url or 'https://bench.example/'}?v={i}",
                                   "published": published, "source": f"bench:{i}"})
        events = doc.events if not days else [
            e.model_copy(update={"date": e.date.model_copy(update={
                "value": _shift(e.date.value, days),
                "candidates": [_shift(c, days) for c in e.date.candidates]})})
            for e in doc.events]
        # a pre-coded document carries its text's signature (the coder's clean stage
        # computes it); ``signed=False``: documents coded without it
        yield a, doc.model_copy(update={"id": a.id, "text": text, "published": published,
                                        "events": events,
                                        "signature": signature(text) if signed else None})


def build(db: str, n: int, stories: list[tuple[dict, dict]], hash_workers: int = 0,
          signed: bool = True) -> tuple[float, float]:
    """Ingest ``n`` synthesised articles; return articles per second of the whole run
    and of the writer's time alone (the run less the synthesis of the documents)."""
    from parley.store import open_store
    from parley.store.writer import ingest

    docs: dict[str, Any] = {}
    making = [0.0]

    def items() -> Iterator[Any]:
        made = synthesise(stories, n, signed)
        while True:
            t = time.perf_counter()
            pair = next(made, None)
            making[0] += time.perf_counter() - t
            if pair is None:
                return
            docs[pair[0].id] = pair[1]
            yield pair[0]

    def coder(batch: list[Any]) -> list[Any]:
        return [docs.pop(a.id) for a in batch]

    done = [0]

    def progress(k: int) -> None:
        done[0] += k
        if done[0] % 10000 < k:
            print(f"  {done[0]} articles, {done[0] / (time.perf_counter() - t0):.0f}/s",
                  file=sys.stderr)

    pool = None
    if hash_workers:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(hash_workers, mp_context=multiprocessing.get_context("spawn"))
        pool.submit(int).result()  # started before the clock
    try:
        with open_store(db) as store:
            t0, cpu = time.perf_counter(), time.process_time()
            report = ingest(store, items(), coder=coder, batch_size=200, on_progress=progress,
                            executor=pool)
            elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu
    finally:
        if pool:
            pool.shutdown()
    print(f"ingest: {report.stored} articles stored ({report.near_duplicates} near-"
          f"duplicates), {report.events} events: {report.fused_new} fused events, "
          f"{report.fused_joined} joins, {report.conflicts} conflicts; {elapsed:.0f} s, of "
          f"which {making[0]:.0f} s synthesising"
          + (" (the variants and their signatures)" if signed else "")
          + f"; {cpu:.0f} s CPU in this process"
          + (f" ({hash_workers} hashing process{'es' if hash_workers > 1 else ''} besides)"
             if hash_workers else ""), file=sys.stderr)
    if not report.stored:
        return 0.0, 0.0
    return report.stored / elapsed, report.stored / max(elapsed - making[0], 1e-9)


def _time(fn: Callable[[Any], Any], args: list[Any], runs: int) -> tuple[float, float]:
    times = []
    for i in range(runs):
        t = time.perf_counter()
        fn(args[i % len(args)])
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def measure(db: str, runs: int) -> dict[str, tuple[float, float]]:
    from parley.store import open_store, queries
    from parley.store.queries import EventFilter

    out: dict[str, tuple[float, float]] = {}
    with open_store(db, create=False) as store, store.read() as conn:
        pairs = queries.top_dyads(conn, 20, EventFilter(factuality=("asserted",)))
        keys = sorted({k for a, b, _ in pairs for k in (a, b)})
        types = ["ASSAULT", "CONSULT", "ACCUSE", "AGREE", "REQUEST"]
        filters = [EventFilter(actors=(k,), types=(t,)) for k in keys for t in types]
        filters += [EventFilter(actors=(k,)) for k in keys]
        ids = [e.id for e in queries.events_page(conn, EventFilter(), limit=400,
                                                  sort="sources", descending=True)[0]]
        rng = random.Random(7)
        top = conn.exec_driver_sql("SELECT max(id) FROM fused_events").scalar() or 1
        ids += [rng.randrange(1, top + 1) for _ in range(200)]
        rng.shuffle(filters)

        def event_list(flt: EventFilter) -> None:
            queries.events_page(conn, flt, limit=50, sort="date", descending=True)

        def event_page(event_id: int) -> None:
            queries.event_detail(conn, event_id)

        def dyad(pair: tuple[str, str, int]) -> None:
            queries.dyad_series(conn, pair[0], pair[1], by="month",
                                flt=EventFilter(factuality=("asserted",)))

        def home(_: Any) -> None:
            queries.overview(conn)
            queries.articles_page(conn, limit=10, newest_first=True)
            queries.top_dyads(conn, 10, EventFilter(factuality=("asserted",)))
            queries.participant_count(conn)

        for name, fn, args in (("event list (actor, type)", event_list, filters),
                               ("event page", event_page, ids),
                               ("dyad series (top pairs, month)", dyad, pairs),
                               ("home page", home, [None])):
            fn(args[0])  # warm up
            out[name] = _time(fn, args, runs)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--db", help="a PostgreSQL URL (a fresh database is created in it and "
                    "dropped after, unless --keep) or a SQLite path")
    ap.add_argument("--keep", metavar="PATH|NAME", help="keep the store (SQLite path, or "
                    "a PostgreSQL database name); an existing one is measured, not rebuilt")
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--hash-workers", type=int, default=0, metavar="N",
                    help="processes computing the MinHash signatures of the next batch "
                    "while one is written (the writer's executor); 0: in turn")
    ap.add_argument("--unsigned", action="store_true", help="documents without their "
                    "text's MinHash signature (coded before documents carried it): the "
                    "writer computes it")
    args = ap.parse_args()

    drop: Callable[[], None] | None = None
    reuse = False
    if args.db and args.db.startswith("postgresql"):
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        admin = create_engine(args.db, isolation_level="AUTOCOMMIT")
        name = args.keep or f"parley_bench_{os.getpid()}"
        with admin.connect() as conn:
            reuse = bool(conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                      {"n": name}).scalar())
            if not reuse:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        db = make_url(args.db).set(database=name).render_as_string(hide_password=False)
        if not args.keep:
            def drop() -> None:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    else:
        path = Path(args.keep or args.db or Path(tempfile.mkdtemp()) / "archive.db")
        reuse = path.exists()
        db = str(path)
    try:
        if not reuse:
            rate, writer = build(db, args.articles, coded_stories(), args.hash_workers,
                                 not args.unsigned)
            # the documents exist before ingest (they were coded, signatures and all):
            # making them is the benchmark's work, storing them the writer's
            print(f"ingest of pre-coded documents: {writer:.0f} articles/s (the writer's "
                  f"time); {rate:.0f} articles/s with the synthesis of the documents in "
                  "the same process")
        for name, (p50, p99) in measure(db, args.runs).items():
            print(f"{name:34s} p50 {p50:7.1f} ms   p99 {p99:7.1f} ms")
    finally:
        if drop:
            drop()


if __name__ == "__main__":
    main()
