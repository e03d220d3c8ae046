"""Opening a store: database URLs, the SQLite settings for one writer and many readers.

``--db`` (or ``PARLEY_DB``) takes a SQLAlchemy URL or a bare path; a bare path is a
SQLite file. SQLite runs in WAL mode with a busy timeout (checkpointing every 10,000
pages), so ``parley events`` reads a consistent snapshot while ``parley ingest``
writes; write transactions start with ``BEGIN IMMEDIATE`` so two writers queue on the
lock instead of failing half-way. On PostgreSQL writers serialise on a
transaction-scoped advisory lock.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from parley.errors import StoreError
from parley.store.schema import SCHEMA_VERSION, current_version, migrate

DEFAULT_DB = "parley.db"
# milliseconds a SQLite connection waits for the write lock before giving up
BUSY_TIMEOUT_MS = int(os.environ.get("PARLEY_DB_BUSY_TIMEOUT", "60000"))
# arbitrary constant: the advisory lock id Parley writers take on PostgreSQL
_PG_WRITE_LOCK = 0x5041524C  # "PARL"


class JSONText(str):
    """A value for a JSON column that is serialised already (pydantic's
    ``model_dump_json``): the engine stores it as it is instead of encoding it again."""


def _json_dumps(value: object) -> str:
    return value if isinstance(value, JSONText) else json.dumps(value)


def resolve_url(db: str | None = None) -> str:
    """``--db`` value, else ``PARLEY_DB``, else ``./parley.db``, as a SQLAlchemy URL."""
    value = db or os.environ.get("PARLEY_DB") or DEFAULT_DB
    if "://" not in value:
        return "sqlite:///" + str(Path(value).expanduser().absolute())
    if value.startswith(("postgresql://", "postgres://")):
        # psycopg (3) is the driver Parley installs; SQLAlchemy's default is psycopg2
        value = "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


def _sqlite_path(url: str) -> Path | None:
    database = make_url(url).database
    if not database or database == ":memory:":
        return None
    return Path(database)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record) -> None:
        # let SQLAlchemy's "begin" hook below issue BEGIN, not the sqlite3 module
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        # WAL + NORMAL survives a killed process; only a power cut can lose a commit
        cur.execute("PRAGMA synchronous = NORMAL")
        # the WAL is copied back into the database (and both synced) once it holds
        # 10,000 pages (40 MB), not SQLite's 1,000: an ingest batch writes more than
        # 1,000, so every commit checkpointed, copying the pages each batch touches
        # again (index pages most) and syncing twice
        cur.execute("PRAGMA wal_autocheckpoint = 10000")
        cur.execute("PRAGMA foreign_keys = ON")
        # a larger page cache (64 MiB, per connection) keeps the indexes a batch probes
        # in memory; temporary b-trees (sorts, DISTINCT) stay in memory too
        cur.execute("PRAGMA cache_size = -65536")
        cur.execute("PRAGMA temp_store = MEMORY")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front: a deferred transaction that reads
        # and then writes can fail with SQLITE_BUSY without waiting out busy_timeout
        write = conn.get_execution_options().get("parley_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class Store:
    """An open store: an engine plus the read and write transaction helpers."""

    def __init__(self, engine: Engine, url: str):
        self.engine = engine
        self.url = url

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction: one consistent snapshot, never blocks the writer."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: committed whole on exit, rolled back on error."""
        with (self.engine.connect().execution_options(parley_write=True) as conn,
              conn.begin()):
            if self.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_WRITE_LOCK})
            yield conn

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def db_reason(exc: DBAPIError) -> str:
    """The driver's first line of an error, without SQLAlchemy's statement dump."""
    return str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)


def display_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def open_store(db: str | None = None, *, create: bool = True) -> Store:
    """Open (and, with ``create``, create or upgrade) the store at ``db``.

    Raises ``StoreError`` for a bad URL, a missing SQLite file when ``create`` is
    false, an unreachable server, or a database that is not a Parley store.
    """
    url = resolve_url(db)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"not a database URL: {url!r}") from None
    if parsed.get_backend_name() == "sqlite":
        path = _sqlite_path(url)
        if path is not None:
            if not create and not path.exists():
                raise StoreError("no store here (run 'parley ingest' first)",
                                 source=str(path))
            if not path.parent.is_dir():
                raise StoreError("directory does not exist", source=str(path.parent))
    try:
        engine = create_engine(url, json_serializer=_json_dumps)
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot use {display_url(url)}: {exc}") from None
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    store = Store(engine, url)
    try:
        with store.read() as conn:
            version = current_version(conn)
        if version != SCHEMA_VERSION:
            if version is None and not create:
                raise StoreError("not a Parley store (no schema_version table)",
                                 source=display_url(url))
            with store.write() as conn:
                migrate(conn)
    except DBAPIError as exc:
        store.close()
        raise StoreError(f"cannot open the store: {db_reason(exc)}",
                         source=display_url(url)) from None
    except StoreError:
        store.close()
        raise
    return store
