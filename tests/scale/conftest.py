"""Scale fixtures: the CLI with `parley batch`, short VOA articles, a subprocess command."""

from __future__ import annotations

import json
import sys

import pytest

# How a subprocess runs `parley batch` until cli.py registers the command itself.
_BOOTSTRAP = ("from parley.cli import cli; from parley.scale.commands import register; "
              "register(cli); cli()")
PARLEY = [sys.executable, "-c", _BOOTSTRAP]


@pytest.fixture(scope="session")
def batch_cli():
    """The `parley` click group with `parley batch` registered."""
    from parley.cli import cli
    from parley.scale.commands import register

    if "batch" not in cli.commands:
        register(cli)
    return cli


@pytest.fixture
def invoke(runner, batch_cli):
    def _invoke(*args: str):
        return runner.invoke(batch_cli, list(args), catch_exceptions=False)

    return _invoke


def voa_articles(shared, n: int, chars: int = 600) -> list[dict]:
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


def write_jsonl(path, records) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)
