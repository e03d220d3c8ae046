"""A batch is written set by set, yet it decides what writing its documents one at a
time decides: whatever the batch size, the same articles, near-duplicate links, fused
events, reasons, conflicts, pair counts and kept counts, on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from tests.helpers import REPORTS, pg_database, synthetic_articles

# written by the clock, not decided by the writer
_TIMESTAMPS = {"created_at", "updated_at", "ingested_at", "applied_at"}


def _articles():
    from parley.model import Article

    records = [*REPORTS, *synthetic_articles(24)]
    wire = {**REPORTS[0], "id": "wire-copy", "url": "https://copy.example/railway",
            "text": REPORTS[0]["text"] + "\nCopyright Wire Service."}
    late = {**REPORTS[2], "id": "late-copy", "url": "https://copy.example/talks",
            "text": "By Staff Writer\n\n" + REPORTS[2]["text"]}
    # a copy right behind its original (one batch), another far behind (a later one)
    records.insert(1, wire)
    records.append(late)
    return [Article(source=f"t:{i}", **r) for i, r in enumerate(records)]


def _dump(db: str) -> dict[str, list[tuple]]:
    from parley.store import open_store
    from parley.store.schema import METADATA

    out: dict[str, list[tuple]] = {}
    with open_store(db, create=False) as store, store.read() as conn:
        for name, table in METADATA.tables.items():
            cols = [c for c in table.c if c.name not in _TIMESTAMPS]
            key = list(table.primary_key.columns) or cols
            out[name] = [tuple(v.isoformat() if isinstance(v, date | datetime) else v
                               for v in row)
                         for row in conn.execute(select(*cols).order_by(*key))]
    return out


def test_any_batch_size_stores_what_one_document_at_a_time_stores(db, tmp_path):
    from parley.pipeline import code_batch
    from parley.store import open_store, queries
    from parley.store.schema import fused_participants
    from parley.store.writer import ingest

    items = _articles()
    docs = {a.id: d for a, d in zip(items, code_batch(items, min_confidence=0.0),
                                    strict=True)}

    def coder(batch):
        return [docs[a.id] for a in batch]

    if db.startswith("postgresql"):
        one_by_one, drop = pg_database()
    else:
        one_by_one, drop = str(tmp_path / "one-by-one.db"), None
    try:
        with open_store(one_by_one) as store:
            single = ingest(store, items, coder=coder, batch_size=1)
        with open_store(db) as store:
            whole = ingest(store, items, coder=coder, batch_size=len(items))
            with store.read() as conn:
                keys = conn.execute(select(func.count(func.distinct(fused_participants.c.key)))
                                    ).scalar_one()
                assert queries.participant_count(conn) == keys > 0
        assert (single.stored, single.near_duplicates, single.fused_joined, single.copied) == (
            whole.stored, whole.near_duplicates, whole.fused_joined, whole.copied)
        assert whole.near_duplicates == 2 and whole.copied > 0 and whole.fused_joined > 0
        assert whole.conflicts > 0
        assert _dump(db) == _dump(one_by_one)
    finally:
        if drop:
            drop()


def _coder(items):
    from parley.pipeline import code_batch

    docs = {a.id: d for a, d in zip(items, code_batch(items, min_confidence=0.0),
                                    strict=True)}
    return lambda batch: [docs[a.id] for a in batch]


def test_signatures_carried_computed_or_hashed_on_an_executor_store_the_same(tmp_path):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from parley.store import open_store
    from parley.store.writer import ingest

    items = _articles()
    coder = _coder(items)

    def unsigned(batch):  # documents coded before they carried a signature
        return [d.model_copy(update={"signature": None}) for d in coder(batch)]

    assert all(d.signature is not None for d in coder(items) if d.text.strip())
    carried, computed, ahead = (str(tmp_path / f"{n}.db")
                                for n in ("carried", "computed", "ahead"))
    with open_store(carried) as store:
        expected = ingest(store, items, coder=coder, batch_size=4)
    with open_store(computed) as store:
        ingest(store, items, coder=unsigned, batch_size=4)
    with (ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool,
          open_store(ahead) as store):
        got = ingest(store, items, coder=unsigned, batch_size=4, executor=pool)
    assert (got.stored, got.batches, got.near_duplicates, got.copied) == (
        expected.stored, expected.batches, expected.near_duplicates, expected.copied)
    assert expected.near_duplicates == 2
    assert _dump(ahead) == _dump(carried) == _dump(computed)


def test_a_failing_coder_with_an_executor_keeps_the_batches_before_it(tmp_path):
    from parley.errors import PipelineError
    from parley.store import open_store, queries
    from parley.store.writer import ingest

    items = _articles()[:12]
    coder = _coder(items)
    calls = []

    def failing(batch):
        calls.append(len(batch))
        if len(calls) == 3:
            raise PipelineError("no model")
        return coder(batch)

    with ThreadPoolExecutor(1) as pool:
        for executor in (None, pool):
            db = str(tmp_path / f"{'ahead' if executor else 'in-turn'}.db")
            calls.clear()
            with open_store(db) as store, pytest.raises(PipelineError):
                ingest(store, items, coder=failing, batch_size=4, executor=executor)
            with open_store(db, create=False) as store, store.read() as conn:
                assert queries.overview(conn)["articles"] == 8  # the two batches before it


def test_the_fused_events_a_batch_leaves_in_memory_are_as_the_store_reads_them(db,
                                                                              monkeypatch):
    from parley.store import open_store, writer

    kept: list = []

    class Recording(writer._FusedCache):
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            kept.append(self)

    monkeypatch.setattr(writer, "_FusedCache", Recording)
    items = _articles()
    with open_store(db) as store:
        report = writer.ingest(store, items, coder=_coder(items), batch_size=3)
        assert report.fused_joined > 0 and report.copied > 0
        (cache,) = kept
        assert len(cache.events) >= report.fused_new
        with store.read() as conn:
            stored = {f.id: f for f in writer.load_fused(conn, sorted(cache.events))}
    assert set(stored) == set(cache.events)
    for fid, f in cache.events.items():
        assert f.members == stored[fid].members, fid
        assert f.summary() == stored[fid].summary()


def test_ingest_puts_the_garbage_collector_back_as_it_was(tmp_path):
    import gc

    from parley.store import open_store
    from parley.store.writer import ingest

    items = _articles()[:6]
    coder, seen = _coder(items), []

    def watching(batch):
        seen.append(gc.get_threshold())
        return coder(batch)

    before = gc.get_threshold()
    with open_store(str(tmp_path / "gc.db")) as store:
        ingest(store, items, coder=watching, batch_size=3)
    assert gc.get_threshold() == before
    assert all(t[0] >= max(before[0], 50_000) for t in seen)
