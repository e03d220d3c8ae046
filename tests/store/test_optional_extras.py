"""Outputs that need an optional extra say which one, in one line; SVG plots need none."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from parley.errors import ExtraMissing
from parley.fuse.dyads import PeriodRow
from parley.store import export
from parley.store.plot import plot_series, series_svg
from tests.helpers import write_jsonl
from tests.store.test_ingest_fusion import DEAL_A, DEAL_B, MEETING

SVG = "{http://www.w3.org/2000/svg}"


def without(monkeypatch, *modules: str) -> None:
    """Make ``import MODULE`` fail, as when its extra is not installed."""
    for name in modules:
        monkeypatch.setitem(sys.modules, name, None)


@pytest.fixture
def store(sqlite_db, tmp_path, invoke, reuse_coding):
    path = write_jsonl(tmp_path / "reports.jsonl", [DEAL_A, DEAL_B, MEETING])
    assert invoke("ingest", str(path), "--db", sqlite_db).exit_code == 0
    return sqlite_db


def rows() -> list[PeriodRow]:
    return [PeriodRow(date(2024, 3, 1), {1: 2, 2: 1, 3: 0, 4: 1}, 4, -0.5),
            PeriodRow(date(2024, 5, 1), {1: 0, 2: 0, 3: 1, 4: 0}, 1, -2.0)]


def test_svg_plot_is_drawn_without_matplotlib(monkeypatch, tmp_path):
    without(monkeypatch, "matplotlib", "matplotlib.pyplot")
    out = plot_series(rows(), tmp_path / "dyad.svg", title="KEN - UGA <by month>")
    text = out.read_text("utf-8")
    assert text.startswith("<?xml")
    root = ET.fromstring(text.split("\n", 1)[1])
    assert root.findtext(f"{SVG}title") == "KEN - UGA <by month>"
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == 4  # the non-empty quad classes of both periods
    assert bars[0].findtext(f"{SVG}title") == "Mar 2024: 2 verbal cooperation"
    assert len(list(root.iter(f"{SVG}circle"))) == 2
    assert "material conflict" in text  # the legend


def test_svg_of_one_day_has_one_point_and_no_line():
    text = series_svg(rows()[:1], title="t", by="day")
    assert text.count("<circle") == 1 and "<polyline" not in text


def test_png_plot_without_matplotlib_names_the_plots_extra(monkeypatch, tmp_path):
    without(monkeypatch, "matplotlib", "matplotlib.pyplot")
    with pytest.raises(ExtraMissing) as caught:
        plot_series(rows(), tmp_path / "dyad.png", title="t")
    assert "pip install 'parley[plots]'" in caught.value.one_line()
    assert not (tmp_path / "dyad.png").exists()


def test_parquet_without_pyarrow_names_the_parquet_extra(monkeypatch, tmp_path):
    without(monkeypatch, "pyarrow", "pyarrow.parquet")
    with pytest.raises(ExtraMissing, match=r"pip install 'parley\[parquet\]'"):
        export.write_parquet([], "events", tmp_path / "events.parquet")


def test_cli_parquet_and_png_without_their_extras_fail_in_one_line(store, invoke,
                                                                  monkeypatch, tmp_path):
    without(monkeypatch, "pyarrow", "pyarrow.parquet", "matplotlib", "matplotlib.pyplot")
    out = tmp_path / "bulk"
    result = invoke("export", "--db", store, "--format", "parquet", "--output", str(out))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "parley: error: Parquet export needs the 'parquet' extra: "
        "pip install 'parley[parquet]' [E060]"]
    assert not out.exists()
    result = invoke("events", "--db", store, "--format", "parquet", "-o",
                    str(tmp_path / "e.parquet"))
    assert result.exit_code == 2 and "parley[parquet]" in result.stderr
    assert "Traceback" not in result.stderr
    result = invoke("dyad", "KEN", "UGA", "--db", store, "--plot", str(tmp_path / "d.png"))
    assert result.exit_code == 2 and "parley[plots]" in result.stderr
    assert invoke("dyad", "KEN", "UGA", "--db", store, "--plot",
                  str(tmp_path / "d.svg")).exit_code == 0


def test_events_frame_without_pandas_names_the_frames_extra(monkeypatch, sqlite_db):
    from parley.store.frames import events_frame

    without(monkeypatch, "pandas")
    with pytest.raises(ExtraMissing, match=r"pip install 'parley\[frames\]'"):
        events_frame(sqlite_db)


def test_batch_output_without_pyarrow_is_one_error_line(monkeypatch, tmp_path):
    from parley.knowledge import plover_table
    from parley.scale.output import BatchWriter, read_batch_records

    without(monkeypatch, "pyarrow", "pyarrow.parquet")
    with pytest.raises(ExtraMissing, match="'parquet' extra"):
        BatchWriter(tmp_path / "out", plover_table())
    with pytest.raises(ExtraMissing, match="'parquet' extra"):
        list(read_batch_records(tmp_path / "out"))


def test_the_parquet_download_without_pyarrow_is_501(monkeypatch, store):
    from fastapi.testclient import TestClient

    from parley.http.app import create_app

    without(monkeypatch, "pyarrow", "pyarrow.parquet")
    with TestClient(create_app(store)) as client:
        answer = client.get("/api/events.parquet")
    assert answer.status_code == 501
    assert "'parquet' extra" in answer.json()["message"]
