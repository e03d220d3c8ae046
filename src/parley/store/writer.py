"""Ingest: store coded articles, one transaction per batch.

A batch of ``batch_size`` inputs is read, the articles whose content hash is already
stored are dropped, the rest are coded by the caller's coder and then written in ONE
transaction: articles, actors, document events, their cross-report fusion
(``parley.fuse.reports``) and conflicts. A killed ingest therefore leaves whole
batches only, and re-running it skips what was committed.

A batch is written set by set, not document by document: each table gets one
multi-row statement for the whole batch, the near-duplicate candidates of all its
articles are looked up together, and the stored fused events any of its reports could
join are read once. Cross-report fusion then runs in memory over those events,
document by document in input order, deciding exactly what it would decide had each
document been written before the next one was read; the fused events it created or
changed are written at the end of the batch.
"""

from __future__ import annotations

import gc
import itertools
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property, lru_cache
from json.encoder import encode_basestring_ascii as _json_str
from operator import itemgetter
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import (
    Boolean,
    CompoundSelect,
    Connection,
    Table,
    and_,
    bindparam,
    exists,
    func,
    insert,
    select,
    union,
    update,
)
from sqlalchemy.exc import DBAPIError

from parley.errors import ParleyError, StoreError
from parley.fuse.reports import (
    Disagreement,
    Fused,
    FusionRule,
    Party,
    Report,
    Summary,
    Telling,
    best_match_why,
    disagreements,
    identity,
    match_copy,
    sentence_key,
)
from parley.model import Actor, Article, Document, Event, Mention, Span
from parley.store import pairs
from parley.store.db import JSONText, Store, db_reason
from parley.store.dedup import THRESHOLD, Signature, content_hash, signatures
from parley.store.schema import (
    PARTICIPANT_KEYS,
    actors,
    articles,
    conflicts,
    doc_event_participants,
    doc_events,
    fused_event_reports,
    fused_events,
    fused_participants,
    minhash_bands,
    now,
    store_counts,
)

# Codes a batch of articles: one document (or the error for that article) per article,
# in order. The store never runs the coder itself: callers pass one (the CLI passes
# ``parley.pipeline.code_batch``, or the documents of a `parley batch` output).
Coder = Callable[[list[Article]], Sequence[Document | ParleyError]]


@dataclass
class IngestReport:
    read: int = 0  # inputs taken from the readers (articles and errors)
    stored: int = 0
    already_stored: int = 0
    near_duplicates: int = 0
    failed: int = 0
    events: int = 0
    fused_new: int = 0
    fused_joined: int = 0
    copied: int = 0  # events of near-duplicates added to their original's events
    repeated: int = 0  # events of near-duplicates in a sentence the original has
    conflicts: int = 0
    batches: int = 0
    # changes to the pre-aggregated pair counts, written once at the end of a batch
    pairs: pairs.Deltas = field(default_factory=lambda: pairs.Deltas(), repr=False)
    participant_keys: int = field(default=0, repr=False)  # keys new to the store

    def add(self, other: IngestReport) -> None:
        """Count a committed batch in (only committed work is reported)."""
        for name in ("stored", "already_stored", "near_duplicates", "failed", "events",
                     "fused_new", "fused_joined", "copied", "repeated", "conflicts"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def ingest(store: Store, items: Iterable[Article | ParleyError], *, coder: Coder,
           batch_size: int = 50, rule: FusionRule | None = None,
           on_error: Callable[[ParleyError], None] | None = None,
           on_progress: Callable[[int], None] | None = None,
           executor: Executor | None = None) -> IngestReport:
    """Store ``items`` (what ``read_inputs`` yields), coded by ``coder``; return what
    happened.

    ``on_error`` gets each bad input (the run goes on); ``on_progress`` gets the number
    of inputs just handled. A ``ParleyError`` raised by the coder itself (no model, bad
    knowledge base) stops the run; the batches committed before it stay.

    A document coded with its MinHash signature (``Document.signature``, which the
    coding pipeline sets) brings it; the signatures of the others are computed here.
    With an ``executor`` (e.g. ``ProcessPoolExecutor(1)``), each batch is read and
    coded, and the signatures it lacks computed on the executor, while the batch
    before it is written. What is stored is the same.

    While it runs, the cyclic garbage collector runs less often (``_few_collections``).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    with _few_collections():
        return _ingest(store, items, coder=coder, batch_size=batch_size, rule=rule,
                       on_error=on_error, on_progress=on_progress, executor=executor)


@contextmanager
def _few_collections() -> Iterator[None]:
    """Raise the garbage collector's thresholds (never lower them) for the duration.

    A batch keeps tens of thousands of objects alive until it is written (documents,
    rows, reports, the fused events kept between batches), so with Python's defaults
    they outlive the young generations and the collector runs a full collection every
    few batches, each longer as the kept events grow: 15% of the writer's time at
    20,000 articles. Few of these objects are in reference cycles: collecting rarely
    left the bench's peak memory as it was (218 against 217 MB at 10,000 articles).
    """
    before = gc.get_threshold()
    gc.set_threshold(*(max(old, new) for old, new in zip(before, (50_000, 20, 100),
                                                         strict=True)))
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _ingest(store: Store, items: Iterable[Article | ParleyError], *, coder: Coder,
            batch_size: int, rule: FusionRule | None,
            on_error: Callable[[ParleyError], None] | None,
            on_progress: Callable[[int], None] | None,
            executor: Executor | None) -> IngestReport:
    rule = rule or FusionRule()
    if rule.plover is None:
        # read the PLOVER table once, not on every comparison
        from parley.knowledge import default_knowledge

        rule = replace(rule, plover=default_knowledge().plover)
    report = IngestReport()

    def progress(n: int) -> None:
        if on_progress and n:
            on_progress(n)

    def fail(err: ParleyError) -> None:
        report.failed += 1
        if on_error:
            on_error(err)

    def coded_batches() -> Iterator[tuple[list[tuple[str, Article, Document]],
                                          list[Signature | None],
                                          Future[list[tuple[bytes, bool]]] | None]]:
        for chunk in _chunks(items, batch_size):
            report.read += len(chunk)
            fresh: dict[str, Article] = {}
            for item in chunk:
                if isinstance(item, ParleyError):
                    fail(item)
                    progress(1)
                else:
                    fresh.setdefault(content_hash(item.text), item)
            with store.read() as conn:
                known = _known_hashes(conn, list(fresh))
            repeats = (sum(1 for i in chunk if isinstance(i, Article)) - len(fresh)
                       + len(known))
            report.already_stored += repeats
            progress(repeats)
            todo = [(h, a) for h, a in fresh.items() if h not in known]
            coded = []
            results = coder([a for _, a in todo]) if todo else []
            for (h, article), doc in zip(todo, results, strict=True):
                if isinstance(doc, ParleyError):
                    fail(doc)
                else:
                    coded.append((h, article, doc))
                progress(1)
            if coded:
                # a document coded with its signature brings it; the others' are
                # computed here (on the executor, when there is one)
                carried = [Signature.carried(d, a.text) for _, a, d in coded]
                missing = [a.text for (_, a, _), sig in zip(coded, carried, strict=True)
                           if sig is None]
                yield coded, carried, (executor.submit(signatures, missing)
                                       if executor and missing else None)

    cache = _FusedCache()
    batches = coded_batches()
    for found, carried, hashed in (_one_ahead(batches) if executor else batches):
        # hashed before the write lock is taken: readers and other writers are not
        # kept waiting for it
        computed = iter([Signature.from_bytes(data, empty=empty)
                         for data, empty in hashed.result()] if hashed else ())
        sigs = [sig or next(computed, None) or Signature.of(a.text)
                for (_, a, _), sig in zip(found, carried, strict=True)]
        coded = [_Coded(h, a, d, sig) for (h, a, d), sig in zip(found, sigs, strict=True)]
        batch = IngestReport()
        fusion = None
        try:
            with store.write() as conn:
                # a concurrent writer may have stored some since the check above
                known = _known_hashes(conn, [c.digest for c in coded])
                batch.already_stored += sum(1 for c in coded if c.digest in known)
                new = [c for c in coded if c.digest not in known]
                if new:
                    fusion = _store_batch(conn, new, rule, batch, cache)
                _count_rows(conn, batch)
                pairs.apply_all(conn, batch.pairs)
        except DBAPIError as exc:
            raise StoreError(f"batch {report.batches + 1} was not stored ({db_reason(exc)}); the "
                             f"{report.batches} batches before it are",
                             source=coded[0].article.source) from None
        if fusion is not None:  # committed: the fused events are as stored now
            cache.keep(fusion.settled())
        report.add(batch)
        report.batches += 1
    return report


_T = TypeVar("_T")


def _one_ahead(items: Iterator[_T]) -> Iterator[_T]:
    """Each of ``items`` once the next one has been made, so making the next overlaps
    the caller's work on this one; a ``ParleyError`` making the next is raised after
    this one has been handed over (the batch before a failing coder is stored)."""
    try:
        held = next(items)
    except StopIteration:
        return
    while True:
        try:
            following = next(items)
        except StopIteration:
            yield held
            return
        except ParleyError:
            yield held
            raise
        yield held
        held = following


_BUMP_COUNT = (update(store_counts).where(store_counts.c.name == bindparam("n"))
               .values(rows=store_counts.c.rows + bindparam("k")))


def _count_rows(conn: Connection, batch: IngestReport) -> None:
    """Keep ``store_counts`` in step with what the batch wrote."""
    added = {"articles": batch.stored, "doc_events": batch.events,
             "fused_events": batch.fused_new, "conflicts": batch.conflicts,
             PARTICIPANT_KEYS: batch.participant_keys}
    if any(added.values()):
        conn.execute(_BUMP_COUNT, [{"n": n, "k": k} for n, k in added.items() if k])


# Statements are built once with bind parameters: SQLAlchemy then compiles each once,
# and per-row work is only parameter binding (it matters at thousands of events).
_KNOWN = select(articles.c.content_hash).where(
    articles.c.content_hash.in_(bindparam("hashes", expanding=True)))
_BANDS = select(minhash_bands.c.band, minhash_bands.c.bucket, minhash_bands.c.article_id
                ).where(minhash_bands.c.bucket.in_(bindparam("buckets", expanding=True)))
_MINHASHES = select(articles.c.id, articles.c.minhash).where(
    articles.c.id.in_(bindparam("ids", expanding=True)))
_SET_ORIGINAL = update(articles).where(articles.c.id == bindparam("aid")).values(
    near_duplicate_of=bindparam("original"))
_STORED_KEYS = select(fused_participants.c.key).where(
    fused_participants.c.key.in_(bindparam("keys", expanding=True))).distinct()
_ORIGINALS = (
    select(doc_events.c.id, doc_events.c.article_id, doc_events.c.type, doc_events.c.date,
           doc_events.c.date_precision, doc_events.c.spans,
           fused_event_reports.c.fused_event_id)
    .outerjoin(fused_event_reports, fused_event_reports.c.doc_event_id == doc_events.c.id)
    .where(doc_events.c.article_id.in_(bindparam("ids", expanding=True)))
    .order_by(doc_events.c.id))
_ORIGINAL_KEYS = (
    select(doc_event_participants.c.doc_event_id, doc_event_participants.c.key)
    .join(doc_events, doc_events.c.id == doc_event_participants.c.doc_event_id)
    .where(doc_events.c.article_id.in_(bindparam("ids", expanding=True))))
_ARTICLE_TEXTS = select(articles.c.id, articles.c.text).where(
    articles.c.id.in_(bindparam("ids", expanding=True)))
_de = doc_events.c
# the reports of fused events, as ``load_fused`` reads them: each mention is counted
# by the database (the JSON is not sent back and parsed)
_MEMBERS = (
    select(fused_event_reports.c.fused_event_id, fused_event_reports.c.canonical_article_id,
           _de.id, _de.article_id, _de.type, _de.factuality, _de.date, _de.date_precision,
           _de.date_disputed, _de.mode, _de.context, _de.place_name, _de.place_country,
           _de.lat, _de.lon, _de.confidence, _de.mention_start, _de.mention_end,
           func.json_array_length(_de.spans), _de.background, articles.c.published)
    .join(doc_events, doc_events.c.id == fused_event_reports.c.doc_event_id)
    .join(articles, articles.c.id == doc_events.c.article_id)
    .where(fused_event_reports.c.fused_event_id.in_(bindparam("ids", expanding=True)))
    .order_by(doc_events.c.id))
_MEMBER_PARTIES = (
    select(doc_event_participants.c.doc_event_id, doc_event_participants.c.key,
           doc_event_participants.c.role, actors.c.name, actors.c.country, actors.c.kind,
           actors.c.kb_id)
    .join(actors, actors.c.id == doc_event_participants.c.actor_id)
    .where(doc_event_participants.c.doc_event_id.in_(bindparam("ids", expanding=True)))
    .order_by(doc_event_participants.c.doc_event_id, doc_event_participants.c.position))
# values per IN list (SQLite allows 32,766 bound values per statement, PostgreSQL 65,535)
_CHUNK = 1000
# candidate probes per statement (SQLite allows 500 terms in one compound SELECT) and
# participant keys per probe
_PROBES = 50
_KEYS = 8


def _new_ids(conn: Connection, table: Table, n: int) -> list[int]:
    """The ids ``n`` new rows of ``table`` get, in order.

    They are taken before the insert, under the write lock, as the database would give
    them: on SQLite one above the largest, row after row; on PostgreSQL the next values
    of the id's sequence. (SQLite returns ids in order only one statement per row, and
    PostgreSQL's driver spends longer parsing a large multi-row INSERT ... RETURNING
    than the server spends running it.)
    """
    if not n:
        return []
    if conn.dialect.name == "sqlite":
        first = (conn.execute(_max_id(table)).scalar() or 0) + 1
        return list(range(first, first + n))
    return sorted(conn.execute(_next_ids(table), {"n": n}).scalars())


@lru_cache(maxsize=8)
def _max_id(table: Table):
    return select(func.max(table.c.id))


@lru_cache(maxsize=8)
def _next_ids(table: Table):
    return select(func.nextval(func.pg_get_serial_sequence(table.name, "id"))).select_from(
        func.generate_series(1, bindparam("n")))


def _insert(conn: Connection, table: Table, columns: tuple[str, ...],
            rows: Sequence[tuple], encoded: frozenset[str] = frozenset()) -> None:
    """``conn.execute(insert(table), rows)``, for rows given as tuples of ``columns``'
    values, faster.

    SQLAlchemy's per-row parameter handling costs more than the insert itself (about
    27 against 5 microseconds a row of ``actors`` on SQLite), and so do dicts per row.
    So the rows stay tuples, each column's own bind processor (the one SQLAlchemy
    would apply: dates as ISO text on SQLite, JSON encoded, ...) runs here over its
    column, and the values go to the driver as they are: one ``executemany`` on SQLite,
    a ``COPY ... FROM STDIN`` on PostgreSQL. The ``encoded`` columns hold their stored
    form already (JSON text from ``_json_*``, what the JSON processor would give).
    When a column left out has a Python-side default, SQLAlchemy does it all.
    """
    if not rows:
        return
    plan = _insert_plan(table, columns, encoded, conn.dialect)
    if plan is None:
        enc = [i for i, c in enumerate(columns) if c in encoded]
        conn.execute(insert(table), [
            {c: JSONText(v) if i in enc and v is not None else v
             for i, (c, v) in enumerate(zip(columns, row, strict=True))} for row in rows])
        return
    sql, processed = plan
    if processed:
        # a column at a time: the processors run in ``map``, not a loop per row
        values: list = list(zip(*rows, strict=True))
        for i, f in processed:
            values[i] = map(f, values[i])
        rows = list(zip(*values, strict=True))
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(sql, rows)
        return
    driver: Any = conn.connection.driver_connection  # psycopg's, in this transaction
    try:
        with driver.cursor() as cur, cur.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise DBAPIError.instance(sql, None, exc, conn.dialect.loaded_dbapi.Error) from exc


@lru_cache(maxsize=32)
def _insert_plan(table: Table, columns: tuple[str, ...], encoded: frozenset[str], dialect
                 ) -> tuple[str, list[tuple[int, Callable]]] | None:
    """The statement for rows of these columns (an INSERT on SQLite, a COPY on
    PostgreSQL) and the bind processors of the columns that need one (by position);
    None: leave it to SQLAlchemy."""
    if (any(c.default is not None and c.key not in columns for c in table.c)
            or len(columns) < 2 or dialect.name not in ("sqlite", "postgresql")):
        return None
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(table.c[k].name) for k in columns)
    if dialect.name == "sqlite":
        sql = (f"INSERT INTO {quote(table.name)} ({names}) VALUES "
               f"({', '.join('?' for _ in columns)})")
    else:
        sql = f"COPY {quote(table.name)} ({names}) FROM STDIN"
    processors = [None if k in encoded
                  else table.c[k].type.dialect_impl(dialect).bind_processor(dialect)
                  for k in columns]
    return sql, [(i, f) for i, f in enumerate(processors) if f is not None]


def _update_fused(conn: Connection, rows: Sequence[tuple]) -> None:
    """Rewrite fused events: each row is ``_FUSED_VALUES``, ``updated_at``, whether the
    batch found it disputed (it stays disputed if it was) and its id; in one
    executemany, the columns' bind processors run as in ``_insert``."""
    if not rows:
        return
    sql, processed = _update_plan(conn.dialect)
    if processed:
        values: list = list(zip(*rows, strict=True))
        for i, f in processed:
            values[i] = map(f, values[i])
        rows = list(zip(*values, strict=True))
    conn.exec_driver_sql(sql, rows)


@lru_cache(maxsize=2)
def _update_plan(dialect) -> tuple[str, list[tuple[int, Callable]]]:
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    fe = fused_events.c
    assigned = [*_FUSED_VALUES, "updated_at"]
    sets = ", ".join(f"{quote(fe[k].name)} = {mark}" for k in assigned)
    disputed = quote(fe.disputed.name)
    sql = (f"UPDATE {quote(fused_events.name)} SET {sets}, {disputed} = ({disputed} OR {mark})"
           f" WHERE {quote(fe.id.name)} = {mark}")
    types = [fe[k].type for k in assigned] + [Boolean(), fe.id.type]
    processors = [t.dialect_impl(dialect).bind_processor(dialect) for t in types]
    return sql, [(i, f) for i, f in enumerate(processors) if f is not None]


# JSON as ``json.dumps`` writes it (the JSON columns' processor), for the shapes the
# writer stores by the thousand, without its per-call work
def _json_strings(values: Sequence[str]) -> str:
    body = '", "'.join(values)
    # printable ASCII without quotes or backslashes is written as it is (names are)
    if (body.isascii() and body.isprintable() and "\\" not in body
            and body.count('"') == 2 * len(values) - 2):
        return '["' + body + '"]'
    return "[" + ", ".join(map(_json_str, values)) + "]"


def _json_spans(spans: Sequence[Span]) -> str:
    return "[" + ", ".join([f'{{"start": {s.start}, "end": {s.end}}}' for s in spans]) + "]"


def _json_mentions(mentions: Sequence[Mention]) -> str:
    return "[" + ", ".join([
        f'{{"start": {m.start}, "end": {m.end}, "trigger": '
        f'{{"start": {m.trigger.start}, "end": {m.trigger.end}}}}}' for m in mentions]) + "]"


def _in_chunks(conn: Connection, stmt, name: str, values: Sequence) -> Iterator:
    """The rows of ``stmt`` for ``values`` bound to its expanding parameter ``name``,
    a chunk at a time."""
    for i in range(0, len(values), _CHUNK):
        yield from conn.execute(stmt, {name: list(values[i:i + _CHUNK])})


def _known_hashes(conn: Connection, hashes: Sequence[str]) -> set[str]:
    return {h for (h,) in _in_chunks(conn, _KNOWN, "hashes", hashes)}


# -- one batch ------------------------------------------------------------------------

class _Dup(NamedTuple):
    """The original a new article is a near-duplicate of: a stored article's id, or
    (``in_batch``) the position of an earlier article of the same batch."""

    original: int
    in_batch: bool
    score: float


# a document's actors by local id: (``actors.id``, the actor, its participant key, its
# ``identity``)
_ActorRows = dict[str, tuple[int, Actor, str, str]]


@dataclass
class _Coded:
    """An article of the batch on its way into the store."""

    digest: str
    article: Article
    doc: Document
    sig: Signature
    dup: _Dup | None = None
    id: int = 0  # ``articles.id`` once inserted
    canonical: int = 0  # the article, or the original it is a near-duplicate of
    actor_rows: _ActorRows = field(default_factory=dict)
    event_ids: list[int] = field(default_factory=list)  # ``doc_events.id`` per event
    reports: list[Report] = field(default_factory=list)
    # near-duplicates: what each event is (``match_copy``), by position: kind, the
    # original's document event it copies, why
    plan: dict[int, tuple[str, int | None, dict]] = field(default_factory=dict)
    windows: list[_Window] = field(default_factory=list)

    @property
    def published(self) -> date | None:
        return self.doc.published or self.article.published

    @cached_property
    def buckets(self) -> list[tuple[int, int]]:
        """The signature's LSH (band, bucket) pairs; none for a text without words."""
        return [] if self.sig.empty else self.sig.buckets()


def _store_batch(conn: Connection, batch: list[_Coded], rule: FusionRule,
                 report: IngestReport, cache: _FusedCache) -> _Fusion:
    """Write the batch; return its fusion (what it made of the fused events)."""
    _find_near_duplicates(conn, batch)
    _insert_articles(conn, batch, report)
    _insert_actors_and_events(conn, batch)
    fusion = _Fusion(rule, report, cache)
    with_events = [c for c in batch if c.doc.events]
    fusion.plan_copies(conn, with_events, batch)
    fusion.load_candidates(conn, with_events)
    for coded in with_events:
        fusion.document(coded)
    fusion.write(conn)
    return fusion


def _find_near_duplicates(conn: Connection, batch: list[_Coded]) -> None:
    """Set ``dup`` on each article that is a near-duplicate of a stored original or of
    an earlier original of the batch: the candidates are the originals sharing an LSH
    band (one lookup for the whole batch), confirmed by the estimated Jaccard; the best
    wins, the oldest on a tie."""
    buckets = [c.buckets for c in batch]
    stored: dict[tuple[int, int], list[int]] = {}
    wanted = sorted({k for bs in buckets for _, k in bs})
    for band, bucket, aid in _in_chunks(conn, _BANDS, "buckets", wanted):
        stored.setdefault((band, bucket), []).append(aid)
    candidates = [sorted({aid for b in bs for aid in stored.get(b, ())}) for bs in buckets]
    ids = sorted({aid for found in candidates for aid in found})
    signatures = {aid: Signature.from_bytes(blob)
                  for aid, blob in _in_chunks(conn, _MINHASHES, "ids", ids)}
    local: dict[tuple[int, int], list[int]] = {}  # the batch's originals by band
    for i, (coded, bs) in enumerate(zip(batch, buckets, strict=True)):
        if coded.sig.empty:
            continue
        best: _Dup | None = None
        # stored articles first: their ids are lower than any of this batch's
        for original, in_batch, sig in itertools.chain(
                ((aid, False, signatures[aid]) for aid in candidates[i]),
                ((j, True, batch[j].sig) for j in sorted({j for b in bs
                                                          for j in local.get(b, ())}))):
            score = coded.sig.jaccard(sig)
            if score >= THRESHOLD and (best is None or score > best.score):
                best = _Dup(original, in_batch, score)
        coded.dup = best
        if best is None:
            for b in bs:
                local.setdefault(b, []).append(i)


# kept in columns of their own (``text``, ``minhash``), not twice
_NOT_IN_DOCUMENT = {"text", "signature"}


_ARTICLE_COLUMNS = ("id", "doc_id", "source", "url", "published", "title", "text",
                    "content_hash", "near_duplicate_of", "similarity", "minhash",
                    "ingested_at", "document")
_BAND_COLUMNS = ("band", "bucket", "article_id")


def _insert_articles(conn: Connection, batch: list[_Coded], report: IngestReport) -> None:
    ids = _new_ids(conn, articles, len(batch))
    rows = []
    for c, aid in zip(batch, ids, strict=True):
        c.id = aid
        dup = c.dup
        rows.append((
            aid, c.article.id[:300], c.article.source, c.article.url, c.published,
            c.doc.title or c.article.title, c.article.text, c.digest,
            dup.original if dup and not dup.in_batch else None,
            round(dup.score, 4) if dup else None, c.sig.to_bytes(), now(),
            # serialised by pydantic, not dumped to a dict and encoded again
            c.doc.model_dump_json(exclude=_NOT_IN_DOCUMENT)))
    _insert(conn, articles, _ARTICLE_COLUMNS, rows, encoded=frozenset({"document"}))
    later = []  # near-duplicates of an article of this batch: linked once it has an id
    bands: list[tuple] = []
    for c in batch:
        if c.dup is None:
            c.canonical = c.id
            if not c.sig.empty:
                bands.extend((b, k, c.id) for b, k in c.buckets)
            continue
        report.near_duplicates += 1
        if c.dup.in_batch:
            c.canonical = batch[c.dup.original].id
            later.append({"aid": c.id, "original": c.canonical})
        else:
            c.canonical = c.dup.original
    report.stored += len(batch)
    if later:
        conn.execute(_SET_ORIGINAL, later)
    _insert(conn, minhash_bands, _BAND_COLUMNS, bands)


_ACTOR_COLUMNS = ("id", "article_id", "local_id", "name", "kind", "country", "sector", "key",
                  "kb_id", "aliases", "spans")
_EVENT_COLUMNS = ("id", "article_id", "event_local_id", "type", "mode", "context",
                  "factuality", "confidence", "date", "date_precision", "date_disputed",
                  "place_name", "place_country", "lat", "lon", "mention_start",
                  "mention_end", "trigger_start", "trigger_end", "spans", "background")
_PARTICIPANT_COLUMNS = ("doc_event_id", "actor_id", "position", "key", "role", "disputed")


def _insert_actors_and_events(conn: Connection, batch: list[_Coded]) -> None:
    """The batch's actors, document events and their participants; each document's
    events as cross-report fusion sees them (``_Coded.reports``)."""
    owners = [(c, a) for c in batch for a in c.doc.actors]
    rows = []
    for (c, a), aid in zip(owners, _new_ids(conn, actors, len(owners)), strict=True):
        key = a.country or a.name
        rows.append((aid, c.id, a.id, a.name, a.kind, a.country, a.sector, key, a.kb_id,
                     _json_strings(a.aliases), _json_spans(a.mentions)))
        c.actor_rows[a.id] = (aid, a, key, identity(a.country, a.kb_id, a.name))
    _insert(conn, actors, _ACTOR_COLUMNS, rows, encoded=frozenset({"aliases", "spans"}))
    events = [(c, e) for c in batch for e in c.doc.events]
    if not events:
        return
    ids = _new_ids(conn, doc_events, len(events))
    _insert(conn, doc_events, _EVENT_COLUMNS,
            [_event_row(c.id, e, i) for (c, e), i in zip(events, ids, strict=True)],
            encoded=frozenset({"spans"}))
    participant_rows: list[tuple] = []
    # what ``Party.identity`` gives for each of the document's actors
    contexts = {id(c): frozenset(ident or key for _, _, key, ident in c.actor_rows.values())
                for c in batch if c.doc.events}
    for (c, event), doc_event_id in zip(events, ids, strict=True):
        rep = _report(c.id, c.canonical, c.published, event, doc_event_id, c.actor_rows,
                      contexts[id(c)], participant_rows)
        c.event_ids.append(doc_event_id)
        c.reports.append(rep)
    _insert(conn, doc_event_participants, _PARTICIPANT_COLUMNS, participant_rows)


def _event_row(article_id: int, event: Event, doc_event_id: int) -> tuple:
    first = event.mentions[0] if event.mentions else None
    event_date = event.date.value
    place = event.place
    return (
        doc_event_id, article_id, event.id, event.type, event.mode, event.context,
        event.factuality, event.confidence, event_date,
        event.date.precision if event_date else None, event.date.disputed,
        place.name if place else None, place.country if place else None,
        place.lat if place else None, place.lon if place else None,
        first.start if first else None, first.end if first else None,
        first.trigger.start if first else None, first.trigger.end if first else None,
        _json_mentions(event.mentions), event.background)


def _report(article_id: int, canonical: int, published: date | None, event: Event,
            doc_event_id: int, actor_rows: _ActorRows, context: frozenset[str],
            participant_rows: list[tuple]) -> Report:
    """The event as cross-report fusion sees it; its participant rows are added to
    ``participant_rows``."""
    parties: dict[str, Party] = {}
    seen: set[int] = set()
    for position, p in enumerate(event.participants):
        row = actor_rows.get(p.actor)
        if row is None:
            continue
        aid, actor, key, ident = row
        if aid not in seen:
            seen.add(aid)
            participant_rows.append((doc_event_id, aid, position, key, p.role, p.disputed))
        if key not in parties:
            parties[key] = Party(key=key, name=actor.name, country=actor.country,
                                 kind=actor.kind, role=p.role, ident=ident)
    first = event.mentions[0] if event.mentions else None
    event_date = event.date.value
    place = event.place
    return Report(
        article_id=article_id, canonical_id=canonical, published=published,
        type=event.type, factuality=event.factuality, parties=tuple(parties.values()),
        date=event_date, precision=event.date.precision if event_date else None,
        date_disputed=event.date.disputed, mode=event.mode, context=event.context,
        place_name=place.name if place else None,
        place_country=place.country if place else None,
        lat=place.lat if place else None, lon=place.lon if place else None,
        confidence=event.confidence,
        span=(first.start, first.end) if first else (0, 0),
        mentions=max(1, len(event.mentions)),
        doc_event_id=doc_event_id, background=event.background,
        article_actors=context,
    )


# -- cross-report fusion against the stored fused events ------------------------------

class _FusedCache:
    """The fused events the batches before left in memory, as they are stored, the
    most recently used first to stay: a batch reads from the store only the
    candidates not held here with their current number of reports. (Reports are only
    ever added to a fused event, and never change, so that number says whether
    another writer has changed one since.)"""

    def __init__(self, limit: int = 20_000):
        self.limit = limit
        self.events: OrderedDict[int, Fused] = OrderedDict()

    def get(self, fid: int, reports: int | None) -> Fused | None:
        f = self.events.get(fid)
        if f is None or reports is None or len(f.members) != reports:
            return None
        self.events.move_to_end(fid)
        return f

    def keep(self, events: Iterable[Fused]) -> None:
        for f in events:
            assert f.id is not None
            self.events[f.id] = f
            self.events.move_to_end(f.id)
        while len(self.events) > self.limit:
            self.events.popitem(last=False)


# A candidate window of a document: fused events of one of ``types`` whose anchor date
# lies in [lo, hi] and that share a participant key with ``keys``.
_Window = tuple[frozenset[str], date, date, frozenset[str]]


def _windows(rule: FusionRule, reports: Sequence[Report],
             context_keys: frozenset[str]) -> list[_Window]:
    """The windows of a document's reports: one per distinct anchor date (and
    tolerance), usually one or two, so the archive outside them is never read."""
    by_anchor: dict[tuple[date, int], tuple[set[str], set[str]]] = {}
    for rep in reports:
        # a report naming nobody looks for the events of the article's actors
        keys = set(rep.store_keys or context_keys)
        if rep.anchor is None or not keys:
            continue
        types, found = by_anchor.setdefault((rep.anchor, rule.tolerance(rep)),
                                            (set(), set()))
        types.update(rule.types_for(rep.type))
        found.update(keys)
    out = []
    for (anchor, days), (types, keys) in by_anchor.items():
        lo, hi = rule.window(anchor, days)
        out.append((frozenset(types), lo, hi, frozenset(keys)))
    return out


@lru_cache(maxsize=1)
def _candidates_query() -> CompoundSelect:
    """Stored fused events found by any of ``_PROBES`` probes, with their number of
    reports: a UNION of indexed lookups, each of one type in an anchor window (the
    ``(type, anchor_date)`` index), holding one of ``_KEYS`` participant keys (the
    participants' primary key). Every probe has the same shape, so the statement is
    compiled and prepared once."""
    fe, fp = fused_events.c, fused_participants.c
    return union(*(
        select(fe.id, fe.report_count).where(
            fe.type == bindparam(f"t{i}"),
            fe.anchor_date.between(bindparam(f"lo{i}"), bindparam(f"hi{i}")),
            exists().where(and_(fp.fused_event_id == fe.id,
                                fp.key.in_([bindparam(f"k{i}_{j}") for j in range(_KEYS)]))))
        for i in range(_PROBES)))


def _probes(windows: Iterable[_Window]) -> list[tuple[str, date, date, tuple[str, ...]]]:
    """The windows as probes of one type and ``_KEYS`` keys (repeated to fill)."""
    out: set[tuple[str, date, date, tuple[str, ...]]] = set()
    for types, lo, hi, keys in windows:
        ordered = sorted(keys)
        for t in types:
            for j in range(0, len(ordered), _KEYS):
                some = ordered[j:j + _KEYS]
                out.add((t, lo, hi, tuple(some + some[-1:] * (_KEYS - len(some)))))
    return sorted(out)


def load_fused(conn: Connection, ids: Sequence[int]) -> list[Fused]:
    """Fused events with their reports, rebuilt from the stored mentions."""
    if not ids:
        return []
    rows = [r for i in range(0, len(ids), _CHUNK)
            for r in conn.execute(_MEMBERS, {"ids": list(ids[i:i + _CHUNK])}).tuples()]
    rows.sort(key=itemgetter(2))  # by document event
    parties: dict[int, list[Party]] = {}
    for de, key, role, name, country, kind, kb_id in _in_chunks(
            conn, _MEMBER_PARTIES, "ids", [r[2] for r in rows]):
        lst = parties.setdefault(de, [])
        if all(x.key != key for x in lst):
            lst.append(Party(key=key, name=name, country=country, kind=kind, role=role,
                             ident=identity(country, kb_id, name)))
    fused = {i: Fused(id=i) for i in ids}
    for (fid, canonical, de, article_id, kind, factuality, day, precision, date_disputed,
         mode, context, place_name, place_country, lat, lon, confidence, start, end,
         mentions, background, published) in rows:
        fused[fid].members.append(Report(
            article_id=article_id, canonical_id=canonical, published=published, type=kind,
            factuality=factuality, parties=tuple(parties.get(de, ())), date=day,
            precision=precision, date_disputed=date_disputed, mode=mode, context=context,
            place_name=place_name, place_country=place_country, lat=lat, lon=lon,
            confidence=confidence, span=(start or 0, end or 0), doc_event_id=de,
            mentions=max(1, mentions or 0), background=bool(background)))
    return [fused[i] for i in ids if fused[i].members]


@dataclass
class _Target(Fused):
    """A fused event a report of the document goes to, why, and what it disagreed
    with."""

    found: list[Disagreement] = field(default_factory=list)
    rule: str = "new"  # new | fused | copy
    why: dict | None = None


# Ids given to the fused events a batch creates until they are inserted: above any
# stored id and in creation order, as the ids they get will be, so ties between
# candidates go the same way (the older event wins).
_PROVISIONAL = 1 << 62


class _Fusion:
    """Cross-report fusion of one batch, in memory.

    ``events`` holds every fused event the batch may touch, as it stands after the
    documents handled so far: the stored ones in the candidate windows of the batch
    (read once, before the first document) and the ones the batch created. A stored
    event outside every window is not read, and no document of the batch can change
    it, so the candidate windows of each document, evaluated on ``events``, give what
    the indexed query would give had the documents before it been written already.
    """

    def __init__(self, rule: FusionRule, report: IngestReport, cache: _FusedCache):
        self.rule = rule
        self.report = report
        self.cache = cache
        self.events: dict[int, Fused] = {}
        self.stored: dict[int, Fused] = {}  # the stored events as read
        self.by_type_key: dict[tuple[str, str], set[int]] = {}
        # each event's type and anchor date as it stands (``_in_windows`` reads them)
        self.head: dict[int, tuple[str, date | None]] = {}
        self.created: list[int] = []
        self.changed: dict[int, None] = {}  # stored events the batch changed, in order
        self.disputed: dict[int, bool] = {}
        self.target_of: dict[int, int | None] = {}  # document event -> fused event
        self.originals: dict[int, tuple[str, list[Telling]]] = {}  # stored originals
        self.links: list[tuple] = []  # rows of ``_LINK_COLUMNS``
        self.conflicts: list[tuple] = []  # rows of ``_CONFLICT_COLUMNS``
        self.next_id = _PROVISIONAL
        self.real: dict[int, int] = {}  # provisional id -> id, once written

    # -- reading ----------------------------------------------------------------------

    def plan_copies(self, conn: Connection, batch: Sequence[_Coded],
                    everything: Sequence[_Coded]) -> None:
        """Plan the events of each near-duplicate in ``batch`` (``match_copy``) against
        its original's: a stored original's are read, for all of them at once; an
        original of the batch (one of ``everything``) is in memory."""
        wanted = sorted({c.canonical for c in batch if c.dup and not c.dup.in_batch})
        if wanted:
            self._read_originals(conn, wanted)
        position = {c.id: c for c in everything}
        for c in batch:
            if c.dup is None:
                continue
            if c.dup.in_batch:
                original = position[c.canonical]
                text = original.article.text
                # an original's events all go to a fused event (only a copy's may
                # not): 0 stands for the one it will have been given by then
                tellings = [
                    Telling(doc_event_id=de, fused_id=0, type=r.type, keys=r.store_keys,
                            date=r.date, precision=r.precision,
                            sentences=frozenset(sentence_key(text[m.start:m.end])
                                                for m in e.mentions))
                    for e, de, r in zip(original.doc.events, original.event_ids,
                                        original.reports, strict=True)]
            else:
                text, tellings = self.originals[c.canonical]
            c.plan = _copy_plan(c, text, tellings)

    def _read_originals(self, conn: Connection, ids: Sequence[int]) -> None:
        texts = dict(_in_chunks(conn, _ARTICLE_TEXTS, "ids", ids))
        keys: dict[int, set[str]] = {}
        for r in _in_chunks(conn, _ORIGINAL_KEYS, "ids", ids):
            keys.setdefault(r.doc_event_id, set()).add(r.key)
        tellings: dict[int, list[Telling]] = {i: [] for i in ids}
        rows = sorted(_in_chunks(conn, _ORIGINALS, "ids", ids), key=lambda r: r.id)
        for r in rows:
            text = texts[r.article_id]
            self.target_of[r.id] = r.fused_event_id
            tellings[r.article_id].append(Telling(
                doc_event_id=r.id, fused_id=r.fused_event_id, type=r.type,
                keys=frozenset(keys.get(r.id, ())), date=r.date, precision=r.date_precision,
                sentences=frozenset(sentence_key(text[m["start"]:m["end"]])
                                    for m in r.spans or ())))
        self.originals = {i: (texts[i], tellings[i]) for i in ids}

    def load_candidates(self, conn: Connection, batch: Sequence[_Coded]) -> None:
        """Read the stored fused events in any document's windows, and those the
        near-duplicates copy into: one read of each for the whole batch."""
        windows: dict[_Window, None] = {}
        for c in batch:
            fresh = [rep for i, rep in enumerate(c.reports)
                     if c.plan.get(i, ("new",))[0] == "new"]
            context = frozenset().union(*(r.article_actors for r in c.reports))
            c.windows = _windows(self.rule, fresh, frozenset(_store_keys(c.reports, context)))
            windows.update(dict.fromkeys(c.windows))
        found: dict[int, int] = {}  # fused event -> its number of reports
        probes = _probes(windows)
        for i in range(0, len(probes), _PROBES):
            part = probes[i:i + _PROBES]
            part += part[-1:] * (_PROBES - len(part))
            params: dict = {}
            for n, (t, lo, hi, keys) in enumerate(part):
                params.update({f"t{n}": t, f"lo{n}": lo, f"hi{n}": hi})
                params.update({f"k{n}_{j}": k for j, k in enumerate(keys)})
            found.update((fid, n) for fid, n in conn.execute(_candidates_query(), params))
        ids: set[int] = set(found)
        for c in batch:
            for kind, original_event, _ in c.plan.values():
                fid = self.target_of.get(original_event) if original_event else None
                if kind == "copy" and fid:
                    ids.add(fid)
        # what an earlier batch left in memory is as stored while its count of
        # reports is (reports are only ever added, never changed)
        kept = {fid: f for fid in ids
                if (f := self.cache.get(fid, found.get(fid))) is not None}
        for f in itertools.chain(kept.values(),
                                 load_fused(conn, sorted(ids.difference(kept)))):
            assert f.id is not None
            self.stored[f.id] = f
            self.events[f.id] = f
            self._index(f.id)

    # -- deciding ---------------------------------------------------------------------

    def _index(self, fid: int) -> None:
        s = self.events[fid].summary()
        self.head[fid] = (s.type, s.anchor_date)
        for p in s.parties:
            self.by_type_key.setdefault((s.type, p.key), set()).add(fid)

    def _in_windows(self, windows: Sequence[_Window]) -> set[int]:
        """The events the candidate query would return for ``windows`` now."""
        found: set[int] = set()
        head = self.head
        for types, lo, hi, keys in windows:
            for t in types:
                for k in keys:
                    for fid in self.by_type_key.get((t, k), ()):
                        if fid in found:
                            continue
                        # the index is a superset: an event's type may have changed
                        kind, anchor = head[fid]
                        if kind == t and anchor is not None and lo <= anchor <= hi:
                            found.add(fid)
        return found

    def _target(self, fid: int) -> _Target:
        f = self.events[fid]
        return _Target(id=fid, members=f.members, _cached=f._cached)

    def _joined(self, target: _Target) -> None:
        """Keep what a join (or copy) made of a fused event."""
        assert target.id is not None
        self.events[target.id] = target
        if target.id in self.stored:
            self.changed[target.id] = None
        now_disputed = bool(target.found) or target.summary().date_disputed
        self.disputed[target.id] = self.disputed.get(target.id, False) or now_disputed
        self._index(target.id)

    def document(self, c: _Coded) -> None:
        """Match each report of a document against the fused events; keep the changes.

        A report never joins a fused event another report of the same article is in
        (the in-document fusion already decided they differ), so the events this
        document creates join the pool only after it. ``plan`` says, for a
        near-duplicate, which reports copy an original's event (they join it) and
        which repeat a sentence of the original (no fused event: None).
        """
        rule, report, reports = self.rule, self.report, c.reports
        plan = {i: (kind, self.target_of[de] if de is not None else None, why)
                for i, (kind, de, why) in c.plan.items()}
        pool = {fid: self._target(fid) for fid in sorted(self._in_windows(c.windows))}
        copied = sorted({fid for kind, fid, _ in plan.values() if kind == "copy" and fid}
                        - set(pool))
        pool.update({fid: self._target(fid) for fid in copied})
        index = _PoolIndex(pool)  # it adds the events joined to ``pool``
        taken: set[int] = set()
        targets: list[_Target | None] = []
        created: list[_Target] = []
        for i, rep in enumerate(reports):
            kind, fid, why = plan.get(i, ("new", None, {}))
            if kind == "repeat":
                report.repeated += 1
                targets.append(None)
                continue
            if kind == "copy" and fid is not None and fid in pool and fid not in taken:
                copied_from = pool[fid]
                target = _Target(id=fid, members=[*copied_from.members, rep], rule="copy",
                                 why=why)
                taken.add(fid)
                self._joined(target)
                index.add(target)
                report.copied += 1
                targets.append(target)
                continue
            found = best_match_why(rule, rep, index.plausible(rule, rep, taken))
            if found is None:
                target = _Target(id=None, members=[rep], rule="new",
                                 why={"rule": "new", "reason": _why_new(rep)})
                created.append(target)
                report.fused_new += 1
            else:
                match, reason = found
                assert isinstance(match, _Target) and match.id is not None
                target = _Target(id=match.id, members=[*match.members, rep],
                                 found=disagreements(rule, rep, match), rule="fused",
                                 why=reason)
                taken.add(match.id)
                self._joined(target)
                index.add(target)
                report.fused_joined += 1
            targets.append(target)
        for target in created:
            target.id = self.next_id
            self.next_id += 1
            self.events[target.id] = target
            self.created.append(target.id)
            self.disputed[target.id] = target.summary().date_disputed
            self._index(target.id)
        report.events += len(reports)
        self._record(c, targets)

    def _record(self, c: _Coded, targets: Sequence[_Target | None]) -> None:
        """The document's links to its fused events and its conflicts."""
        fused_of: dict[str, int] = {}
        for event, rep, f in zip(c.doc.events, c.reports, targets, strict=True):
            assert rep.doc_event_id is not None
            self.target_of[rep.doc_event_id] = f.id if f is not None else None
            if f is None:
                continue
            assert f.id is not None
            fused_of[event.id] = f.id
            self.links.append((f.id, rep.doc_event_id, c.id, c.canonical, f.rule, f.why))
        for rep, f in zip(c.reports, targets, strict=True):
            if f is None:
                continue
            self.conflicts.extend(
                (f.id, rep.doc_event_id, "reports", d.kind, d.detail, list(d.evidence), now())
                for d in f.found)
        by_event = dict(zip((e.id for e in c.doc.events), c.event_ids, strict=True))
        new_events = {e.id for e, f in zip(c.doc.events, targets, strict=True)
                      if f is not None and f.rule != "copy"}
        for conflict in c.doc.conflicts:
            # a copy's event repeats its original's, conflicts included: recorded once
            if conflict.event not in by_event or conflict.event not in new_events:
                continue
            fid = fused_of[conflict.event]
            self.disputed[fid] = True
            self.conflicts.append((
                fid, by_event[conflict.event], "document", conflict.kind, conflict.detail,
                [{"article_id": c.id, "start": s.start, "end": s.end}
                 for s in conflict.evidence], now()))

    # -- writing ----------------------------------------------------------------------

    def write(self, conn: Connection) -> None:
        """Insert the created fused events, rewrite the changed ones, then the links,
        participants, conflicts and the pair counts' changes."""
        rule, delta = self.rule, self.report.pairs
        real = self.real
        party_rows: list[tuple] = []
        if self.created:
            summaries = [self.events[p].summary() for p in self.created]
            ids = _new_ids(conn, fused_events, len(summaries))
            stamp = now()
            _insert(conn, fused_events, _FUSED_COLUMNS, [
                (fid, *_fused_values(s), stamp, stamp, self.disputed[p])
                for p, s, fid in zip(self.created, summaries, ids, strict=True)])
            for p, s, fid in zip(self.created, summaries, ids, strict=True):
                real[p] = fid
                _party_rows(party_rows, fid, s, set())
                _aggregate(delta, s, rule)
        updates = []
        stamp = now()
        for fid in self.changed:
            old, s = self.stored[fid].summary(), self.events[fid].summary()
            updates.append((*_fused_values(s), stamp, self.disputed[fid], fid))
            _party_rows(party_rows, fid, s, {p.key for p in old.parties})
            _aggregate(delta, old, rule, -1)
            _aggregate(delta, s, rule)
        _update_fused(conn, updates)
        if party_rows:
            keys = sorted({r[1] for r in party_rows})
            known = {k for (k,) in _in_chunks(conn, _STORED_KEYS, "keys", keys)}
            self.report.participant_keys += len(keys) - len(known)
            _insert(conn, fused_participants, _FUSED_PARTY_COLUMNS, party_rows)
        # the fused events created by the batch get their ids: the links and conflicts
        # pointing at them too
        _insert(conn, fused_event_reports, _LINK_COLUMNS,
                [(real.get(row[0], row[0]), *row[1:]) for row in self.links])
        _insert(conn, conflicts, _CONFLICT_COLUMNS,
                [(real.get(row[0], row[0]), *row[1:]) for row in self.conflicts])
        self.report.conflicts += len(self.conflicts)


    def settled(self) -> list[Fused]:
        """Once written: each fused event the batch read or made, as ``load_fused``
        would read it back (its real id; reports as rebuilt from the store, which does
        not keep the article's actors with each)."""
        out = []
        for fid, f in self.events.items():
            if fid in self.stored and fid not in self.changed:
                out.append(self.stored[fid])  # read, and left as it was
                continue
            members = [m if not m.article_actors else replace(m, article_actors=frozenset())
                       for m in f.members]
            out.append(Fused(id=self.real.get(fid, fid), members=members, _cached=f._cached))
        return out


def _copy_plan(c: _Coded, original_text: str, tellings: Sequence[Telling]
               ) -> dict[int, tuple[str, int | None, dict]]:
    """For a near-duplicate: what each of its events is (``match_copy``), by position:
    a copy of an original event (joins its fused event), a repeat (a sentence of the
    original the original coded no such event in: no fused event), or new."""
    flat = sentence_key(original_text)
    taken: set[int] = set()
    plan: dict[int, tuple[str, int | None, dict]] = {}
    for i, (event, rep) in enumerate(zip(c.doc.events, c.reports, strict=True)):
        sentences = frozenset(sentence_key(c.article.text[m.start:m.end])
                              for m in event.mentions)
        kind, telling, why = match_copy(rep, sentences, tellings, taken, flat)
        if telling is not None:
            taken.add(telling.doc_event_id)
        plan[i] = (kind, telling.doc_event_id if telling else None,
                   {**why, "original_article": c.canonical} if why else why)
    return plan


class _PoolIndex:
    """The candidate pool of a document by participant identity and type, so each
    report looks only at the fused events it could join (a compatible type and a
    shared participant or article actor) instead of the whole pool."""

    def __init__(self, pool: dict[int, _Target]):
        self.pool = pool
        self.by_key: dict[str, set[int]] = {}
        self.by_type: dict[str, set[int]] = {}
        for f in pool.values():
            self.add(f)

    def add(self, f: _Target) -> None:
        assert f.id is not None
        self.pool[f.id] = f
        for p in f.summary().parties:
            self.by_key.setdefault(p.identity, set()).add(f.id)
        for m in f.members:
            self.by_type.setdefault(m.type, set()).add(f.id)

    def plausible(self, rule: FusionRule, rep: Report, taken: set[int]) -> list[_Target]:
        typed: set[int] = set()
        for t in rule.types_for(rep.type):
            typed |= self.by_type.get(t, set())
        keyed: set[int] = set()
        for k in rep.keys or rep.article_actors:
            keyed |= self.by_key.get(k, set())
        return [self.pool[i] for i in sorted((typed & keyed) - taken)]


def _why_new(rep: Report) -> str:
    if rep.anchor is None:
        return "no date and no publication date to match on"
    if not rep.keys:
        return "no participants, and no stored event of the article's actors matched"
    return "no stored event matched (type, participants, date, place)"


def _store_keys(reports: Sequence[Report], context: frozenset[str]) -> set[str]:
    """The stored keys of the article's actors (what ``context`` identities look up)."""
    keys = {p.key for r in reports for p in r.parties if p.identity in context}
    keys.update(k for k in context if len(k) == 3 and k.isupper())  # country codes
    return keys


_FUSED_VALUES = ("type", "mode", "context", "factuality", "date", "date_precision",
                 "date_disputed", "ref_date", "anchor_date", "place_name", "place_country",
                 "lat", "lon", "source_count", "article_count", "background",
                 "report_count", "mention_count", "confidence")
_FUSED_COLUMNS = ("id", *_FUSED_VALUES, "created_at", "updated_at", "disputed")
_FUSED_PARTY_COLUMNS = ("fused_event_id", "key", "position", "name", "country", "kind",
                        "role")
_LINK_COLUMNS = ("fused_event_id", "doc_event_id", "article_id", "canonical_article_id",
                 "rule", "why")
_CONFLICT_COLUMNS = ("fused_event_id", "doc_event_id", "scope", "kind", "detail",
                     "evidence", "created_at")


def _fused_values(s: Summary) -> tuple:
    """The values of ``_FUSED_VALUES``: what a fused event's reports make of it."""
    return (s.type, s.mode, s.context, s.factuality, s.date, s.precision, s.date_disputed,
            s.ref_date, s.anchor_date, s.place_name, s.place_country, s.lat, s.lon,
            s.source_count, s.article_count, s.background, s.report_count,
            s.mention_count, s.confidence)


def _party_rows(out: list[tuple], fid: int, s: Summary, known: set[str]) -> None:
    """Add the participant rows of a fused event to ``out``, but those ``known``
    already. Participants only ever grow, in order of first appearance, so the stored
    ones keep their positions."""
    out.extend((fid, p.key, i, p.name, p.country, p.kind, p.role)
               for i, p in enumerate(s.parties) if p.key not in known)


def _aggregate(delta: pairs.Deltas, s: Summary, rule: FusionRule, sign: int = 1) -> None:
    table = rule.table
    delta.add(s.parties, s.factuality, s.background, s.ref_date, table.quad(s.type),
              table.score(s.type, s.mode), sign)
