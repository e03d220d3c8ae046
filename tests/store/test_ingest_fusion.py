"""`parley ingest` with the real pipeline: cross-report fusion, idempotence, duplicates,
bad inputs and conflicts, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

from tests.helpers import counts, write_jsonl

DEAL_A = {
    "id": "nation-1", "url": "https://nation.example/kenya-uganda-railway",
    "published": "2024-03-06", "title": "Kenya, Uganda agree on railway",
    "text": "Kenya and Uganda agreed on Tuesday to build a joint railway linking Nairobi "
            "and Kampala, officials said. The line is expected to cut freight costs for "
            "landlocked Uganda.",
}
DEAL_B = {
    "id": "monitor-7", "url": "https://monitor.example/railway-deal",
    "published": "2024-03-07", "title": "Railway deal struck",
    "text": "Ugandan and Kenyan officials agreed on Tuesday on a railway deal that will "
            "connect the two capitals. Construction is due to start next year, the "
            "transport ministry said.",
}
MEETING = {
    "id": "herald-3", "url": "https://herald.example/brazil-argentina",
    "published": "2024-03-07", "title": "Trade talks",
    "text": "The foreign ministers of Brazil and Argentina met in Buenos Aires on Monday "
            "to discuss trade.",
}


def _events(invoke, db, *args):
    result = invoke("events", "--db", db, "--format", "json", *args)
    # nothing matching is exit code 1, with an empty list and a line on stderr
    assert result.exit_code == 0 or (result.exit_code == 1 and "no events match"
                                     in result.stderr), result.output
    return json.loads(result.stdout)


def test_two_reports_of_one_deal_fuse_and_an_unrelated_meeting_stays_apart(
        tmp_path, db, invoke):
    path = write_jsonl(tmp_path / "reports.jsonl", [DEAL_A, DEAL_B, MEETING])
    result = invoke("ingest", str(path), "--db", db, "--batch-size", "2")
    assert result.exit_code == 0, result.output

    events = _events(invoke, db)
    agree = [e for e in events if e["type"] == "AGREE"]
    assert len(agree) == 1
    deal = agree[0]
    assert deal["source_count"] == 2
    assert {p["key"] for p in deal["participants"]} == {"KEN", "UGA"}
    assert deal["date"] == "2024-03-05"
    consult = [e for e in events if e["type"] == "CONSULT"]
    assert len(consult) == 1 and consult[0]["source_count"] == 1
    assert {p["key"] for p in consult[0]["participants"]} == {"BRA", "ARG"}
    assert len(events) == 2

    before = counts(db)
    again = invoke("ingest", str(path), "--db", db)
    assert again.exit_code == 0, again.output
    assert "3 already stored" in again.stderr
    assert counts(db) == before


def test_syndicated_copy_is_linked_and_not_counted_as_a_source(tmp_path, db, invoke):
    copy = dict(DEAL_A, id="wire-copy", url="https://copy.example/railway",
                text=DEAL_A["text"] + " Copyright Wire Service.")
    path = write_jsonl(tmp_path / "copies.jsonl", [DEAL_A, copy])
    result = invoke("ingest", str(path), "--db", db)
    assert result.exit_code == 0, result.output
    assert "1 near-duplicates" in result.stderr

    from parley.store import open_store, queries

    with open_store(db, create=False) as store, store.read() as conn:
        arts = queries.article_summary(conn)
        assert [a["near_duplicate_of"] for a in arts] == [None, arts[0]["id"]]
        assert all(a["stored_events"] == a["document_events"] for a in arts)
        deal = next(e for e in queries.events(conn) if e.type == "AGREE")
        assert deal.source_count == 1
        assert deal.mention_count == 2


def test_reports_that_disagree_on_the_date_fuse_with_a_conflict(tmp_path, db, invoke):
    # both published on Wednesday 6 March: one says the deal was signed on Monday (4th),
    # the other "on Wednesday" (6th): within the window, so one deal with two dates
    late = dict(DEAL_B, published="2024-03-06",
                text=DEAL_B["text"].replace("on Tuesday", "on Wednesday"))
    early = dict(DEAL_A, text=DEAL_A["text"].replace("on Tuesday", "on Monday"))
    path = write_jsonl(tmp_path / "dates.jsonl", [early, late])
    assert invoke("ingest", str(path), "--db", db).exit_code == 0

    from parley.store import open_store, queries

    with open_store(db, create=False) as store, store.read() as conn:
        deal = next(e for e in queries.events(conn) if e.type == "AGREE")
        assert deal.source_count == 2
        assert deal.date_disputed and deal.disputed
        found = queries.event_conflicts(conn, [deal.id])[deal.id]
    dates = [c for c in found if c["kind"] == "date" and c["scope"] == "reports"]
    assert len(dates) == 1
    assert "2024-03-04" in dates[0]["detail"] and "2024-03-06" in dates[0]["detail"]
    evidence = dates[0]["evidence"]
    assert len({e["article_id"] for e in evidence}) == 2
    assert all(e["end"] > e["start"] for e in evidence)


def test_bad_inputs_print_one_line_each_and_the_rest_is_stored(tmp_path, db, invoke):
    good = write_jsonl(tmp_path / "good.jsonl", [DEAL_A])
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "x", "text": "Kenya and Uganda met."}\nnot json\n', "utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "meeting.txt").write_text(MEETING["text"], "utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")  # not an input type: not read
    result = invoke("ingest", str(good), str(broken), str(tmp_path / "missing.txt"),
                    str(folder), "--db", db, "--published", "2024-03-07")
    assert result.exit_code == 2
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("parley: error:")]
    assert len(errors) == 2, result.stderr
    assert any("broken.jsonl:2" in e and "[E004]" in e for e in errors)
    assert any("missing.txt" in e and "[E001]" in e for e in errors)
    assert counts(db)["articles"] == 3


def test_events_filters_by_actor_type_date_and_factuality(tmp_path, db, invoke):
    path = write_jsonl(tmp_path / "reports.jsonl", [DEAL_A, DEAL_B, MEETING])
    assert invoke("ingest", str(path), "--db", db).exit_code == 0
    assert [e["type"] for e in _events(invoke, db, "--actor", "KEN")] == ["AGREE"]
    assert [e["type"] for e in _events(invoke, db, "--actor", "kenya", "--actor", "UGA")
            ] == ["AGREE"]
    assert _events(invoke, db, "--actor", "KEN", "--actor", "BRA") == []
    assert [e["type"] for e in _events(invoke, db, "--type", "consult")] == ["CONSULT"]
    assert [e["type"] for e in _events(invoke, db, "--since", "2024-03-05")] == ["AGREE"]
    assert [e["type"] for e in _events(invoke, db, "--until", "2024-03-04")] == ["CONSULT"]
    assert len(_events(invoke, db, "--factuality", "asserted")) == 2
    assert _events(invoke, db, "--factuality", "hypothetical") == []


def test_events_dyadic_rows_go_both_ways_for_symmetric_participants(tmp_path, db, invoke):
    path = write_jsonl(tmp_path / "reports.jsonl", [DEAL_A, DEAL_B])
    assert invoke("ingest", str(path), "--db", db).exit_code == 0
    rows = _events(invoke, db, "--dyadic")
    assert {(r["actor1_code"], r["actor2_code"]) for r in rows} == {("KEN", "UGA"),
                                                                    ("UGA", "KEN")}
    assert all(r["quad_class"] == 1 and r["score"] == 2.5 and r["source_count"] == 2
               for r in rows)
    assert len({r["event_id"] for r in rows}) == 1
