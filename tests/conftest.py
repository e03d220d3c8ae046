"""The one conftest: the real spaCy pipeline, the shared/ data folder, the CLI runner,
stores on SQLite and PostgreSQL, the web app and a browser."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from tests.helpers import PG_URL, REPORTS, ROOT, SHARED, pg_database

with warnings.catch_warnings():
    # starlette.testclient warns once, on import, that it prefers httpx2 to httpx
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def shipped_floor() -> float:
    """The confidence floor the shipped models set (what users get by default)."""
    from parley.learn.models import load_models

    models = load_models()
    return float(models.thresholds["min_confidence"]) if models else 0.0


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    # the compiled knowledge caches are built once per test session in a private dir
    cache = tmp_path_factory.getbasetemp() / "parley-cache"
    monkeypatch.setenv("PARLEY_CACHE_DIR", str(cache))


@pytest.fixture
def shared() -> Path:
    if not (SHARED / "data").is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"shared data folder not found at {SHARED}: CI must have it")
        pytest.skip(f"shared data folder not found at {SHARED} (set PARLEY_SHARED)")
    return SHARED


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner):
    """Run `parley ARGS...` in-process: invoke("events", "--db", db) -> Result."""
    from parley.cli import cli

    def _invoke(*args: str):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return _invoke


@pytest.fixture
def code():
    """Code a text with the real pipeline: code(text, published=...) -> Document."""
    from parley import code_text

    def _code(text: str, published: str | None = "2024-03-08",
              min_confidence: float | None = 0.0, **kw):
        # Component tests see every candidate the models keep (with its confidence):
        # the shipped floor is an output choice, tested end to end where it matters
        # (pass min_confidence=None for the shipped default).
        return code_text(text, published=published, min_confidence=min_confidence, **kw)

    return _code


# -- stores ---------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request, tmp_path) -> str:
    """A --db value for an empty store: a SQLite path, or a fresh PostgreSQL database
    that is dropped after the test."""
    if request.param == "sqlite":
        return str(tmp_path / "parley.db")
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("CI runs the store tests on PostgreSQL: PARLEY_TEST_PG_URL is unset")
        pytest.skip("PostgreSQL store tests need PARLEY_TEST_PG_URL, e.g. "
                    "postgresql+psycopg://postgres@127.0.0.1:54329/postgres")
    url, drop = pg_database()
    request.addfinalizer(drop)
    return url


@pytest.fixture
def sqlite_db(tmp_path) -> str:
    return str(tmp_path / "parley.db")


@pytest.fixture(scope="session")
def _coded_documents() -> dict:
    return {}


@pytest.fixture
def reuse_coding(monkeypatch, _coded_documents):
    """Code each distinct article once per session, whatever backend stores it.

    The pipeline is deterministic, so the SQLite and PostgreSQL runs of a test over the
    same large corpus store identical documents; this saves the second coding run.
    """
    import parley.pipeline
    from parley.store.dedup import content_hash

    real = parley.pipeline.code_batch

    def _key(article):
        return (content_hash(article.text), article.id, article.published)

    def coder(batch, **kw):
        todo = [a for a in batch if _key(a) not in _coded_documents]
        for article, doc in zip(todo, real(todo, **kw), strict=True):
            _coded_documents[_key(article)] = doc
        return [_coded_documents[_key(a)] for a in batch]

    monkeypatch.setattr(parley.pipeline, "code_batch", coder)


# -- the web app ----------------------------------------------------------------------

@pytest.fixture(scope="session")
def web_db(tmp_path_factory) -> str:
    """A SQLite store holding ``REPORTS``, coded and fused by the real pipeline."""
    from parley.model import Article
    from parley.store import open_store
    from parley.store.writer import ingest

    base = tmp_path_factory.getbasetemp()
    path = base / "web" / "parley.db"
    path.parent.mkdir(exist_ok=True)
    with pytest.MonkeyPatch.context() as mp:
        # the same private cache as tests/conftest.py's autouse fixture
        mp.setenv("PARLEY_CACHE_DIR", str(base / "parley-cache"))
        # the pages are tested on every event the models keep, whatever the floor
        mp.setenv("PARLEY_MIN_CONFIDENCE", "0")
        with open_store(str(path)) as store:
            from parley.pipeline import code_batch

            report = ingest(store, [Article(source=f"web:{i}", **r)
                                    for i, r in enumerate(REPORTS)], coder=code_batch)
    assert report.stored == len(REPORTS) and report.failed == 0
    return str(path)


@pytest.fixture(scope="session")
def app(web_db):
    from parley.http import create_app

    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("PARLEY_TOKEN", raising=False)
        return create_app(web_db)


@pytest.fixture(scope="session")
def client(app) -> TestClient:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def make_client(web_db, monkeypatch):
    """A client of a fresh app, created after the test set its environment."""
    from parley.http import create_app

    clients = []

    def _make() -> TestClient:
        c = TestClient(create_app(web_db))
        clients.append(c)
        return c

    yield _make
    for c in clients:
        c.close()


@pytest.fixture(scope="session")
def ids(client) -> dict:
    """Ids of what the store holds, looked up once through the API."""
    arts = client.get("/api/articles", params={"limit": 200}).json()["items"]
    by_doc = {a["doc_id"]: a["id"] for a in arts}
    events = client.get("/api/events", params={"limit": 200}).json()["items"]
    deal = next(e for e in events if e["type"] == "AGREE" and e["source_count"] == 2)
    return {"articles": by_doc, "deal": deal["id"], "events": events}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(web_db, tmp_path_factory) -> str:
    """``parley serve`` in a subprocess on a free port; yields its base URL."""
    port = _free_port()
    log = tmp_path_factory.getbasetemp() / "web" / "serve.log"
    env = {**os.environ, "PARLEY_CACHE_DIR": str(tmp_path_factory.getbasetemp()
                                                 / "parley-cache")}
    env.pop("PARLEY_TOKEN", None)
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "parley", "serve", "--db", web_db,
                                 "--host", "127.0.0.1", "--port", str(port)],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"parley serve exited: {Path(log).read_text()}")
            try:
                if httpx.get(url + "/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"parley serve did not start: {Path(log).read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} "
                    "(apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, server):
    """A fresh browser page; console errors and failed requests fail the test."""
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 860})
    pg = context.new_page()
    problems: list[str] = []
    pg.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    pg.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}")
          if msg.type == "error" else None)
    # nothing may load from anywhere but the server
    pg.on("request", lambda req: problems.append(f"outside request: {req.url}")
          if not req.url.startswith(server) else None)
    pg.problems = problems
    yield pg
    context.close()
