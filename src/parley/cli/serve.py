"""``parley serve``: the web app (JSON API and pages) over a store."""

from __future__ import annotations

import ipaddress
import os

import click

from parley.cli.common import fail
from parley.errors import ParleyError


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--db", "db", metavar="URL",
              help="Database: a SQLAlchemy URL or a SQLite file path. Default: $PARLEY_DB, "
                   "else ./parley.db.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (only this machine by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
def serve(db: str | None, host: str, port: int) -> None:
    """Serve the store: HTML pages at / and a JSON API at /api (schema: /openapi.json).

    Set PARLEY_TOKEN to require 'Authorization: Bearer <token>' on POST requests
    (coding pasted text)."""
    import uvicorn

    from parley.http.app import create_app
    from parley.store.db import display_url, resolve_url

    try:
        app = create_app(db)
    except ParleyError as exc:
        fail(exc)
    if not _loopback(host) and not os.environ.get("PARLEY_TOKEN"):
        click.echo(f"parley: warning: listening on {host} without PARLEY_TOKEN: anyone who "
                   "can reach it can read the store and run the coder", err=True)
    click.echo(f"parley: serving {display_url(resolve_url(db))} at http://{host}:{port}/",
               err=True)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False,
                proxy_headers=False)


