"""Syndicated copies and reports of one deal: fused events count real-world events,
on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from tests.helpers import counts

# one line added on top of each copy, as wire services and aggregators do
TOPS = ("By Staff Writer, Wire Service", "WASHINGTON (Wire) - updated",
        "This story was first published by Voice of America.")

DEAL_A = {
    "id": "gulf-1", "published": "2023-03-10", "url": "https://a.example/deal",
    "text": "Iran and Saudi Arabia agreed on Friday to resume diplomatic ties after years "
            "of hostility, officials said.",
}
DEAL_B = {
    "id": "asia-9", "published": "2023-03-10", "url": "https://b.example/beijing",
    "text": "Iran and Saudi Arabia announced on Friday that they would resume diplomatic "
            "ties after years of hostility. Iranian and Saudi officials signed the "
            "agreement in Beijing.",
}


def _stories(shared, n=30):
    from parley.ingest import read_path

    return list(read_path(str(shared / "data" / "voa_stories.jsonl")))[:n]


def _copies(stories):
    return [a.model_copy(update={"id": f"{a.id}-copy{k}", "text": f"{top}\n\n{a.text}",
                                 "url": f"{a.url}?copy={k}"})
            for k, top in enumerate(TOPS) for a in stories]


def _ingest(db, items):
    import parley.pipeline
    from parley.store import open_store
    from parley.store.writer import ingest

    with open_store(db) as store:
        return ingest(store, items, coder=lambda b: parley.pipeline.code_batch(b),
                      batch_size=40)


def _events(db):
    from parley.store import open_store, queries

    with open_store(db, create=False) as store, store.read() as conn:
        return list(queries.events(conn))


def test_near_copies_add_sources_not_events(shared, db, tmp_path, reuse_coding):
    stories = _stories(shared)
    alone = str(tmp_path / "alone.db")
    _ingest(alone, stories)
    base = _events(alone)

    _ingest(db, stories)
    report = _ingest(db, _copies(stories))
    assert report.near_duplicates == 3 * len(stories)
    events = _events(db)
    assert len(events) <= 1.02 * len(base)
    assert report.copied > 0.9 * report.events  # nearly every copied event found its own
    # every copy joined its original's events: more articles behind the same events
    assert sum(e.article_count for e in events) > 3 * sum(e.article_count for e in base)
    assert sum(e.source_count for e in events) == sum(e.source_count for e in base)
    # each original's event is now told by it and its three copies
    told = sum(1 for e in events if e.article_count == 4 * e.source_count)
    assert told >= 0.9 * len(base)

    def pak_assaults(records):
        return [e for e in records if e.type == "ASSAULT"
                and any(p.key == "PAK" for p in e.participants)]

    assert pak_assaults(events) and len(pak_assaults(events)) == len(pak_assaults(base))

    before = counts(db)
    from parley.store import open_store, queries

    with open_store(db, create=False) as store, store.read() as conn:
        assert queries.overview(conn) == {k: before[k] for k in queries.overview(conn)}
        assert queries.top_dyads(conn, 5)  # the kept pair counts
        _series_match_events(conn)
    again = _ingest(db, [*stories, *_copies(stories)])
    assert again.stored == 0 and again.already_stored == 4 * len(stories)
    assert counts(db) == before


def test_two_reports_of_one_deal_are_one_agree_event_with_two_sources(db, tmp_path,
                                                                      invoke):
    from tests.helpers import write_jsonl

    path = write_jsonl(tmp_path / "deal.jsonl", [DEAL_A, DEAL_B])
    assert invoke("ingest", str(path), "--db", db).exit_code == 0
    deals = [e for e in _events(db)
             if {"SAU", "IRN"} <= {p.key for p in e.participants} and e.factuality == "asserted"
             and e.type == "AGREE"]
    assert len(deals) == 1
    deal = deals[0]
    assert deal.source_count == 2 and deal.article_count == 2
    result = invoke("events", "--db", db, "--why", str(deal.id), "--format", "json")
    assert result.exit_code == 0, result.output
    why = json.loads(result.stdout)
    assert [d["rule"] for d in why["decisions"]] == ["new", "fused"]
    joined = why["decisions"][1]["why"]
    # "agreed" (AGREE) and "signed the agreement" (SUPPORT): one deal, an AGREE
    assert (joined["type"], joined["fused_type"]) == ("SUPPORT", "AGREE")
    assert joined["rule"] == "participants" and joined["shared"] == ["IRN", "SAU"]

    before = counts(db)
    assert invoke("ingest", str(path), "--db", db).exit_code == 0
    assert counts(db) == before


def test_a_copy_of_a_deal_report_is_one_more_article_not_a_source(db, tmp_path, invoke):
    from tests.helpers import write_jsonl

    copy = dict(DEAL_A, id="wire-1", url="https://wire.example/x",
                text="Wire:\n" + DEAL_A["text"])
    path = write_jsonl(tmp_path / "c.jsonl", [DEAL_A, copy])
    assert invoke("ingest", str(path), "--db", db).exit_code == 0
    events = _events(db)
    agree = [e for e in events if e.type == "AGREE"]
    assert len(agree) == 1 and agree[0].source_count == 1 and agree[0].article_count == 2
    assert len(events) == len({e.id for e in events})
    result = invoke("events", "--db", db, "--why", str(agree[0].id), "--format", "json")
    why = json.loads(result.stdout)
    assert why["decisions"][1]["rule"] == "copy"
    assert why["decisions"][1]["near_duplicate_of"] == why["decisions"][0]["article_id"]


def _series_match_events(conn) -> None:
    """The kept pair series give what counting the pair's events gives."""
    from parley.fuse.dyads import series
    from parley.store import queries
    from parley.store.queries import EventFilter

    pairs = [(a, b) for a, b, _ in queries.top_dyads(conn, 15)
             if len(a) == 3 and a.isupper() and len(b) == 3 and b.isupper()]
    assert len(pairs) >= 3
    for a, b in pairs:
        for by in ("month", "day"):
            events = queries.dyad_events(conn, a, b, flt=EventFilter(background=False))
            slow = series([(r.ref_date, r.quad_class, r.score) for r in events
                           if r.ref_date is not None], by)
            assert queries.dyad_series(conn, a, b, by=by) == slow
