"""Opening stores: URLs, SQLite settings, schema versions and migrations."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, inspect, select, text

from parley.errors import StoreError
from parley.store import open_store, resolve_url
from parley.store.schema import SCHEMA_VERSION, current_version, migrate, schema_version


def test_db_value_bare_path_env_and_postgres_urls(tmp_path, monkeypatch):
    monkeypatch.delenv("PARLEY_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'parley.db'}"
    assert resolve_url("x/events.db") == f"sqlite:///{tmp_path / 'x' / 'events.db'}"
    monkeypatch.setenv("PARLEY_DB", "/data/p.db")
    assert resolve_url(None) == "sqlite:////data/p.db"
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_new_store_is_stamped_with_the_schema_version(db):
    with open_store(db) as store, store.read() as conn:
        assert current_version(conn) == SCHEMA_VERSION
        tables = set(inspect(conn).get_table_names())
    assert {"articles", "actors", "doc_events", "fused_events", "fused_participants",
            "fused_event_reports", "conflicts", "minhash_bands",
            "schema_version"} <= tables


def test_sqlite_store_runs_in_wal_mode(sqlite_db):
    open_store(sqlite_db).close()
    with sqlite3.connect(sqlite_db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with open_store(sqlite_db) as store, store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        # a batch writes more than SQLite's default 1,000 pages: not a checkpoint each
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 10000


def test_readers_do_not_create_a_store(tmp_path, invoke):
    missing = tmp_path / "none.db"
    result = invoke("events", "--db", str(missing))
    assert result.exit_code == 2
    assert result.stderr.startswith("parley: error: ") and "[E030]" in result.stderr
    assert not missing.exists()


def test_a_foreign_database_is_refused(sqlite_db):
    with sqlite3.connect(sqlite_db) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(StoreError, match="no Parley schema_version"):
        open_store(sqlite_db)


def test_a_newer_schema_is_refused(sqlite_db):
    open_store(sqlite_db).close()
    with sqlite3.connect(sqlite_db) as conn:
        conn.execute("INSERT INTO schema_version VALUES (?, '2030-01-01', 'future')",
                     (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError, match="newer than this Parley"):
        open_store(sqlite_db, create=False)


def test_migrations_run_in_order_from_the_stored_version(db):
    with open_store(db) as store, store.write() as conn:
        calls = []

        def add_notes(c):
            calls.append(SCHEMA_VERSION + 1)
            Table("notes", MetaData(), Column("id", Integer, primary_key=True)).create(c)

        def noop(c):
            calls.append(SCHEMA_VERSION + 2)

        steps = [(SCHEMA_VERSION + 2, "second", noop), (SCHEMA_VERSION + 1, "notes", add_notes)]
        assert migrate(conn, target=SCHEMA_VERSION + 2, migrations=steps) == SCHEMA_VERSION + 2
        assert calls == [SCHEMA_VERSION + 1, SCHEMA_VERSION + 2]
        assert inspect(conn).has_table("notes")
        versions = conn.execute(select(schema_version.c.version)).scalars().all()
        assert sorted(versions) == [SCHEMA_VERSION, SCHEMA_VERSION + 1, SCHEMA_VERSION + 2]
        # already there: nothing runs again
        assert migrate(conn, target=SCHEMA_VERSION + 2, migrations=steps) == SCHEMA_VERSION + 2
        assert len(calls) == 2
        conn.execute(text("DROP TABLE notes"))


def test_a_missing_migration_is_an_error(sqlite_db):
    with open_store(sqlite_db) as store, store.write() as conn, \
            pytest.raises(StoreError, match="no migration"):
        migrate(conn, target=SCHEMA_VERSION + 1, migrations=[])


def test_a_version_1_store_is_renamed_forward_keeping_its_rows(db, invoke, tmp_path):
    """Version 1 called document events "mentions" and counted them as mention_count."""
    from tests.helpers import write_jsonl

    src = write_jsonl(tmp_path / "in.jsonl", [
        {"id": "a", "published": "2024-03-08",
         "text": "Kenya and Uganda signed a border agreement on Monday in Nairobi."}])
    assert invoke("ingest", str(src), "--db", db).exit_code == 0
    with open_store(db, create=False) as store, store.write() as conn:
        _back_to_version_2(conn)
        for sql in (  # back to the version-1 shape
            "ALTER TABLE fused_events DROP COLUMN mention_count",
            "ALTER TABLE fused_events RENAME COLUMN report_count TO mention_count",
            "ALTER TABLE conflicts RENAME COLUMN doc_event_id TO mention_id",
            "ALTER TABLE fused_event_reports RENAME COLUMN doc_event_id TO mention_id",
            "ALTER TABLE fused_event_reports RENAME TO fused_event_mentions",
            "ALTER TABLE doc_event_participants RENAME COLUMN doc_event_id TO mention_id",
            "ALTER TABLE doc_event_participants RENAME TO mention_participants",
            "ALTER TABLE doc_events RENAME TO mentions",
        ):
            conn.execute(text(sql))
        conn.execute(schema_version.update().values(version=1))
    with open_store(db, create=False) as store, store.read() as conn:
        assert current_version(conn) == SCHEMA_VERSION
        tables = set(inspect(conn).get_table_names())
        assert {"doc_events", "doc_event_participants", "fused_event_reports"} <= tables
        assert "mentions" not in tables
        counts = conn.execute(text("SELECT report_count, mention_count FROM fused_events")).all()
        assert counts and all(r == (1, 1) for r in counts)


def _back_to_version_2(conn) -> None:
    for sql in (
        "DROP INDEX ix_fused_event_reports_article_id",
        "DROP INDEX ix_fused_events_source_count",
        "DROP INDEX ix_fused_participants_lower_name",
        "DROP INDEX ix_fused_participants_lower_key",
        "DROP TABLE dyad_counts",
        "DROP TABLE store_counts",
        "DROP TABLE dyad_days",
        "ALTER TABLE actors DROP COLUMN kb_id",
        "ALTER TABLE doc_events DROP COLUMN background",
        "ALTER TABLE fused_events DROP COLUMN background",
        "ALTER TABLE fused_events DROP COLUMN article_count",
        "ALTER TABLE fused_event_reports DROP COLUMN rule",
        "ALTER TABLE fused_event_reports DROP COLUMN why",
    ):
        conn.execute(text(sql))
    conn.execute(schema_version.update().values(version=2))


def test_a_version_2_store_gains_identities_counts_and_pairs(db, invoke, tmp_path):
    from tests.helpers import write_jsonl

    src = write_jsonl(tmp_path / "in.jsonl", [
        {"id": "a", "published": "2024-03-08",
         "text": "Kenya and Uganda agreed on Monday to build a railway, officials said."}])
    assert invoke("ingest", str(src), "--db", db).exit_code == 0
    with open_store(db, create=False) as store, store.read() as conn:
        from parley.store import queries

        pairs_before = queries.top_dyads(conn, 10)
        series_before = queries.dyad_series(conn, "KEN", "UGA")
    assert pairs_before and series_before
    with open_store(db, create=False) as store, store.write() as conn:
        _back_to_version_2(conn)
    with open_store(db, create=False) as store, store.read() as conn:
        assert current_version(conn) == SCHEMA_VERSION
        assert conn.execute(text("SELECT count(*) FROM fused_events WHERE article_count = 1")
                            ).scalar_one() == conn.execute(
            text("SELECT count(*) FROM fused_events")).scalar_one()
        assert queries.top_dyads(conn, 10) == pairs_before
        assert queries.dyad_series(conn, "KEN", "UGA") == series_before
        # version 4 counted the participant keys the home page shows
        assert queries.participant_count(conn) == conn.execute(
            text("SELECT count(DISTINCT key) FROM fused_participants")).scalar_one() >= 2
        table = queries.counts(conn)
        assert queries.overview(conn) == {k: table[k] for k in
                                          ("articles", "doc_events", "fused_events",
                                           "conflicts")}


def _participant_indexes(conn) -> set[str]:
    if conn.dialect.name == "sqlite":
        sql = ("SELECT name FROM sqlite_master WHERE type = 'index' "
               "AND tbl_name = 'fused_participants'")
    else:
        sql = "SELECT indexname FROM pg_indexes WHERE tablename = 'fused_participants'"
    return set(conn.execute(text(sql)).scalars())


def test_a_version_3_store_counts_its_participant_keys_and_indexes_them_with_their_events(
        db, invoke, tmp_path):
    from tests.helpers import write_jsonl

    src = write_jsonl(tmp_path / "in.jsonl", [
        {"id": "a", "published": "2024-03-08",
         "text": "Kenya and Uganda agreed on Monday to build a railway, officials said."}])
    assert invoke("ingest", str(src), "--db", db).exit_code == 0
    with open_store(db, create=False) as store, store.write() as conn:
        # back to the version-3 shape: no kept key count, participants indexed by key
        conn.execute(text("DELETE FROM store_counts WHERE name = 'participant_keys'"))
        conn.execute(text("DROP INDEX ix_fused_participants_key_fused_event_id"))
        conn.execute(text('CREATE INDEX ix_fused_participants_key ON fused_participants ("key")'))
        conn.execute(schema_version.update().values(version=3))
    with open_store(db, create=False) as store, store.read() as conn:
        from parley.store import queries

        assert current_version(conn) == SCHEMA_VERSION
        assert queries.participant_count(conn) == conn.execute(
            text("SELECT count(DISTINCT key) FROM fused_participants")).scalar_one() >= 2
        indexes = _participant_indexes(conn)
        assert "ix_fused_participants_key_fused_event_id" in indexes
        assert "ix_fused_participants_key" not in indexes
