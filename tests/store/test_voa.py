"""End to end on the 89 Voice of America stories: ingest, export, and a dyad plot."""

from __future__ import annotations

import json

import pyarrow.parquet as pq

from tests.helpers import counts


def _iso3(key: str) -> bool:
    return len(key) == 3 and key.isalpha() and key.isupper()


def test_voa_stories_ingest_end_to_end_and_plot_a_dyad(shared, db, invoke, tmp_path,
                                                       reuse_coding):
    stories = shared / "data" / "voa_stories.jsonl"
    if not stories.exists():
        import pytest

        pytest.skip(f"{stories} not found")
    result = invoke("ingest", str(stories), "--db", db, "--batch-size", "25")
    assert result.exit_code == 0, result.stderr
    table = counts(db)
    assert table["articles"] == 89
    assert table["fused_event_reports"] == table["doc_events"] > 89

    from parley.store import open_store, queries

    with open_store(db, create=False) as store, store.read() as conn:
        assert all(a["stored_events"] == a["document_events"]
                   for a in queries.article_summary(conn))
        a, b, n = next(d for d in queries.top_dyads(conn, 50) if _iso3(d[0]) and _iso3(d[1]))
    assert n >= 3

    png = tmp_path / "dyad.png"
    result = invoke("dyad", a, b, "--db", db, "--by", "month", "--plot", str(png))
    assert result.exit_code == 0, result.stderr
    assert "mean_score" in result.stdout
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 1024
    import matplotlib.image

    image = matplotlib.image.imread(str(png))
    assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100
    assert float(image.max() - image.min()) > 0.5  # something was drawn on the canvas

    series = json.loads(invoke("dyad", a, b, "--db", db, "--format", "json").stdout)
    assert sum(row["events"] for row in series) >= n
    assert all(-10 <= row["mean_score"] <= 10 for row in series)

    # bulk exports of the same store
    gdelt = tmp_path / "events.tsv"
    # background events included, so every fused event is exported
    assert invoke("export", "--db", db, "--format", "gdelt", "--output", str(gdelt),
                  "--background").exit_code == 0
    lines = gdelt.read_text("utf-8").splitlines()
    assert lines[0].split("\t")[:4] == ["GLOBALEVENTID", "SQLDATE", "Actor1Code",
                                        "Actor1Name"]
    assert len(lines) > 50 and all(len(ln.split("\t")) == 22 for ln in lines)
    polecat = tmp_path / "events.jsonl"
    assert invoke("export", "--db", db, "--format", "polecat", "--output", str(polecat),
                  "--background").exit_code == 0
    records = [json.loads(ln) for ln in polecat.read_text("utf-8").splitlines()]
    assert len(records) == table["fused_events"]
    assert all(r["sources"] and r["sources"][0]["url"].startswith("https://")
               for r in records)
    out = tmp_path / "parquet"
    assert invoke("export", "--db", db, "--format", "parquet", "--output", str(out),
                  "--background").exit_code == 0
    assert pq.read_table(out / "events.parquet").num_rows == table["fused_events"]
    assert pq.read_table(out / "dyads.parquet").num_rows == len(lines) - 1
