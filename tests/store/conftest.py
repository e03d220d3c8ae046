"""Store fixtures: a fresh database per test on SQLite and (with PARLEY_TEST_PG_URL) on
PostgreSQL, the CLI with the store commands, and a `parley` subprocess command line."""

from __future__ import annotations

import json
import os
import sys
import uuid
from pathlib import Path

import pytest

PG_URL = os.environ.get("PARLEY_TEST_PG_URL")

# How a subprocess runs `parley`.
PARLEY = [sys.executable, "-m", "parley"]


def parley_cmd(*args: str) -> list[str]:
    return [*PARLEY, *args]


@pytest.fixture(scope="session")
def store_cli():
    """The `parley` click group with the store commands registered."""
    from parley.cli import cli
    from parley.store.commands import register

    if "ingest" not in cli.commands:
        register(cli)
    return cli


@pytest.fixture
def invoke(runner, store_cli):
    """Run `parley ARGS...` in-process: invoke("events", "--db", db) -> Result."""

    def _invoke(*args: str):
        return runner.invoke(store_cli, list(args), catch_exceptions=False)

    return _invoke


def _pg_database():
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"parley_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request, tmp_path) -> str:
    """A --db value for an empty store: a SQLite path, or a fresh PostgreSQL database
    that is dropped after the test."""
    if request.param == "sqlite":
        return str(tmp_path / "parley.db")
    if not PG_URL:
        pytest.skip("PostgreSQL store tests need PARLEY_TEST_PG_URL, e.g. "
                    "postgresql+psycopg://postgres@127.0.0.1:54329/postgres")
    url, drop = _pg_database()
    request.addfinalizer(drop)
    return url


@pytest.fixture
def sqlite_db(tmp_path) -> str:
    return str(tmp_path / "parley.db")


def counts(db: str) -> dict[str, int]:
    from parley.store import open_store, queries

    with open_store(db, create=False) as store, store.read() as conn:
        return queries.counts(conn)


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


_COUNTRIES = ["Kenya", "Uganda", "Tanzania", "Ethiopia", "Somalia", "Rwanda", "Burundi",
              "Ghana", "Nigeria", "Senegal", "Egypt", "Sudan", "Chad", "Niger", "Mali",
              "Zambia", "Malawi", "Angola", "Namibia", "Botswana"]
_TEMPLATES = [
    "{a} and {b} agreed on {day} to expand trade across their border, officials said.",
    "The foreign ministers of {a} and {b} met in {city} on {day} to discuss security.",
    "{a} accused {b} on {day} of backing rebels near the border, a spokesman said.",
    "{a} sent food aid to {b} on {day} after floods destroyed crops, the ministry said.",
    "Police in {a} arrested protesters on {day} after clashes in {city}, witnesses said.",
]
_CITIES = ["Nairobi", "Kampala", "Addis Ababa", "Lagos", "Cairo", "Accra", "Dakar"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def synthetic_articles(n: int) -> list[dict]:
    """``n`` short reports with distinct texts (so distinct content hashes)."""
    out = []
    for i in range(n):
        # the partner shifts every round of 20, so no two reports are near-duplicates
        a = _COUNTRIES[i % len(_COUNTRIES)]
        b = _COUNTRIES[(i + 1 + i // len(_COUNTRIES)) % len(_COUNTRIES)]
        if b == a:
            b = _COUNTRIES[(i + 2) % len(_COUNTRIES)]
        text = _TEMPLATES[i % len(_TEMPLATES)].format(
            a=a, b=b, city=_CITIES[i % len(_CITIES)], day=_DAYS[(i // 5) % len(_DAYS)])
        out.append({"id": f"syn-{i}", "url": f"https://wire.example/{i}",
                    "published": f"2024-{1 + (i // 28) % 12:02d}-{1 + i % 28:02d}",
                    "text": f"{text} Report number {i}."})
    return out


@pytest.fixture(scope="session")
def _coded_documents() -> dict:
    return {}


@pytest.fixture
def reuse_coding(monkeypatch, _coded_documents):
    """Code each distinct article once per session, whatever backend stores it.

    The pipeline is deterministic, so the SQLite and PostgreSQL runs of a test over the
    same large corpus store identical documents; this saves the second coding run.
    """
    from parley.pipeline import code_articles
    from parley.store import writer
    from parley.store.dedup import content_hash

    def coder(batch):
        todo = [a for a in batch if _key(a) not in _coded_documents]
        for article, doc in zip(todo, code_articles(todo), strict=True):
            _coded_documents[_key(article)] = doc
        return [_coded_documents[_key(a)] for a in batch]

    def _key(article):
        return (content_hash(article.text), article.id, article.published)

    monkeypatch.setattr(writer, "_default_coder", coder)
