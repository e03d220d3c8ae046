"""Exports that mean what they say: GDELT-style rows with CAMEO codes, Goldstein values
and GDELT's counts; POLECAT-style records; CSV and Stata files; a typed DataFrame;
background events left out by default."""

from __future__ import annotations

import csv
import json

import pytest

from tests.helpers import write_jsonl
from tests.store.test_ingest_fusion import DEAL_A, DEAL_B, MEETING

COPY = dict(DEAL_A, id="wire-copy", url="https://www.wire.example/railway",
            text=DEAL_A["text"] + " Copyright Wire Service.")
OLD = {
    "id": "history-1", "url": "https://h.example/1", "published": "2024-03-08",
    "text": "Kenya and Uganda agreed on Monday to build a pipeline, officials said.",
}


@pytest.fixture
def store(tmp_path, db, invoke):
    path = write_jsonl(tmp_path / "reports.jsonl", [DEAL_A, DEAL_B, COPY, MEETING])
    result = invoke("ingest", str(path), "--db", db)
    assert result.exit_code == 0, result.stderr
    return db


def _gdelt(invoke, db):
    result = invoke("export", "--db", db, "--format", "gdelt", "--output", "-")
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(result.stdout.splitlines(), delimiter="\t"))


def test_gdelt_rows_carry_cameo_codes_goldstein_and_gdelt_counts(store, invoke):
    rows = _gdelt(invoke, store)
    deal = [r for r in rows if r["PloverType"] == "AGREE"]
    assert {(r["Actor1Code"], r["Actor2Code"]) for r in deal} == {("KEN", "UGA"),
                                                                  ("UGA", "KEN")}
    for r in deal:
        # AGREE without a mode: CAMEO 030 "express intent to cooperate", Goldstein 4.0
        assert (r["EventCode"], r["EventBaseCode"], r["EventRootCode"]) == ("030", "030",
                                                                             "03")
        assert r["GoldsteinScale"] == "4.0" and r["QuadClass"] == "1"
        # three articles (one a syndicated copy), three outlets, a mention each
        assert (r["NumArticles"], r["NumSources"], r["NumMentions"]) == ("3", "3", "3")
    meeting = next(r for r in rows if r["PloverType"] == "CONSULT")
    assert meeting["EventRootCode"] == "04" and meeting["QuadClass"] == "1"
    assert float(meeting["GoldsteinScale"]) == pytest.approx(
        {"040": 1.0, "042": 1.9, "043": 2.8, "044": 2.5}[meeting["EventCode"]])


def test_cameo_table_reverses_the_plover_mapping():
    from parley.store.cameo import cameo_code, cameo_table

    assert len(cameo_table()) > 250
    assert cameo_code("CONSULT", "visit").code == "042"
    assert cameo_code("PROTEST", "riot").code == "145"
    assert cameo_code("ASSAULT", "abduct").code == "181"
    assert cameo_code("ASSAULT", "abduct").goldstein == -9.0
    assert cameo_code("AID", None).quad_class == 2
    assert cameo_code("SANCTION", None).root == "16"


def test_polecat_records_have_plover_fields_and_counts(store, invoke):
    result = invoke("export", "--db", store, "--format", "polecat", "--output", "-")
    records = [json.loads(ln) for ln in result.stdout.splitlines()]
    deal = next(r for r in records if r["event"] == "AGREE")
    assert deal["source_count"] == 2 and deal["article_count"] == 3
    assert deal["quad_code"] == 1 and deal["story_date"] == "2024-03-06"
    assert {p["country"] for p in deal["participant"]} == {"KEN", "UGA"}


def test_csv_and_stata_files_hold_the_same_events(store, invoke, tmp_path):
    pd = pytest.importorskip("pandas")
    for fmt in ("csv", "stata"):
        out = tmp_path / fmt
        result = invoke("export", "--db", store, "--format", fmt, "--output", str(out))
        assert result.exit_code == 0, result.output
    with open(tmp_path / "csv" / "events.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    dta = pd.read_stata(tmp_path / "stata" / "events.dta")
    assert len(dta) == len(rows) == 2
    assert sorted(dta["type"]) == sorted(r["type"] for r in rows) == ["AGREE", "CONSULT"]
    deal = dta[dta["type"] == "AGREE"].iloc[0]
    assert deal["source_count"] == 2 and str(deal["date"].date()) == "2024-03-05"
    assert deal["score"] == 2.5 and deal["participants"].startswith("Kenya (KEN)")
    dyads = pd.read_stata(tmp_path / "stata" / "dyads.dta")
    assert set(zip(dyads["actor1_code"], dyads["actor2_code"])) >= {("KEN", "UGA")}


def test_events_frame_is_typed_and_filtered(store):
    pd = pytest.importorskip("pandas")
    from parley.store.frames import events_frame
    from parley.store.queries import EventFilter

    df = events_frame(store, EventFilter(actors=("Kenyan",)))
    assert list(df["type"]) == ["AGREE"]
    assert str(df["type"].dtype) == "category"
    assert pd.api.types.is_datetime64_any_dtype(df["date"])
    assert df["source_count"].dtype.kind == "i" and df["score"].dtype.kind == "f"
    pairs = events_frame(store, dyadic=True)
    assert {"actor1_code", "actor2_code"} <= set(pairs.columns)


def test_background_events_are_left_out_of_exports_and_series_unless_asked(db, invoke):
    """The coder marks an event ``background`` when it happened well before the report;
    the store keeps the flag and leaves such events out of exports and dyad series."""
    import parley.pipeline
    from parley.model import Article
    from parley.store import open_store, queries
    from parley.store.writer import ingest

    def coder(batch):
        # every candidate: the learned coder's floor would drop the recalled deal
        docs = parley.pipeline.code_batch(batch, min_confidence=0.0)
        # the 2009 deal is history: mark it so, as the learned coder's timing model does
        return [d.model_copy(update={"events": [
            e.model_copy(update={"background": d.id == OLD["id"]}) for e in d.events]})
            for d in docs]

    with open_store(db) as store:
        ingest(store, [Article(source="t", **OLD), Article(source="t", **DEAL_A)],
               coder=coder)
        with store.read() as conn:
            records = list(queries.events(conn))
            background = {e.id for e in records if e.background}
            assert background and len(background) < len(records)
            series = queries.dyad_series(conn, "KEN", "UGA", by="month")
            with_old = queries.dyad_series(conn, "KEN", "UGA", by="month",
                                           include_background=True)
    assert sum(r.total for r in with_old) == sum(r.total for r in series) + 1
    plain = {int(r["GLOBALEVENTID"]) for r in _gdelt(invoke, db)}
    assert plain and not plain & background
    result = invoke("export", "--db", db, "--format", "gdelt", "--output", "-",
                    "--background")
    rows = list(csv.DictReader(result.stdout.splitlines(), delimiter="\t"))
    assert background <= {int(r["GLOBALEVENTID"]) for r in rows}
    listed = {e["id"] for e in json.loads(invoke("events", "--db", db, "--format",
                                                 "json").stdout)}
    assert background <= listed  # the events list shows them (marked)
