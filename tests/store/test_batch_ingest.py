"""`parley ingest` loads a `parley batch` Parquet output without coding again."""

import json
import sqlite3

from parley.cli import cli


def test_ingesting_batch_output_equals_ingesting_the_sources(runner, tmp_path):
    src = tmp_path / "in.jsonl"
    rows = [
        {"id": "a", "text": "Kenya and Uganda signed a trade agreement on Monday.",
         "published": "2024-03-08"},
        {"id": "b", "text": "Russian forces shelled Kharkiv on Tuesday, officials said.",
         "published": "2024-03-08"},
        {"id": "c", "text": "Egypt and Qatar held talks in Cairo on Sunday.",
         "published": "2024-03-04"},
    ]
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    out = tmp_path / "out"
    res = runner.invoke(cli, ["batch", str(src), str(out), "--workers", "1"])
    assert res.exit_code == 0, res.output
    direct, via_batch = tmp_path / "direct.db", tmp_path / "batch.db"
    assert runner.invoke(cli, ["ingest", str(src), "--db", str(direct)]).exit_code == 0
    res = runner.invoke(cli, ["ingest", str(out), "--db", str(via_batch)])
    assert res.exit_code == 0, res.output

    def summary(db):
        con = sqlite3.connect(db)
        try:
            return con.execute("select type, factuality, date, source_count from fused_events "
                               "order by type, date").fetchall()
        finally:
            con.close()

    assert summary(via_batch) == summary(direct) and summary(direct)
    again = runner.invoke(cli, ["ingest", str(out / "documents.parquet"), "--db",
                                str(via_batch)])
    assert again.exit_code == 0 and "3 already stored" in again.output
