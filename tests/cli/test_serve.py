"""`parley serve` as a command (the running server is tested in test_browser.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def serve_cli():
    from parley.cli import cli

    return cli


def test_serve_refuses_a_missing_store(runner, serve_cli, tmp_path):
    result = runner.invoke(serve_cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert "no store here" in result.stderr and "[E030]" in result.stderr


def test_serve_binds_loopback_by_default(serve_cli):
    params = {p.name: p for p in serve_cli.commands["serve"].params}
    assert params["host"].default == "127.0.0.1" and params["port"].default == 8000


def test_serve_warns_when_exposed_without_a_token(runner, serve_cli, web_db, monkeypatch):
    import uvicorn

    ran = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: ran.update(kw))
    monkeypatch.delenv("PARLEY_TOKEN", raising=False)
    result = runner.invoke(serve_cli, ["serve", "--db", web_db, "--host", "0.0.0.0",
                                       "--port", "9999"])
    assert result.exit_code == 0, result.output
    assert "without PARLEY_TOKEN" in result.stderr
    assert ran["host"] == "0.0.0.0" and ran["port"] == 9999
    monkeypatch.setenv("PARLEY_TOKEN", "t")
    quiet = runner.invoke(serve_cli, ["serve", "--db", web_db, "--host", "0.0.0.0"])
    assert "warning" not in quiet.stderr
