"""`parley ingest` as a real process: killed mid-run, and read while it writes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import pytest

from parley.errors import StoreError
from tests.helpers import counts, parley_cmd, synthetic_articles, write_jsonl

BATCH = 10


def _article_count(db: str) -> int:
    try:
        return counts(db)["articles"]
    except StoreError:  # the first batch has not created the schema yet
        return 0


def _start_ingest(path, db, log):
    return subprocess.Popen(parley_cmd("ingest", str(path), "--db", db,
                                       "--batch-size", str(BATCH)),
                            stdout=subprocess.DEVNULL, stderr=log, env=os.environ.copy())


def _wait_for_articles(proc, db: str, at_least: int, timeout: float = 60.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        n = _article_count(db)
        if n >= at_least:
            return n
        if proc.poll() is not None:
            pytest.fail(f"ingest exited early with {proc.returncode}")
        time.sleep(0.05)
    proc.kill()
    pytest.fail(f"no {at_least} articles stored within {timeout} s")


def _check_whole(db: str) -> dict[str, int]:
    from parley.store import open_store, queries

    with open_store(db, create=False) as store, store.read() as conn:
        arts = queries.article_summary(conn)
        table = queries.counts(conn)
    assert all(a["stored_events"] == a["document_events"] for a in arts)
    assert len({a["content_hash"] for a in arts}) == len(arts)
    assert len({a["doc_id"] for a in arts}) == len(arts)
    assert table["fused_event_reports"] == table["doc_events"]
    return table


def test_killed_ingest_keeps_whole_batches_and_a_rerun_completes(tmp_path, db):
    path = write_jsonl(tmp_path / "many.jsonl", synthetic_articles(300))
    with open(tmp_path / "ingest.log", "wb") as log:
        proc = _start_ingest(path, db, log)
        _wait_for_articles(proc, db, 3 * BATCH)
        assert proc.poll() is None, "ingest finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    table = _check_whole(db)
    assert table["articles"] % BATCH == 0
    assert 3 * BATCH <= table["articles"] < 300

    rerun = subprocess.run(parley_cmd("ingest", str(path), "--db", db,
                                      "--batch-size", str(BATCH)),
                           check=False, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{table['articles']} already stored" in rerun.stderr
    final = _check_whole(db)
    assert final["articles"] == 300


def test_events_answer_while_an_ingest_is_writing(tmp_path, db, invoke):
    path = write_jsonl(tmp_path / "many.jsonl", synthetic_articles(300))
    with open(tmp_path / "ingest.log", "wb") as log:
        proc = _start_ingest(path, db, log)
        try:
            _wait_for_articles(proc, db, BATCH)
            seen: list[int] = []
            deadline = time.monotonic() + 60
            # query until the answers have grown while the writer kept running
            while proc.poll() is None and time.monotonic() < deadline and not (
                    len(seen) >= 3 and seen[-1] > seen[0]):
                result = invoke("events", "--db", db, "--format", "json")
                assert result.exit_code == 0, result.output
                if proc.poll() is None:  # the answer came while the writer was running
                    seen.append(len(json.loads(result.stdout)))
            assert len(seen) >= 3, "ingest finished before the queries ran"
            assert seen[0] > 0
            assert seen == sorted(seen) and seen[-1] > seen[0]
        finally:
            proc.kill()
            proc.wait(timeout=30)
