"""The query functions the views added (pages, sorting, evidence) give the same answers on
SQLite and PostgreSQL (PostgreSQL with PARLEY_TEST_PG_URL, as tests/store does)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import pytest

from parley.pipeline import code_batch
from parley.store import open_store, queries
from parley.store.queries import EVENT_SORTS, ConflictFilter, EventFilter
from tests.helpers import PG_URL, REPORTS, pg_database


def _snapshot(conn) -> dict:
    """Every new query over the store, as plain data (ids included: both backends
    number rows in insertion order)."""
    out: dict = {}
    out["articles"] = [asdict(r) for r in queries.articles_page(conn, limit=200)[0]]
    out["recent"] = [r.id for r in queries.articles_page(conn, limit=3, newest_first=True)[0]]
    out["article"] = asdict(queries.article(conn, 1))
    for sort in EVENT_SORTS:
        for desc in (False, True):
            rows, total = queries.events_page(conn, limit=200, sort=sort, descending=desc)
            out[f"events-{sort}-{desc}"] = ([r.id for r in rows], total)
    page, total = queries.events_page(conn, EventFilter(actors=("usa",)), limit=2, offset=1)
    out["events-page"] = ([r.as_dict() for r in page], total)
    out["actors"] = [asdict(r) for r in queries.participants_page(conn, limit=200)[0]]
    out["actors-q"] = [r.key for r in queries.participants_page(conn, q="AN")[0]]
    out["actors-like"] = queries.participants_page(conn, q="_")[1]
    out["conflicts"] = [asdict(r) for r in queries.conflicts_page(conn)[0]]
    out["detail"] = [asdict(queries.event_detail(conn, e.id)) for e in queries.events(conn)]
    out["article-events"] = [queries.article_events(conn, a) for a in range(1, 8)]
    out["article-conflicts"] = [[asdict(c) for c in queries.article_conflicts(conn, a)]
                                for a in range(1, 8)]
    out["dyad"] = [(p.row, [e.id for e in p.events])
                   for p in queries.dyad_periods(conn, "USA", "CHN", by="week")]
    # the workbench's queries (issue 16)
    for name, flt in {"text": EventFilter(text="RAILWAY"), "text-like": EventFilter(text="_"),
                      "place": EventFilter(places=("nairobi", "CHN")),
                      "disputed": EventFilter(disputed=True),
                      "asserted": EventFilter(factuality=("asserted",))}.items():
        rows, total = queries.events_page(conn, flt, limit=200, descending=True)
        out[f"events-{name}"] = ([r.id for r in rows], total)
    out["sorted"] = [r.id for r in queries.events_sorted(conn, sort="score", descending=True)]
    out["snippets"] = {k: asdict(v) for k, v in queries.event_snippets(conn, range(1, 20)).items()}
    out["top-dyads"] = queries.top_dyads(conn, 20)
    out["map"] = [asdict(p) for p in queries.map_points(conn)]
    out["profile"] = asdict(queries.actor_profile(conn, "USA"))
    out["actors-page"] = [asdict(r) for r in queries.participants_page(conn, q="a")[0]]
    out["count"] = queries.participant_count(conn)
    out["conflicts-filtered"] = [
        [c.id for c in queries.conflicts_page(conn, f)[0]]
        for f in (ConflictFilter(kinds=("date",)), ConflictFilter(actors=("SOM",)),
                  ConflictFilter(since=date(2024, 3, 1), scopes=("reports",)))]
    out["kinds"] = queries.conflict_kinds(conn)
    return out


@pytest.mark.postgres
def test_new_queries_agree_on_sqlite_and_postgresql(web_db):
    if not PG_URL:
        pytest.skip("PostgreSQL store tests need PARLEY_TEST_PG_URL")
    from parley.model import Article
    from parley.store.writer import ingest

    with open_store(web_db, create=False) as store, store.read() as conn:
        expected = _snapshot(conn)
    url, drop = pg_database()
    try:
        with open_store(url) as store:
            # coded as the web archive is (every event the models keep)
            ingest(store, [Article(source=f"web:{i}", **r) for i, r in enumerate(REPORTS)],
                   coder=lambda batch: code_batch(batch, min_confidence=0.0))
            with store.read() as conn:
                got = _snapshot(conn)
    finally:
        drop()
    for key in expected:
        assert got[key] == expected[key], key


def test_event_pages_count_and_sort(web_db):
    with open_store(web_db, create=False) as store, store.read() as conn:
        rows, total = queries.events_page(conn, limit=200, sort="score")
        assert total == len(rows) == len(list(queries.events(conn)))
        assert [r.score for r in rows] == sorted(r.score for r in rows)
        by_date = [r.id for r in queries.events_page(conn, limit=200)[0]]
        assert by_date == [r.id for r in queries.events(conn)]
        with pytest.raises(ValueError):
            queries.events_page(conn, sort="title")


def test_top_dyads_counts_what_dyad_events_yields(web_db):
    for flt in (None, EventFilter(factuality=("asserted",))):
        with open_store(web_db, create=False) as store, store.read() as conn:
            top = queries.top_dyads(conn, 50, flt)
            assert top
            for a, b, n in top:
                assert len(list(queries.dyad_events(conn, a, b, flt=flt))) == n


def test_events_sorted_streams_the_pages_in_order(web_db):
    with open_store(web_db, create=False) as store, store.read() as conn:
        for sort in EVENT_SORTS:
            paged = [r.id for r in queries.events_page(conn, limit=200, sort=sort,
                                                       descending=True)[0]]
            assert [r.id for r in queries.events_sorted(conn, sort=sort,
                                                        descending=True)] == paged
