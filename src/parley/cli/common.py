"""What every command shares: one-line errors, date and database options, store errors.

A ``ParleyError`` is printed as one line (``parley: error: SOURCE[:LINE]: message
[CODE]``) on standard error and sets its exit code; nothing else is printed for it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, NoReturn, TypeVar

import click

from parley.errors import ParleyError, StoreError
from parley.ingest.dates import parse_date

F = TypeVar("F", bound=Callable[..., Any])


def err(message: str) -> None:
    click.echo(f"parley: error: {message}", err=True)


def fail(exc: ParleyError) -> NoReturn:
    err(exc.one_line())
    sys.exit(exc.exit_code)


def date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """A ``--published``/``--since``/``--until`` value, parsed like the API parses it."""
    try:
        return parse_date(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _set_min_confidence(ctx: click.Context, param: click.Parameter,
                        value: float | None) -> float | None:
    # the setting, so that worker processes and Ray actors code with it too; put back
    # when the command ends (a library caller's process keeps its own setting)
    if value is not None:
        import os

        before = os.environ.get("PARLEY_MIN_CONFIDENCE")
        os.environ["PARLEY_MIN_CONFIDENCE"] = repr(value)

        def restore() -> None:
            if before is None:
                os.environ.pop("PARLEY_MIN_CONFIDENCE", None)
            else:
                os.environ["PARLEY_MIN_CONFIDENCE"] = before

        ctx.call_on_close(restore)
    return value


def min_confidence_option(f: F) -> F:
    return click.option(
        "--min-confidence", type=click.FloatRange(0.0, 1.0), default=None,
        callback=_set_min_confidence, expose_value=False, is_eager=True,
        help="Leave out events coded with a lower confidence (0-1). Default: "
             "$PARLEY_MIN_CONFIDENCE, else the threshold chosen on the corpus dev split "
             "(docs/accuracy.md).")(f)


def db_option(f: F) -> F:
    return click.option(
        "--db", "db", metavar="URL",
        help="Database: a SQLAlchemy URL (postgresql+psycopg://...) or a SQLite file "
             "path. Default: $PARLEY_DB, else ./parley.db.")(f)


@contextmanager
def store_errors() -> Iterator[None]:
    """A database failure mid-command (server gone, disk full) as one error line."""
    from sqlalchemy.exc import DBAPIError

    from parley.store.db import db_reason

    try:
        yield
    except DBAPIError as exc:
        err(f"the database failed: {db_reason(exc)} [{StoreError.code}]")
        sys.exit(StoreError.exit_code)


def open_db(db: str | None, *, create: bool) -> Any:
    from parley.store.db import open_store

    try:
        return open_store(db, create=create)
    except ParleyError as exc:
        fail(exc)
