"""A page of events sorted by date is the same whichever way it is read: chosen from
the matches' (id, date), sorted by the database, or walking the date index (what
``events_page`` picks for few matches, some, and a large share of the archive)."""

from __future__ import annotations

import pytest

from tests.helpers import synthetic_articles


@pytest.fixture
def store_db(db):
    from parley.model import Article
    from parley.pipeline import code_batch
    from parley.store import open_store
    from parley.store.writer import ingest

    items = [Article(source=f"t:{i}", **r) for i, r in enumerate(synthetic_articles(80))]
    # a few undated reports: they sort first going up and last going down
    items += [Article(source="t:undated", id=f"undated-{i}",
                      text=f"Kenya and Uganda held talks, officials said. Note {i}.")
              for i in range(3)]
    with open_store(db) as store:
        ingest(store, items, coder=lambda b: code_batch(b, min_confidence=0.0))
    return db


def test_a_date_sorted_page_is_the_same_chosen_sorted_or_walked(store_db, monkeypatch):
    from parley.store import open_store, queries
    from parley.store.queries import EventFilter

    def pages(conn):
        out = []
        for flt in (EventFilter(), EventFilter(actors=("KEN",)), EventFilter(actors=("Nowhere",)),
                    EventFilter(actors=("Kenya",), types=("CONSULT", "AGREE")),
                    EventFilter(text="border", min_sources=1)):
            for descending in (False, True):
                for offset in (0, 7):
                    rows, total = queries.events_page(conn, flt, limit=6, offset=offset,
                                                      sort="date", descending=descending)
                    out.append(([r.id for r in rows], total))
        return out

    with open_store(store_db, create=False) as store, store.read() as conn:
        monkeypatch.setattr(queries, "_FEW", 10**9)  # chosen from (id, date)
        chosen = pages(conn)
        monkeypatch.setattr(queries, "_FEW", -1)
        monkeypatch.setattr(queries, "_walk_dates", lambda *a: False)
        sorted_pages = pages(conn)
        monkeypatch.setattr(queries, "_walk_dates", lambda *a: True)
        walked = pages(conn)
        monkeypatch.undo()
        # an actor alone is counted in the participants' index
        for spec in ("KEN", "Kenya", "Nowhere"):
            flt = EventFilter(actors=(spec,))
            assert queries.events_page(conn, flt)[1] == len(list(queries.events(conn, flt)))
        up, _ = queries.events_page(conn, limit=1000, sort="date")
        down, _ = queries.events_page(conn, limit=1000, sort="date", descending=True)
    assert walked == sorted_pages == chosen
    assert any(ids for ids, _ in walked) and len(up) > 20
    # undated events first going up, last going down; then by date and id
    dated = [(e.ref_date, e.id) for e in up if e.ref_date is not None]
    assert up[0].ref_date is None and down[-1].ref_date is None
    assert dated == sorted(dated)
    assert [e.id for e in down] == [e.id for e in reversed(up)]
