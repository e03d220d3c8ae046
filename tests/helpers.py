"""Helpers shared by the tests (constants, builders, assertions); fixtures live in
``tests/conftest.py``."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PARLEY_SHARED", ROOT.parent / "shared"))
RESOURCES = Path(__file__).parent / "resources"
# browser screenshots (CI keeps this folder as an artefact): $PARLEY_SCREENSHOTS, else a
# folder in the system's temporary directory
ARTIFACTS = Path(os.environ.get("PARLEY_SCREENSHOTS")
                 or Path(tempfile.gettempdir()) / "parley-screenshots")
PG_URL = os.environ.get("PARLEY_TEST_PG_URL")

# How a subprocess runs `parley`.
PARLEY = [sys.executable, "-m", "parley"]


def parley_cmd(*args: str) -> list[str]:
    return [*PARLEY, *args]


def event_text(doc, event) -> str:
    m = event.mentions[0]
    return doc.text[m.trigger.start : m.trigger.end]


def actor_names(doc, event, attr: str = "name") -> set:
    actors = {a.id: a for a in doc.actors}
    return {getattr(actors[p.actor], attr) for p in event.participants}


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def pg_database():
    """A fresh PostgreSQL database: (url, drop)."""
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


def counts(db: str) -> dict[str, int]:
    from parley.store import open_store, queries

    with open_store(db, create=False) as store, store.read() as conn:
        return queries.counts(conn)


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


def voa_articles(shared: Path, n: int, chars: int = 600) -> list[dict]:
    """``n`` JSONL records: the VOA stories cut to their first ``chars`` characters,
    repeated with distinct ids (short, so a test codes hundreds in seconds)."""
    path = shared / "data" / "voa_stories.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not found")
    stories = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    out = []
    for i in range(n):
        s = stories[i % len(stories)]
        out.append({"id": f"{s['id']}-{i // len(stories)}", "text": s["text"][:chars],
                    "title": s["title"], "url": s["url"], "published": s["published"]})
    return out


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


def shot(page, name: str) -> Path:
    """Save a full-page screenshot in ``ARTIFACTS`` (kept as a CI artefact)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"web-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
