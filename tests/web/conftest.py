"""Web fixtures: one SQLite store ingested from a few hand-written reports with the real
pipeline (once per session), the app over it, an in-process client, and a real
``parley serve`` subprocess for the browser tests."""

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

from tests.conftest import ROOT

with warnings.catch_warnings():
    # starlette.testclient warns once, on import, that it prefers httpx2 to httpx
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ARTIFACTS = ROOT / "test-artifacts"
XSS = '<script>window.__xss=1;alert(1)</script><img src=x onerror="window.__xss=2">'

# Two reports of one deal (fused: two sources, and a date conflict between them), three
# US-China events in three months (the dyad chart), a meeting one account names Somalia
# in and another does not (a conflict within a document), and a hostile article.
REPORTS = [
    {"id": "nation-1", "url": "https://nation.example/kenya-uganda-railway",
     "published": "2024-03-06", "title": "Kenya, Uganda agree on railway",
     "text": "NAIROBI — Kenya and Uganda agreed on Tuesday to build a joint railway linking "
             "Nairobi and Kampala, officials said.\n"
             "Also Read: Celebrity chef opens new restaurant in Paris\n"
             "The line is expected to cut freight costs for landlocked Uganda."},
    {"id": "monitor-7", "url": "https://monitor.example/railway-deal",
     "published": "2024-03-07", "title": "Railway deal struck",
     "text": "Ugandan and Kenyan officials agreed on Wednesday on a railway deal that will "
             "connect the two capitals. Construction is due to start next year, the "
             "transport ministry said."},
    {"id": "wire-1", "url": "https://wire.example/us-china-talks", "published": "2024-01-10",
     "title": "US and China hold trade talks",
     "text": "WASHINGTON — The United States and China held talks in Beijing on Monday on "
             "trade, officials said."},
    {"id": "wire-2", "url": "https://wire.example/us-accuses-china",
     "published": "2024-02-14", "title": "US accuses China of hacking",
     "text": "The United States accused China on Tuesday of hacking government networks, "
             "the State Department said."},
    {"id": "wire-3", "url": "https://wire.example/us-sanctions-china",
     "published": "2024-03-22", "title": "US sanctions Chinese firms",
     "text": "The United States imposed sanctions on China on Friday over its support for "
             "Russia, the Treasury said."},
    {"id": "herald-9", "url": "https://herald.example/horn-ministers",
     "published": "2024-03-08", "title": "Horn of Africa ministers meet",
     "text": "The foreign ministers of Kenya, Ethiopia and Somalia met in Nairobi on "
             "Monday.\nTrade between the three countries has grown.\n"
             "The Ethiopian and Kenyan ministers met to discuss the border, officials said."},
    {"id": "hostile-1", "url": "javascript:alert(3)", "published": "2023-11-02",
     "title": "Border row <script>alert(2)</script>",
     "text": XSS + "\nKenya accused Uganda on Monday of violating the border, officials "
             "said."},
]


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
        with open_store(str(path)) as store:
            report = ingest(store, [Article(source=f"web:{i}", **r)
                                    for i, r in enumerate(REPORTS)])
    assert report.stored == len(REPORTS) and report.failed == 0
    return str(path)


@pytest.fixture(scope="session")
def app(web_db):
    from parley.api import create_app

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
    from parley.api import create_app

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


SERVE = ("from parley.cli import cli; from parley.api.commands import register; "
         "register(cli); cli()")


@pytest.fixture(scope="session")
def server(web_db, tmp_path_factory) -> str:
    """``parley serve`` in a subprocess on a free port; yields its base URL."""
    port = _free_port()
    log = tmp_path_factory.getbasetemp() / "web" / "serve.log"
    env = {**os.environ, "PARLEY_CACHE_DIR": str(tmp_path_factory.getbasetemp()
                                                 / "parley-cache")}
    env.pop("PARLEY_TOKEN", None)
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", SERVE, "serve", "--db", web_db,
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


def shot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ (kept as a CI artefact)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"web-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
