"""`parley batch`: JSONL/folders/WARC in, documents.parquet and events.parquet out, on the
local engine and on Ray, with the same events either way."""

from __future__ import annotations

import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from parley.errors import InputMissing
from parley.fuse.rows import EventRow
from parley.scale import read_batch_output, read_batch_records
from tests.helpers import PARLEY, voa_articles, write_jsonl


def _events(out) -> set[tuple]:
    rows = pq.read_table(out / "events.parquet").to_pylist()
    return {(r["doc_id"], r["id"], r["type"], r["mode"], r["factuality"], r["date"],
             r["place_name"], r["participants"], r["trigger"], r["evidence"],
             r["confidence"]) for r in rows}


def _documents(out) -> dict[str, str]:
    return {r["id"]: r["document"]
            for r in pq.read_table(out / "documents.parquet").to_pylist()}


def test_batch_local_writes_one_row_per_document_and_per_event(shared, tmp_path, invoke):
    records = voa_articles(shared, 12)
    src = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out"
    result = invoke("batch", src, str(out), "--workers", "2", "--batch-size", "4")
    assert result.exit_code == 0, result.stderr
    assert "batch coded 12 articles (0 failed)" in result.stderr

    docs = pq.read_table(out / "documents.parquet")
    assert docs.column_names[:6] == ["id", "published", "title", "url", "source", "text"]
    rows = docs.to_pylist()
    assert [r["id"] for r in rows] == [r["id"] for r in records]  # input order
    assert rows[0]["url"] == records[0]["url"] and str(rows[0]["published"]) == "2025-03-14"
    assert rows[0]["source"] == f"{src}:1"

    events = pq.read_table(out / "events.parquet").to_pylist()
    assert len(events) == sum(r["n_events"] for r in rows) > 5
    e = events[0]
    # the one event-row schema of every events table (batch, events --format, export)
    assert list(e) == list(EventRow.__dataclass_fields__)
    text = next(r["text"] for r in rows if r["id"] == e["doc_id"])
    assert e["id"].startswith(e["doc_id"] + "#") and e["source_count"] == 1
    assert e["trigger"] and e["trigger"] in e["evidence"] and e["evidence"] in text
    assert all(part.rsplit(":", 1)[1] in ("actor", "recipient", "participant")
               for part in e["participants"].split("; ") if part)

    # the store reads it back as documents, and as (article, document) pairs
    back = list(read_batch_output(out))
    assert [d.model_dump_json() for d in back] == [r["document"] for r in rows]
    (article, doc), *_ = read_batch_records(out / "documents.parquet")
    assert article.url == records[0]["url"] and article.text == doc.text


def test_batch_reports_bad_records_codes_the_rest_and_exits_2(tmp_path, invoke):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "Kenya and Uganda held talks on Monday."}\n'
                   "{not json\n"
                   '{"id": "c", "text": "Russia accused Ukraine of shelling the city."}\n',
                   encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("batch", str(src), str(out), "--workers", "1")
    assert result.exit_code == 2
    assert f"parley: error: {src}:2: not valid JSON" in result.stderr
    assert [d.id for d in read_batch_output(out)] == ["a", "c"]


def test_batch_will_not_overwrite_an_earlier_output_by_accident(tmp_path, invoke):
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "Kenya and Uganda met."}])
    out = tmp_path / "out"
    assert invoke("batch", src, str(out), "--workers", "1").exit_code == 0
    again = invoke("batch", src, str(out), "--workers", "1")
    assert again.exit_code == 2 and "--overwrite" in again.stderr
    assert invoke("batch", src, str(out), "--workers", "1", "--overwrite").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["documents.parquet", "events.parquet"]


def test_batch_codes_a_warc_file(tmp_path, invoke):
    pytest.importorskip("warcio", reason="the 'warc' extra (warcio) is not installed")
    from tests.ingest.test_warc import PAGE, _write_warc

    warc = _write_warc(tmp_path / "crawl.warc.gz", [
        ("response", "https://news.example/a", "200 OK", "text/html", PAGE.encode(),
         "2024-03-08T10:00:01Z")])
    out = tmp_path / "out"
    result = invoke("batch", warc, str(out), "--workers", "1")
    assert result.exit_code == 0, result.stderr
    (article, doc), = read_batch_records(out)
    assert article.url == "https://news.example/a" and str(doc.published) == "2024-03-08"
    assert {e.type for e in doc.events} & {"AGREE", "SUPPORT"}  # the deal, agreed or signed


def test_read_batch_output_names_a_missing_folder(tmp_path):
    with pytest.raises(InputMissing, match="documents.parquet"):
        next(read_batch_output(tmp_path / "nowhere"))


def test_batch_ray_without_ray_is_one_line_and_exit_2(tmp_path, invoke, monkeypatch):
    # None in sys.modules makes `import ray` fail as if the extra were not installed
    monkeypatch.setitem(sys.modules, "ray", None)
    monkeypatch.setitem(sys.modules, "ray.data", None)
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "a", "text": "Kenya and Uganda met."}])
    result = invoke("batch", src, str(tmp_path / "out"), "--engine", "ray")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [(
        "parley: error: ray: --engine ray needs Ray, an optional extra: pip install "
        "'parley[ray]' (or pip install --require-hashes -r requirements-ray.lock) [E051]")]
    assert not (tmp_path / "out").exists()


def test_batch_ray_and_local_code_the_same_200_articles_alike(shared, tmp_path, invoke):
    try:
        import ray.data  # noqa: F401
    except ImportError:
        pytest.skip("ray is not installed (optional extra: pip install -r "
                    "requirements-ray.lock)")
    src = write_jsonl(tmp_path / "in.jsonl", voa_articles(shared, 200, chars=600))
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    result = invoke("batch", src, str(local), "--engine", "local", "--workers", "2")
    assert result.exit_code == 0, result.stderr
    # Ray in a subprocess: it starts its own processes and must not touch pytest's
    proc = subprocess.run([*PARLEY, "batch", src, str(on_ray), "--engine", "ray",
                           "--workers", "2"], capture_output=True, text=True, timeout=300,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "batch coded 200 articles (0 failed)" in proc.stderr

    events = _events(local)
    assert len(events) > 100
    assert _events(on_ray) == events
    assert _documents(on_ray) == _documents(local)
    # Ray kept the input order too
    assert (pq.read_table(on_ray / "documents.parquet").column("id").to_pylist()
            == pq.read_table(local / "documents.parquet").column("id").to_pylist())
