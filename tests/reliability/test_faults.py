"""Faults during ingest: a full disk and a PostgreSQL restart lose nothing that was
committed, leave no partial batch, and the next run resumes."""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

PARLEY = [sys.executable, "-m", "parley"]
COUNTRIES = ["Kenya", "Uganda", "Chad", "Niger", "Mali", "Peru", "Chile", "Japan", "Egypt",
             "Qatar", "Ghana", "Togo", "Benin", "Nepal", "India", "Laos"]


def _articles(path, n, start=0):
    with path.open("w") as fh:
        for i in range(start, start + n):
            a, b = COUNTRIES[i % 16], COUNTRIES[(i * 7 + 3) % 16]
            if a == b:
                b = "Brazil"
            text = (f"{a} and {b} signed a trade agreement on Monday, report {i}. "
                    f"Officials from {a} said the deal covers {i % 9 + 2} sectors.")
            fh.write(json.dumps({"id": f"r{i}", "text": text,
                                 "published": f"2024-0{1 + i % 9}-1{i % 10}"}) + "\n")


def _counts(db):
    con = sqlite3.connect(db)
    try:
        arts = con.execute("select count(*) from articles").fetchone()[0]
        hashes = con.execute("select count(distinct content_hash) from articles").fetchone()[0]
        orphans = con.execute(
            "select count(*) from articles a where not exists "
            "(select 1 from doc_events m where m.article_id = a.id)").fetchone()[0]
        return arts, hashes, orphans
    finally:
        con.close()


def test_disk_full_during_ingest_keeps_whole_batches_and_resumes(tmp_path):
    db = tmp_path / "p.db"
    first = tmp_path / "first.jsonl"
    _articles(first, 20)
    ok = subprocess.run([*PARLEY, "ingest", str(first), "--db", str(db), "--batch-size", "10"],
                        capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stderr
    size = sum(p.stat().st_size for p in tmp_path.glob("p.db*"))
    rest = tmp_path / "rest.jsonl"
    _articles(rest, 200, start=20)

    def small_disk():
        # every file this process writes may grow to only ~200 KB past the database:
        # writes beyond fail with EFBIG, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        limit = size + 200_000
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    full = subprocess.run([*PARLEY, "ingest", str(rest), "--db", str(db), "--batch-size", "10"],
                          capture_output=True, text=True, timeout=600, preexec_fn=small_disk)
    assert full.returncode != 0
    assert "Traceback" not in full.stderr
    assert "parley: error:" in full.stderr
    arts, hashes, orphans = _counts(db)
    assert arts % 10 == 0 and 20 <= arts < 220
    assert hashes == arts and orphans == 0
    again = subprocess.run([*PARLEY, "ingest", str(rest), "--db", str(db), "--batch-size", "10"],
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert _counts(db) == (220, 220, 0)


@pytest.mark.postgres
def test_postgres_restart_during_ingest_loses_nothing_and_resumes(tmp_path):
    url = os.environ.get("PARLEY_TEST_PG_URL")
    restart = os.environ.get("PARLEY_TEST_PG_RESTART")
    if not url or not restart:
        pytest.skip("needs PARLEY_TEST_PG_URL and PARLEY_TEST_PG_RESTART (set by .ci/run)")
    import sqlalchemy as sa

    dbname = f"fault_{os.getpid()}_{int(time.time())}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    with admin.connect() as con:
        con.execute(sa.text(f'CREATE DATABASE "{dbname}"'))
    db_url = url.rsplit("/", 1)[0] + "/" + dbname
    src = tmp_path / "many.jsonl"
    _articles(src, 300)
    proc = subprocess.Popen([*PARLEY, "ingest", str(src), "--db", db_url, "--batch-size", "10"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    engine = sa.create_engine(db_url, pool_pre_ping=True)
    try:
        deadline = time.time() + 240
        while time.time() < deadline:
            try:
                with engine.connect() as con:
                    n = con.execute(sa.text("select count(*) from articles")).scalar_one()
                if n >= 30:
                    break
            except sa.exc.DBAPIError:
                pass
            time.sleep(0.3)
        engine.dispose()
        subprocess.run(restart, shell=True, check=True, timeout=60)
        out, err = proc.communicate(timeout=600)
        assert "Traceback" not in err
        with engine.connect() as con:
            n = con.execute(sa.text("select count(*) from articles")).scalar_one()
            distinct = con.execute(sa.text(
                "select count(distinct content_hash) from articles")).scalar_one()
            orphans = con.execute(sa.text(
                "select count(*) from articles a where not exists "
                "(select 1 from doc_events m where m.article_id = a.id)")).scalar_one()
        assert n % 10 == 0 or n == 300
        assert distinct == n and orphans == 0
        engine.dispose()
        again = subprocess.run([*PARLEY, "ingest", str(src), "--db", db_url, "--batch-size",
                                "10"], capture_output=True, text=True, timeout=600)
        assert again.returncode == 0, again.stderr
        with engine.connect() as con:
            assert con.execute(sa.text("select count(*) from articles")).scalar_one() == 300
    finally:
        if proc.poll() is None:
            proc.kill()
        engine.dispose()
        with admin.connect() as con:
            con.execute(sa.text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))
        admin.dispose()
