"""`parley events`, `export` and `dyad` output formats over a small real store."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest

from tests.helpers import write_jsonl
from tests.store.test_ingest_fusion import DEAL_A, DEAL_B, MEETING

ACCUSATION = {
    "id": "post-9", "url": "https://post.example/accuse", "published": "2024-04-10",
    "text": "Kenya accused Uganda on Tuesday of backing rebels near the border, a "
            "government spokesman said.",
}


@pytest.fixture
def small_store(tmp_path, db, invoke):
    path = write_jsonl(tmp_path / "reports.jsonl", [DEAL_A, DEAL_B, MEETING, ACCUSATION])
    result = invoke("ingest", str(path), "--db", db)
    assert result.exit_code == 0, result.stderr
    return db


def test_events_table_lists_each_fused_event_once(small_store, invoke):
    result = invoke("events", "--db", small_store)
    assert result.exit_code == 0
    assert "AGREE" in result.stdout and "CONSULT" in result.stdout
    assert result.stdout.count("AGREE") == 1


def test_events_csv_and_dyadic_csv(small_store, invoke):
    rows = list(csv.DictReader(io.StringIO(
        invoke("events", "--db", small_store, "--format", "csv").stdout)))
    agree = next(r for r in rows if r["type"] == "AGREE")
    assert agree["source_count"] == "2" and agree["quad_class"] == "1"
    assert agree["participants"] == "Kenya (KEN):participant; Uganda (UGA):participant"
    dyads = list(csv.DictReader(io.StringIO(
        invoke("events", "--db", small_store, "--format", "csv", "--dyadic").stdout)))
    accuse = [d for d in dyads if d["type"] == "ACCUSE"]
    assert [(d["actor1_code"], d["actor2_code"]) for d in accuse] == [("KEN", "UGA")]
    assert float(accuse[0]["score"]) < 0 and accuse[0]["quad_class"] == "3"


def test_events_parquet_needs_an_output_file(small_store, invoke, tmp_path):
    assert invoke("events", "--db", small_store, "--format", "parquet").exit_code == 2
    out = tmp_path / "events.parquet"
    result = invoke("events", "--db", small_store, "--format", "parquet", "-o", str(out),
                    "--dyadic")
    assert result.exit_code == 0
    table = pq.read_table(out)
    assert {"actor1_code", "actor2_code", "score", "quad_class"} <= set(table.column_names)
    assert table.num_rows >= 5


def test_export_polecat_keeps_n_ary_participants_and_sources(small_store, invoke):
    result = invoke("export", "--db", small_store, "--format", "polecat", "--output", "-")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    deal = next(r for r in records if r["event"] == "AGREE")
    assert {p["country"] for p in deal["participant"]} == {"KEN", "UGA"}
    assert deal["quad_code"] == 1 and deal["event_intensity"] == 2.5
    assert {s["url"] for s in deal["sources"]} == {DEAL_A["url"], DEAL_B["url"]}
    assert all(s["mentions"][0]["trigger"]["end"] > 0 for s in deal["sources"])


def test_export_gdelt_is_tab_separated_dyads(small_store, invoke):
    result = invoke("export", "--db", small_store, "--format", "gdelt", "--output", "-")
    lines = result.stdout.splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, ln.split("\t"), strict=True)) for ln in lines[1:]]
    deal = [r for r in rows if r["PloverType"] == "AGREE"]
    assert {(r["Actor1Code"], r["Actor2Code"]) for r in deal} == {("KEN", "UGA"),
                                                                  ("UGA", "KEN")}
    assert all(r["SQLDATE"] == "20240305" and r["NumSources"] == "2" for r in deal)


def test_dyad_series_table_json_and_svg_plot(small_store, invoke, tmp_path):
    result = invoke("dyad", "KEN", "Uganda", "--db", small_store)
    assert result.exit_code == 0 and "verbal cooperation" in result.stdout
    series = json.loads(invoke("dyad", "KEN", "UGA", "--db", small_store, "--format",
                               "json").stdout)
    assert [(r["period"], r["events"]) for r in series] == [("2024-03-01", 1),
                                                            ("2024-04-01", 1)]
    assert series[0]["mean_score"] == 2.5 and series[1]["verbal conflict"] == 1
    svg = tmp_path / "dyad.svg"
    assert invoke("dyad", "KEN", "UGA", "--db", small_store, "--by", "week",
                  "--plot", str(svg)).exit_code == 0
    assert svg.read_text("utf-8").lstrip().startswith("<?xml")


def test_dyad_without_events_or_with_a_bad_plot_name_fails(small_store, invoke):
    result = invoke("dyad", "KEN", "BRA", "--db", small_store)
    assert result.exit_code == 1
    assert "no events between KEN and BRA" in result.stderr
    assert invoke("dyad", "KEN", "UGA", "--db", small_store, "--plot", "x.pdf"
                  ).exit_code == 2
