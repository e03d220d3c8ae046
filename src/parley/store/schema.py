"""The store's tables (SQLAlchemy Core) and their versioning.

``METADATA`` always describes the *current* schema. A new database is created from it
and stamped with ``SCHEMA_VERSION``; an older database is brought forward by the
functions in ``MIGRATIONS``, one version at a time, each in the same transaction as
its stamp. To change the schema: edit the tables below, bump ``SCHEMA_VERSION`` and
append a migration that turns version N-1 into N (plain Core DDL or ``ALTER TABLE``
through ``conn.execute``), so both paths end at the same shape.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    inspect,
    select,
)
from sqlalchemy.schema import CreateIndex

from parley.errors import StoreError

SCHEMA_VERSION = 4

METADATA = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

schema_version = Table(
    "schema_version", METADATA,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
    Column("description", String(200), nullable=False),
)

articles = Table(
    "articles", METADATA,
    Column("id", Integer, primary_key=True),
    Column("doc_id", String(300), nullable=False),  # the input's own id (not unique)
    Column("source", Text, nullable=False),  # file name and line it was read from
    Column("url", Text),
    Column("published", Date),
    Column("title", Text),
    Column("text", Text, nullable=False),
    # sha256 of the whitespace-normalised text: the same report read twice is a no-op
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("near_duplicate_of", Integer, ForeignKey("articles.id")),
    Column("similarity", Float),  # estimated Jaccard with ``near_duplicate_of``
    Column("minhash", LargeBinary),  # 128 x uint32 signature (datasketch affine32)
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    # the coded document contract without ``text`` (kept once, in the column above)
    Column("document", JSON, nullable=False),
)
Index(None, articles.c.published)
Index(None, articles.c.near_duplicate_of)

# The persisted LSH index: one row per band of each original article. ``bucket`` (a
# 64-bit hash of the band) leads the key, so a lookup by buckets is one index probe each.
minhash_bands = Table(
    "minhash_bands", METADATA,
    Column("bucket", BigInteger, primary_key=True, autoincrement=False),
    Column("band", SmallInteger, primary_key=True, autoincrement=False),
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True,
           autoincrement=False),
)

actors = Table(
    "actors", METADATA,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("local_id", String(20), nullable=False),  # "a1" in the document
    Column("name", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("country", String(8)),
    Column("sector", String(60)),
    Column("key", Text, nullable=False),  # participant key: country ISO3, else the name
    Column("kb_id", String(200)),  # the knowledge-base entity, when the actor is one
    Column("aliases", JSON, nullable=False),
    Column("spans", JSON, nullable=False),  # [{start, end}] in the article text
    UniqueConstraint("article_id", "local_id"),
)
Index(None, actors.c.key)

# One row per event of a coded document (the document already fused its own mentions).
doc_events = Table(
    "doc_events", METADATA,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("event_local_id", String(20), nullable=False),  # "e1" in the document
    Column("type", String(12), nullable=False),
    Column("mode", String(40)),
    Column("context", String(60)),
    Column("factuality", String(16), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("date", Date),
    Column("date_precision", String(8)),
    Column("date_disputed", Boolean, nullable=False, default=False),
    Column("place_name", Text),
    Column("place_country", String(8)),
    Column("lat", Float),
    Column("lon", Float),
    # first mention's sentence and trigger; ``spans`` has every mention
    Column("mention_start", Integer),
    Column("mention_end", Integer),
    Column("trigger_start", Integer),
    Column("trigger_end", Integer),
    Column("spans", JSON, nullable=False),
    # the event happened well before the report (``Event.background``)
    Column("background", Boolean, nullable=False, default=False),
    UniqueConstraint("article_id", "event_local_id"),
)

doc_event_participants = Table(
    "doc_event_participants", METADATA,
    Column("doc_event_id", Integer, ForeignKey("doc_events.id"), primary_key=True,
           autoincrement=False),
    Column("actor_id", Integer, ForeignKey("actors.id"), primary_key=True,
           autoincrement=False),
    Column("position", SmallInteger, nullable=False),  # order in the document event
    Column("key", Text, nullable=False),
    Column("role", String(12), nullable=False),
    Column("disputed", Boolean, nullable=False, default=False),
)

fused_events = Table(
    "fused_events", METADATA,
    Column("id", Integer, primary_key=True),
    Column("type", String(12), nullable=False),
    Column("mode", String(40)),
    Column("context", String(60)),
    Column("factuality", String(16), nullable=False),
    Column("date", Date),  # what most reports say; null when none gives a date
    Column("date_precision", String(8)),
    Column("date_disputed", Boolean, nullable=False, default=False),
    # ``date`` if known, else the earliest publication date: for filters and series
    Column("ref_date", Date),
    # day-precision ``date``, else the earliest publication date: for matching reports
    Column("anchor_date", Date),
    Column("place_name", Text),
    Column("place_country", String(8)),
    Column("lat", Float),
    Column("lon", Float),
    Column("disputed", Boolean, nullable=False, default=False),
    Column("background", Boolean, nullable=False, default=False),  # all reports are
    Column("source_count", Integer, nullable=False),  # distinct non-duplicate articles
    # distinct articles, syndicated copies included (GDELT's NumArticles)
    Column("article_count", Integer, nullable=False, default=0),
    Column("report_count", Integer, nullable=False),  # document events linked to it
    Column("mention_count", Integer, nullable=False),  # their sentence mentions, in all
    Column("confidence", Float, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
# the candidate query of cross-report fusion: type + anchor date window
Index(None, fused_events.c.type, fused_events.c.anchor_date)
# event lists by date: a page of a large filtered set walks it (``queries.events_page``);
# SQLite's index is in (ref_date, id) order with undated events first, PostgreSQL needs
# that order said (its NULLs sort last) to walk it either way
Index(None, fused_events.c.ref_date)
REF_DATE_ID = Index("ix_fused_events_ref_date_nulls_first_id",
                    fused_events.c.ref_date.asc().nulls_first(), fused_events.c.id
                    ).ddl_if(dialect="postgresql")
Index(None, fused_events.c.source_count)

fused_participants = Table(
    "fused_participants", METADATA,
    Column("fused_event_id", Integer, ForeignKey("fused_events.id"), primary_key=True,
           autoincrement=False),
    Column("key", Text, primary_key=True),
    Column("position", SmallInteger, nullable=False),  # order of first appearance
    Column("name", Text, nullable=False),
    Column("country", String(8)),
    Column("kind", String(20), nullable=False),
    Column("role", String(12), nullable=False),
)
# an actor filter's events: the ids come from the index alone (no row is read)
Index(None, fused_participants.c.key, fused_participants.c.fused_event_id)
# actor filters by name ("African Union", a value the knowledge base does not know)
Index("ix_fused_participants_lower_name", func.lower(fused_participants.c.name))
Index("ix_fused_participants_lower_key", func.lower(fused_participants.c.key))

fused_event_reports = Table(
    "fused_event_reports", METADATA,
    Column("fused_event_id", Integer, ForeignKey("fused_events.id"), nullable=False),
    Column("doc_event_id", Integer, ForeignKey("doc_events.id"), primary_key=True,
           autoincrement=False),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    # the article, or the original it is a near-duplicate of: what a "source" is
    Column("canonical_article_id", Integer, ForeignKey("articles.id"), nullable=False),
    # why the report went to this fused event: the rule ("new", "copy", "fused") and
    # its evidence (``parley events --why``)
    Column("rule", String(20), nullable=False, default="new"),
    Column("why", JSON),
)
Index(None, fused_event_reports.c.fused_event_id)
Index(None, fused_event_reports.c.article_id)

# Pre-aggregated pairs: for each undirected pair of participant keys (``a`` < ``b``)
# that form a dyad (``parley.fuse.dyads.dyad_pairs``), how many fused events of each
# factuality and background flag hold it. The writer keeps it in step with the fused
# events, so the home page's top pairs read this small table, never every event.
dyad_counts = Table(
    "dyad_counts", METADATA,
    Column("a", Text, primary_key=True),
    Column("b", Text, primary_key=True),
    Column("factuality", String(16), primary_key=True),
    Column("background", Boolean, primary_key=True),
    Column("events", Integer, nullable=False),
)

conflicts = Table(
    "conflicts", METADATA,
    Column("id", Integer, primary_key=True),
    Column("fused_event_id", Integer, ForeignKey("fused_events.id")),
    Column("doc_event_id", Integer, ForeignKey("doc_events.id")),
    Column("scope", String(12), nullable=False),  # 'document' or 'reports'
    Column("kind", String(16), nullable=False),
    Column("detail", Text, nullable=False),
    Column("evidence", JSON, nullable=False),  # [{article_id, start, end}]
    Column("created_at", DateTime(timezone=True), nullable=False),
)
Index(None, conflicts.c.fused_event_id)

# Pre-aggregated pair series: per undirected pair, day (``ref_date``), quad class,
# factuality and background flag, the events and the sum of their PLOVER scores. The
# writer keeps it with ``dyad_counts``; a dyad series reads one pair's rows.
dyad_days = Table(
    "dyad_days", METADATA,
    Column("a", Text, primary_key=True),
    Column("b", Text, primary_key=True),
    Column("day", Date, primary_key=True),
    Column("quad", SmallInteger, primary_key=True, autoincrement=False),
    Column("factuality", String(16), primary_key=True),
    Column("background", Boolean, primary_key=True),
    Column("events", Integer, nullable=False),
    Column("score_sum", Float, nullable=False),
)

# Rows of the tables the overview shows, and the number of distinct participant keys
# (``PARTICIPANT_KEYS``), kept by the writer in each batch's transaction, so the home
# page does not count millions of rows on every request.
store_counts = Table(
    "store_counts", METADATA,
    Column("name", String(40), primary_key=True),
    Column("rows", BigInteger, nullable=False),
)
COUNTED = ("articles", "doc_events", "fused_events", "conflicts")
PARTICIPANT_KEYS = "participant_keys"

Migration = Callable[[Connection], None]

def _v2_names(conn: Connection) -> None:
    """Version 2 names what the tables hold: document events are not "mentions"; a
    fused event counts its reports (document events) and their sentence mentions."""
    for sql in (
        "ALTER TABLE mentions RENAME TO doc_events",
        "ALTER TABLE mention_participants RENAME TO doc_event_participants",
        "ALTER TABLE doc_event_participants RENAME COLUMN mention_id TO doc_event_id",
        "ALTER TABLE fused_event_mentions RENAME TO fused_event_reports",
        "ALTER TABLE fused_event_reports RENAME COLUMN mention_id TO doc_event_id",
        "ALTER TABLE conflicts RENAME COLUMN mention_id TO doc_event_id",
        "ALTER TABLE fused_events RENAME COLUMN mention_count TO report_count",
        "ALTER TABLE fused_events ADD COLUMN mention_count INTEGER NOT NULL DEFAULT 0",
    ):
        conn.exec_driver_sql(sql)
    counts: dict[int, int] = {}
    rows = conn.execute(select(fused_event_reports.c.fused_event_id, doc_events.c.spans)
                        .join(doc_events, doc_events.c.id == fused_event_reports.c.doc_event_id))
    for fid, spans in rows:
        counts[fid] = counts.get(fid, 0) + max(1, len(spans or ()))
    for fid, n in counts.items():
        conn.execute(fused_events.update().where(fused_events.c.id == fid)
                     .values(mention_count=n))


def _v3_identities(conn: Connection) -> None:
    """Version 3 keeps each actor's knowledge-base id (fusion matches on identities),
    background events, each fused event's article count (copies included), why each
    report joined its fused event, and the pre-aggregated pair counts."""
    for sql in (
        "ALTER TABLE actors ADD COLUMN kb_id VARCHAR(200)",
        "ALTER TABLE doc_events ADD COLUMN background BOOLEAN NOT NULL DEFAULT FALSE",
        "ALTER TABLE fused_events ADD COLUMN background BOOLEAN NOT NULL DEFAULT FALSE",
        "ALTER TABLE fused_events ADD COLUMN article_count INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE fused_event_reports ADD COLUMN rule VARCHAR(20) NOT NULL DEFAULT 'new'",
        "ALTER TABLE fused_event_reports ADD COLUMN why JSON",
        "UPDATE fused_events SET article_count = (SELECT count(DISTINCT r.article_id) "
        "FROM fused_event_reports r WHERE r.fused_event_id = fused_events.id)",
    ):
        conn.exec_driver_sql(sql)
    for index in (fused_event_reports.indexes | fused_events.indexes
                  | fused_participants.indexes):
        if index.name in _V3_INDEXES:
            index.create(conn)
    dyad_counts.create(conn)
    dyad_days.create(conn)
    store_counts.create(conn)
    conn.execute(store_counts.insert(), [
        {"name": name, "rows": conn.execute(select(func.count()).select_from(
            METADATA.tables[name])).scalar_one()} for name in COUNTED])
    # the pair counts of the stored events (the writer keeps them up to date from now)
    from parley.store.pairs import rebuild_pair_counts

    rebuild_pair_counts(conn)


_V3_INDEXES = ("ix_fused_event_reports_article_id", "ix_fused_events_source_count",
               "ix_fused_participants_lower_name", "ix_fused_participants_lower_key")


def _participant_keys_count(conn: Connection) -> int:
    return conn.execute(select(func.count(func.distinct(fused_participants.c.key)))
                        ).scalar_one()


def _v4_participant_keys(conn: Connection) -> None:
    """Version 4 keeps the number of distinct participant keys with the table sizes
    (the home page's actor count), counted once here, and indexes participants by
    (key, fused event) instead of by key alone, so an actor filter's events come from
    the index without reading the rows; on PostgreSQL, events by (date, undated
    first; id), the order of a date-sorted page."""
    conn.execute(store_counts.insert().values(name=PARTICIPANT_KEYS,
                                              rows=_participant_keys_count(conn)))
    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_fused_participants_key")
    if conn.dialect.name == "postgresql":
        conn.execute(CreateIndex(REF_DATE_ID, if_not_exists=True))
    for index in fused_participants.indexes:
        if index.name == "ix_fused_participants_key_fused_event_id":
            # a database made by this version's tables (a test's) has it already
            conn.execute(CreateIndex(index, if_not_exists=True))


# (version it produces, description, function from the previous version)
MIGRATIONS: Sequence[tuple[int, str, Migration]] = (
    (2, "document events and report counts named for what they hold", _v2_names),
    (3, "identities, article counts, merge reasons, pre-aggregated pairs", _v3_identities),
    (4, "the number of participant keys kept with the table sizes", _v4_participant_keys),
)


def now() -> datetime:
    return datetime.now(UTC)


def current_version(conn: Connection) -> int | None:
    """The version stamped in the database, or None when it holds no Parley schema."""
    if not inspect(conn).has_table("schema_version"):
        return None
    return conn.execute(select(schema_version.c.version)
                        .order_by(schema_version.c.version.desc()).limit(1)).scalar()


def migrate(conn: Connection, *, target: int = SCHEMA_VERSION,
            migrations: Sequence[tuple[int, str, Migration]] | None = None,
            metadata: MetaData = METADATA) -> int:
    """Create or upgrade the schema inside ``conn``'s transaction; return the version.

    Callers hold the write lock (``Store.write``) so two processes opening a new
    database at once do not both create it.
    """
    steps = MIGRATIONS if migrations is None else migrations
    version = current_version(conn)
    if version is None:
        if inspect(conn).get_table_names():
            # never write our tables into somebody else's database
            raise StoreError("the database has tables but no Parley schema_version; "
                             "point --db at an empty or Parley database")
        metadata.create_all(conn)
        if "store_counts" in metadata.tables:
            conn.execute(metadata.tables["store_counts"].insert(),
                         [{"name": name, "rows": 0} for name in (*COUNTED, PARTICIPANT_KEYS)])
        conn.execute(schema_version.insert().values(
            version=target, applied_at=now(), description="created"))
        return target
    if version > target:
        raise StoreError(f"the database is at schema version {version}, newer than this "
                         f"Parley understands ({target}); upgrade Parley")
    for number, description, step in sorted(steps, key=lambda s: s[0]):
        if version < number <= target:
            step(conn)
            conn.execute(schema_version.insert().values(
                version=number, applied_at=now(), description=description))
            version = number
    if version != target:
        raise StoreError(f"no migration from schema version {version} to {target}")
    return version
