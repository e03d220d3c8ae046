"""Shared fixtures: the real spaCy pipeline, the shared/ data folder, a CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PARLEY_SHARED", ROOT.parent / "shared"))
RESOURCES = Path(__file__).parent / "resources"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    # the gazetteer index is built once per test session in a private cache dir
    cache = tmp_path_factory.getbasetemp() / "parley-cache"
    monkeypatch.setenv("PARLEY_CACHE_DIR", str(cache))


@pytest.fixture
def shared() -> Path:
    if not (SHARED / "data").is_dir():
        pytest.skip(f"shared data folder not found at {SHARED} (set PARLEY_SHARED)")
    return SHARED


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def code():
    """Code a text with the real pipeline: code(text, published=...) -> Document."""
    from parley import code_text

    def _code(text: str, published: str | None = "2024-03-08", **kw):
        return code_text(text, published=published, **kw)

    return _code


def event_text(doc, event) -> str:
    m = event.mentions[0]
    return doc.text[m.trigger.start : m.trigger.end]


def actor_names(doc, event, attr: str = "name") -> set:
    actors = {a.id: a for a in doc.actors}
    return {getattr(actors[p.actor], attr) for p in event.participants}
