"""Reading the store: the one query layer the CLI (and any API) renders.

Every function takes an open ``Connection`` (``Store.read()``) and returns plain
records; nothing here prints or formats.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any, Literal

from sqlalchemy import (
    Boolean,
    Connection,
    Select,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    union,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement, ReturnTypeFromArgs

from parley.fuse.dyads import Period, PeriodRow, bucket, dyad_pairs, series
from parley.fuse.reports import Party
from parley.knowledge import plover_table
from parley.knowledge.plover import PloverTable
from parley.model import Document
from parley.store.schema import (
    COUNTED,
    METADATA,
    PARTICIPANT_KEYS,
    actors,
    articles,
    conflicts,
    doc_events,
    dyad_counts,
    dyad_days,
    fused_event_reports,
    fused_events,
    fused_participants,
    store_counts,
)

_PAGE = 500


# a conflict within one document, or between the reports of several
ConflictScope = Literal["document", "reports"]


@dataclass(frozen=True)
class EventFilter:
    """``--actor`` values must all take part (ISO3 code, participant key or name,
    case-insensitive); ``--type`` values are alternatives; dates bound ``ref_date``.

    The web views add: ``places`` (alternatives: a place name or country code,
    case-insensitive), ``disputed`` (True: only events whose reports disagree, False:
    only the others) and ``text`` (a case-insensitive substring of a report's sentence,
    a participant's name or the place name)."""

    actors: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    factuality: tuple[str, ...] = ()
    min_sources: int = 1
    places: tuple[str, ...] = ()
    disputed: bool | None = None
    text: str | None = None
    # None: every event; False: no background events (what happened well before the
    # report: the default of dyad series and exports); True: only those
    background: bool | None = None


# A stored participant has exactly the fields fusion works with: one class serves both.
PartyRecord = Party


@dataclass(frozen=True)
class EventRecord:
    id: int
    type: str
    mode: str | None
    context: str | None
    quad_class: int
    score: float
    factuality: str
    date: date | None
    date_precision: str | None
    date_disputed: bool
    ref_date: dt.date | None  # ``date``, else the earliest publication date
    place_name: str | None
    place_country: str | None
    lat: float | None
    lon: float | None
    disputed: bool
    source_count: int
    report_count: int
    mention_count: int
    confidence: float
    participants: tuple[PartyRecord, ...] = field(default_factory=tuple)
    article_count: int = 0  # distinct articles, syndicated copies included
    background: bool = False  # every report places it well before publication

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for p in out["participants"]:
            p.pop("ident", None)  # fusion's matching identity, not a field of the row
        for k in ("date", "ref_date"):
            out[k] = out[k].isoformat() if out[k] else None
        return out


@dataclass(frozen=True)
class DyadRecord:
    event_id: int
    date: date | None
    actor1_code: str | None
    actor1_name: str
    actor2_code: str | None
    actor2_name: str | None
    type: str
    mode: str | None
    quad_class: int
    score: float
    source_count: int
    factuality: str
    place_name: str | None
    place_country: str | None

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["date"] = self.date.isoformat() if self.date else None
        return out


@dataclass(frozen=True)
class ActorSpec:
    """What an ``--actor`` value resolved to through the knowledge base: a country
    (its ISO3 code, whether written "Pakistan", "PAK" or "Pakistani"), another entity
    (its names), or nothing (the value is matched as a key or name, as written)."""

    spec: str
    code: str | None = None  # ISO3 when the value names a country
    entity: str | None = None  # the knowledge-base id it resolved to
    label: str | None = None  # the entity's name
    names: tuple[str, ...] = ()  # casefolded names of a non-country entity

    def describe(self) -> str:
        if self.entity is None:
            return f"{self.spec!r}: not in the knowledge base, matched as a key or name"
        what = f"{self.code}" if self.code else "; ".join(self.names[:3])
        return f"{self.spec!r} = {self.label} ({self.entity}) -> {what}"


@lru_cache(maxsize=4096)
def resolve_actor(spec: str) -> ActorSpec:
    """Resolve an actor filter value through the knowledge base (names, ISO3 codes,
    demonyms and adjectives: Pakistan = PAK = Pakistani)."""
    s = spec.strip()
    try:
        from parley.knowledge import default_knowledge

        kb = default_knowledge().kb
    except Exception:  # noqa: BLE001 - without a knowledge base, filters match as written
        return ActorSpec(spec=s)
    if len(s) == 3 and s.isalpha():
        entity = kb.entities.get(f"country:{s.upper()}")
        if entity is not None:
            return ActorSpec(spec=s, code=s.upper(), entity=entity.id, label=entity.name)
    refs = kb.refs(s)
    countries = [r for r in refs if getattr(kb.entities.get(r.entity), "kind", "") == "country"]
    if not (countries or refs):
        return ActorSpec(spec=s)
    chosen = (countries or refs)[0]
    entity = kb.entities[chosen.entity]
    if entity.kind == "country" and entity.country:
        return ActorSpec(spec=s, code=entity.country, entity=entity.id, label=entity.name)
    names = tuple(dict.fromkeys(n.casefold() for n in (entity.name, *entity.aliases, s)))
    return ActorSpec(spec=s, entity=entity.id, label=entity.name, names=names)


def resolved_actors(conn: Connection, specs: Sequence[str]) -> list[str]:
    """What each actor filter value resolved to, for a view to show."""
    return [resolve_actor(s).describe() for s in specs]


def matches_actor(spec: str, party: PartyRecord) -> bool:
    """Does ``--actor spec`` (ISO3 code, name or adjective) name this participant?"""
    r = resolve_actor(spec)
    s = r.spec.casefold()
    if party.key.casefold() == s or party.name.casefold() == s:
        return True
    if r.code is not None:
        return party.key == r.code
    if r.names:
        return party.name.casefold() in r.names or party.key.casefold() in r.names
    return party.key == r.spec.upper()


def _actor_clause(spec: str, walk: bool = False):
    return _id(walk).in_(select(fused_participants.c.fused_event_id)
                         .where(_actor_condition(spec)))


def _actor_condition(spec: str):
    """The participants ``--actor spec`` names (a condition on ``fused_participants``)."""
    r = resolve_actor(spec)
    s = r.spec
    fp = fused_participants.c
    if r.code is not None:
        # a country's participants are keyed by its code (the key is the country when
        # there is one): one probe of the key index
        cond = fp.key == r.code
    elif r.names:
        cond = or_(func.lower(fp.name).in_(r.names), func.lower(fp.key).in_(r.names),
                   func.lower(fp.key) == s.lower(), func.lower(fp.name) == s.lower())
    else:
        cond = or_(func.lower(fp.key) == s.lower(), func.lower(fp.name) == s.lower(),
                   fp.key == s.upper())
    return cond


class _Unindexed(ReturnTypeFromArgs):
    """``expr``, which SQLite must not look up through an index: SQLite's unary ``+``
    (its documented way to disqualify a term from index use), so that the planner
    walks the date index of a date-sorted page instead (``events_page``). Other
    databases get ``expr`` as it is."""

    inherit_cache = True
    name = "unindexed"


@compiles(_Unindexed)
def _unindexed_default(element, compiler, **kw):
    (expr,) = list(element.clauses)
    return compiler.process(expr, **kw)


@compiles(_Unindexed, "sqlite")
def _unindexed_sqlite(element, compiler, **kw):
    (expr,) = list(element.clauses)
    return f"+{compiler.process(expr, **kw)}"


class _Unwalked(ReturnTypeFromArgs):
    """A sort key no index gives in order, on PostgreSQL (``expr + 0``), so its planner
    sorts the matches instead of walking the date index for a page of a few of them
    (``events_page``), which it may misjudge (a name filter's matches). Other
    databases get ``expr`` as it is."""

    inherit_cache = True
    name = "unwalked"


@compiles(_Unwalked)
def _unwalked_default(element, compiler, **kw):
    (expr,) = list(element.clauses)
    return compiler.process(expr, **kw)


@compiles(_Unwalked, "postgresql")
def _unwalked_postgresql(element, compiler, **kw):
    (expr,) = list(element.clauses)
    return f"({compiler.process(expr, **kw)} + 0)"


def _id(walk: bool):
    return _Unindexed(fused_events.c.id) if walk else fused_events.c.id


class _ContainsCI(FunctionElement):
    """``expr`` contains ``pattern`` (a ``_like`` pattern), ignoring case: ILIKE on
    PostgreSQL; plain LIKE on SQLite, whose LIKE already ignores ASCII case (as its
    lower() does), so no lower() has to run over every article text."""

    inherit_cache = True
    type = Boolean()
    name = "contains_ci"


@compiles(_ContainsCI)
def _contains_ci_default(element, compiler, **kw):
    expr, pattern = list(element.clauses)
    return (f"{compiler.process(expr, **kw)} ILIKE {compiler.process(pattern, **kw)} "
            "ESCAPE '\\'")


@compiles(_ContainsCI, "sqlite")
def _contains_ci_sqlite(element, compiler, **kw):
    expr, pattern = list(element.clauses)
    return (f"{compiler.process(expr, **kw)} LIKE {compiler.process(pattern, **kw)} "
            "ESCAPE '\\'")


def _contains(expr, value: str):
    return _ContainsCI(expr, literal(_like(value)))


def _like(value: str) -> str:
    """A LIKE pattern matching ``value`` anywhere, its wildcards escaped (with ``\\``)."""
    return "%" + value.lower().replace("\\", "\\\\").replace("%", "\\%").replace(
        "_", "\\_") + "%"


def _text_clause(value: str, walk: bool = False):
    """Events whose first-mention sentence (in any report), participant name or place
    contains ``value`` (case-insensitive)."""
    fe, de, fem, fp = (fused_events.c, doc_events.c, fused_event_reports.c,
                       fused_participants.c)
    sentence = func.substr(articles.c.text, de.mention_start + 1,
                           de.mention_end - de.mention_start)
    # the articles that hold the words at all first: one pass over the texts, then
    # the sentences of those articles only
    holding = select(articles.c.id).where(_contains(articles.c.text, value))
    in_reports = (select(fem.fused_event_id)
                  .join(doc_events, de.id == fem.doc_event_id)
                  .join(articles, articles.c.id == fem.article_id)
                  .where(fem.article_id.in_(holding), _contains(sentence, value)))
    in_names = select(fp.fused_event_id).where(_contains(fp.name, value))
    at_place = select(fe.id).where(_contains(fe.place_name, value))
    # one list of ids (a UNION), so the database looks events up by id instead of
    # testing three conditions on every row
    return _id(walk).in_(union(at_place, in_names, in_reports))


def _event_query(flt: EventFilter, *, walk: bool = False) -> Select:
    """The filtered events, by date. ``walk``: no filter may use an index on SQLite,
    so a date-sorted page walks the date index (``events_page``)."""
    fe = fused_events.c
    stmt = select(fused_events)
    if flt.places:
        stmt = stmt.where(or_(*(or_(func.lower(fe.place_name) == p.strip().lower(),
                                    fe.place_country == p.strip().upper())
                                for p in flt.places)))
    if flt.disputed is not None:
        stmt = stmt.where(fe.disputed.is_(flt.disputed))
    if flt.text:
        stmt = stmt.where(_text_clause(flt.text, walk))
    for spec in flt.actors:
        stmt = stmt.where(_actor_clause(spec, walk))
    if flt.types:
        event_type = _Unindexed(fe.type) if walk else fe.type
        stmt = stmt.where(event_type.in_([t.upper() for t in flt.types]))
    if flt.since:
        stmt = stmt.where(fe.ref_date >= flt.since)
    if flt.until:
        stmt = stmt.where(fe.ref_date <= flt.until)
    if flt.factuality:
        stmt = stmt.where(fe.factuality.in_(flt.factuality))
    if flt.min_sources > 1:
        sources = _Unindexed(fe.source_count) if walk else fe.source_count
        stmt = stmt.where(sources >= flt.min_sources)
    if flt.background is not None:
        stmt = stmt.where(fe.background.is_(flt.background))
    # undated events (no date, no publication date) sort first
    return stmt.order_by(fe.ref_date.is_not(None), fe.ref_date, fe.id)


def _parties(conn: Connection, ids: Sequence[int]) -> dict[int, list[PartyRecord]]:
    out: dict[int, list[PartyRecord]] = {i: [] for i in ids}
    if not ids:
        return out
    fp = fused_participants.c
    for r in conn.execute(select(fused_participants).where(fp.fused_event_id.in_(ids))
                          .order_by(fp.fused_event_id, fp.position)).mappings():
        out[r["fused_event_id"]].append(PartyRecord(
            key=r["key"], name=r["name"], country=r["country"], kind=r["kind"],
            role=r["role"]))
    return out


def _record(row, parties: list[PartyRecord], table: PloverTable | None = None) -> EventRecord:
    # ``plover_table()`` reads the settings each time: callers with many rows pass it once
    table = table or plover_table()
    return EventRecord(
        id=row["id"], type=row["type"], mode=row["mode"], context=row["context"],
        quad_class=table.quad(row["type"]), score=table.score(row["type"], row["mode"]),
        factuality=row["factuality"], date=row["date"], date_precision=row["date_precision"],
        date_disputed=bool(row["date_disputed"]), ref_date=row["ref_date"],
        place_name=row["place_name"], place_country=row["place_country"], lat=row["lat"],
        lon=row["lon"], disputed=bool(row["disputed"]), source_count=row["source_count"],
        report_count=row["report_count"], mention_count=row["mention_count"],
        confidence=row["confidence"],
        participants=tuple(parties),
        article_count=row["article_count"], background=bool(row["background"]),
    )


def events(conn: Connection, flt: EventFilter | None = None) -> Iterator[EventRecord]:
    """Fused events matching ``flt``, by date; streamed page by page."""
    result = conn.execution_options(stream_results=True).execute(
        _event_query(flt or EventFilter()))
    for page in result.mappings().partitions(_PAGE):
        parties = _parties(conn, [r["id"] for r in page])
        table = plover_table()
        for row in page:
            yield _record(row, parties[row["id"]], table)


def event(conn: Connection, event_id: int) -> EventRecord | None:
    row = conn.execute(select(fused_events).where(fused_events.c.id == event_id)
                       ).mappings().first()
    if row is None:
        return None
    return _record(row, _parties(conn, [event_id])[event_id])


def project(record: EventRecord) -> list[DyadRecord]:
    """The event as directed dyads (see ``parley.fuse.dyads.dyad_pairs``)."""
    return [DyadRecord(
        event_id=record.id, date=record.ref_date,
        actor1_code=a.country, actor1_name=a.name,
        actor2_code=b.country if b else None, actor2_name=b.name if b else None,
        type=record.type, mode=record.mode, quad_class=record.quad_class,
        score=record.score, source_count=record.source_count,
        factuality=record.factuality, place_name=record.place_name,
        place_country=record.place_country,
    ) for a, b in dyad_pairs(record.participants)]


def dyads(conn: Connection, flt: EventFilter | None = None) -> Iterator[DyadRecord]:
    for record in events(conn, flt):
        yield from project(record)


def dyad_events(conn: Connection, a: str, b: str, *,
                flt: EventFilter | None = None) -> Iterator[EventRecord]:
    """Events in which ``a`` and ``b`` form a dyad (either direction)."""
    base = flt or EventFilter()
    query = replace(base, actors=(*base.actors, a, b))
    for record in events(conn, query):
        for x, y in dyad_pairs(record.participants):
            if y is not None and ((matches_actor(a, x) and matches_actor(b, y))
                                  or (matches_actor(b, x) and matches_actor(a, y))):
                yield record
                break


def dyad_series(conn: Connection, a: str, b: str, *, by: Period = "month",
                flt: EventFilter | None = None,
                include_background: bool = False) -> list[PeriodRow]:
    """Cooperation-conflict series of a pair: per period, events per quad class and the
    mean score. An event without a date is placed by its earliest publication date.
    Background events (well before their reports) are left out unless asked for."""
    flt = _series_filter(flt, include_background)
    keys = _pair_keys(a, b)
    if keys is not None and flt == EventFilter(since=flt.since, until=flt.until,
                                               factuality=flt.factuality,
                                               background=flt.background):
        return _series_from_days(conn, keys, by, flt)
    return series(_pair_points(conn, a, b, flt), by)


def _pair_points(conn: Connection, a: str, b: str,
                 flt: EventFilter) -> list[tuple[date, int, float]]:
    """(date, quad class, score) of each dated event of ``dyad_events(conn, a, b,
    flt=flt)``, read without building the events' records: their date, type and mode,
    and their participants."""
    fe = fused_events.c
    rows = conn.execute(_event_query(replace(flt, actors=(*flt.actors, a, b)))
                        .order_by(None).with_only_columns(fe.id, fe.ref_date, fe.type, fe.mode)
                        .where(fe.ref_date.is_not(None))).all()
    parties: dict[int, list[PartyRecord]] = {}
    for i in range(0, len(rows), _PAGE):
        parties.update(_parties(conn, [r.id for r in rows[i:i + _PAGE]]))
    table = plover_table()
    points = []
    for r in rows:
        if any(y is not None and ((matches_actor(a, x) and matches_actor(b, y))
                                  or (matches_actor(b, x) and matches_actor(a, y)))
               for x, y in dyad_pairs(parties[r.id])):
            points.append((r.ref_date, table.quad(r.type), table.score(r.type, r.mode)))
    return points


def _pair_keys(a: str, b: str) -> tuple[str, str] | None:
    """The stored keys of a pair when both sides resolve to countries (a country's
    participants all carry its code as their key), smaller first; else None."""
    ra, rb = resolve_actor(a), resolve_actor(b)
    if ra.code is None or rb.code is None or ra.code == rb.code:
        return None
    x, y = sorted((ra.code, rb.code))
    return x, y


def _series_from_days(conn: Connection, keys: tuple[str, str], by: Period,
                      flt: EventFilter) -> list[PeriodRow]:
    """``dyad_series`` from the pre-aggregated ``dyad_days`` of one pair."""
    dd = dyad_days.c
    stmt = (select(dd.day, dd.quad, func.sum(dd.events), func.sum(dd.score_sum))
            .where(dd.a == keys[0], dd.b == keys[1]).group_by(dd.day, dd.quad))
    if flt.since:
        stmt = stmt.where(dd.day >= flt.since)
    if flt.until:
        stmt = stmt.where(dd.day <= flt.until)
    if flt.factuality:
        stmt = stmt.where(dd.factuality.in_(flt.factuality))
    if flt.background is not None:
        stmt = stmt.where(dd.background.is_(flt.background))
    grouped: dict[date, tuple[dict[int, int], list[float]]] = {}
    for day, quad, n, total in conn.execute(stmt):
        counts, score = grouped.setdefault(bucket(day, by), ({1: 0, 2: 0, 3: 0, 4: 0}, [0.0]))
        counts[int(quad)] = counts.get(int(quad), 0) + int(n)
        score[0] += float(total)
    out = []
    for start in sorted(grouped):
        counts, score = grouped[start]
        n = sum(counts.values())
        if n:
            out.append(PeriodRow(start=start, counts=counts, total=n,
                                 mean_score=round(score[0] / n, 3)))
    return out


def _series_filter(flt: EventFilter | None, include_background: bool) -> EventFilter:
    base = flt or EventFilter()
    if include_background or base.background is not None:
        return base
    return replace(base, background=False)


def sources(conn: Connection, ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """The articles behind each fused event, with the evidence offsets of each report."""
    out: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    if not ids:
        return out
    fem = fused_event_reports.c
    for i in range(0, len(ids), _PAGE):
        rows = conn.execute(
            select(fem.fused_event_id, fem.article_id, fem.canonical_article_id,
                   articles.c.doc_id, articles.c.url, articles.c.title,
                   articles.c.published, doc_events.c.event_local_id,
                   doc_events.c.spans)
            .join(doc_events, doc_events.c.id == fem.doc_event_id)
            .join(articles, articles.c.id == fem.article_id)
            .where(fem.fused_event_id.in_(ids[i:i + _PAGE]))
            .order_by(fem.fused_event_id, fem.doc_event_id)).mappings()
        for r in rows:
            out[r["fused_event_id"]].append({
                "article_id": r["article_id"], "doc_id": r["doc_id"], "url": r["url"],
                "title": r["title"],
                "published": r["published"].isoformat() if r["published"] else None,
                "near_duplicate_of": (r["canonical_article_id"]
                                      if r["canonical_article_id"] != r["article_id"]
                                      else None),
                "event": r["event_local_id"], "mentions": r["spans"]})
    return out


def event_conflicts(conn: Connection, ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    if not ids:
        return out
    c = conflicts.c
    for i in range(0, len(ids), _PAGE):
        for r in conn.execute(select(conflicts).where(c.fused_event_id.in_(ids[i:i + _PAGE]))
                              .order_by(c.id)).mappings():
            out[r["fused_event_id"]].append({"kind": r["kind"], "scope": r["scope"],
                                             "detail": r["detail"],
                                             "evidence": r["evidence"]})
    return out


def document(conn: Connection, article_id: int) -> Document | None:
    """The coded document of a stored article, as ``parley code`` printed it."""
    row = conn.execute(select(articles.c.text, articles.c.document)
                       .where(articles.c.id == article_id)).first()
    if row is None:
        return None
    return Document.model_validate({**row.document, "text": row.text})


def counts(conn: Connection) -> dict[str, int]:
    """Rows per table: what ``parley`` holds at a glance (and what tests compare)."""
    return {name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in METADATA.tables.items()}


def overview(conn: Connection) -> dict[str, int]:
    """Rows of the tables an overview shows (articles, doc_events, fused_events,
    conflicts): kept by the writer, so reading them costs four key lookups whatever
    the archive's size. Equal to ``counts`` for those tables."""
    return {r.name: int(r.rows) for r in conn.execute(
        select(store_counts).where(store_counts.c.name.in_(COUNTED)))}


def article_summary(conn: Connection) -> list[dict[str, Any]]:
    """Per article: id, content hash, duplicate link and its stored document events
    (``stored_events``) next to the events of its coded document."""
    n = (select(func.count()).select_from(doc_events)
         .where(doc_events.c.article_id == articles.c.id).scalar_subquery())
    rows = conn.execute(select(articles.c.id, articles.c.doc_id, articles.c.content_hash,
                               articles.c.near_duplicate_of, articles.c.document,
                               n.label("stored_events")).order_by(articles.c.id)).mappings()
    return [{"id": r["id"], "doc_id": r["doc_id"], "content_hash": r["content_hash"],
             "near_duplicate_of": r["near_duplicate_of"], "stored_events": r["stored_events"],
             "document_events": len(r["document"].get("events", []))} for r in rows]


def top_dyads(conn: Connection, limit: int = 10,
              flt: EventFilter | None = None) -> list[tuple[str, str, int]]:
    """The most frequent undirected pairs, for choosing what to plot: each count is
    what ``dyad_events(conn, a, b, flt=flt)`` yields for the pair (the pairs of
    ``parley.fuse.dyads.dyad_pairs``, counted in SQL)."""
    flt = flt or EventFilter()
    if flt == EventFilter(factuality=flt.factuality, background=flt.background):
        return _top_pair_counts(conn, limit, flt)
    ids = _event_query(flt).order_by(None).with_only_columns(fused_events.c.id)
    p1, p2 = fused_participants.alias("p1"), fused_participants.alias("p2")
    source, target = ("actor", "participant"), ("recipient", "participant")
    n = func.count(func.distinct(p1.c.fused_event_id))
    rows = conn.execute(
        select(p1.c.key, p2.c.key, n)
        .join(p2, and_(p2.c.fused_event_id == p1.c.fused_event_id, p1.c.key < p2.c.key))
        .where(p1.c.fused_event_id.in_(ids),
               or_(and_(p1.c.role.in_(source), p2.c.role.in_(target)),
                   and_(p2.c.role.in_(source), p1.c.role.in_(target))))
        .group_by(p1.c.key, p2.c.key).order_by(n.desc(), p1.c.key, p2.c.key).limit(limit))
    return [(a, b, c) for a, b, c in rows]


def _top_pair_counts(conn: Connection, limit: int,
                     flt: EventFilter) -> list[tuple[str, str, int]]:
    """``top_dyads`` from the pre-aggregated ``dyad_counts`` (an event has one
    factuality and one background flag, so summing its rows counts each event once)."""
    dc = dyad_counts.c
    n = func.sum(dc.events)
    stmt = select(dc.a, dc.b, n).group_by(dc.a, dc.b)
    if flt.factuality:
        stmt = stmt.where(dc.factuality.in_(flt.factuality))
    if flt.background is not None:
        stmt = stmt.where(dc.background.is_(flt.background))
    rows = conn.execute(stmt.order_by(n.desc(), dc.a, dc.b).limit(limit))
    return [(a, b, int(c)) for a, b, c in rows]


# -- pages for the API and the web views ----------------------------------------------
# Each returns one page of rows and the total, so a view can say "21-40 of 95".

EVENT_SORTS = ("date", "type", "sources", "score", "confidence", "id")


@dataclass(frozen=True)
class ArticleRow:
    id: int
    doc_id: str
    title: str | None
    published: date | None
    url: str | None
    events: int  # events of the coded document (rows of ``doc_events``)
    near_duplicate_of: int | None


@dataclass(frozen=True)
class ParticipantRow:
    key: str
    name: str
    country: str | None
    kind: str
    events: int  # fused events it takes part in
    first_seen: date | None = None  # earliest and latest ``ref_date`` of those events
    last_seen: date | None = None


@dataclass(frozen=True)
class ConflictRecord:
    id: int
    event_id: int | None
    scope: ConflictScope
    kind: str
    detail: str
    evidence: tuple[dict[str, int], ...]  # {article_id, start, end}


@dataclass(frozen=True)
class Quote:
    """A span of a stored article and the text it covers."""

    article_id: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class SourceEvidence:
    """One report behind a fused event: its article and each mention's sentence and
    trigger, sliced from the article text."""

    article_id: int
    doc_id: str
    url: str | None
    title: str | None
    published: date | None
    near_duplicate_of: int | None
    event: str  # the event's id in that article's document ("e1")
    mentions: tuple[tuple[Quote, Quote], ...]  # (sentence, trigger)


@dataclass(frozen=True)
class ConflictEvidence:
    id: int
    scope: ConflictScope
    kind: str
    detail: str
    evidence: tuple[Quote, ...]


@dataclass(frozen=True)
class EventDetail:
    event: EventRecord
    sources: tuple[SourceEvidence, ...]
    conflicts: tuple[ConflictEvidence, ...]


@dataclass(frozen=True)
class PeriodEvents:
    row: PeriodRow
    events: tuple[EventRecord, ...]


def _count(conn: Connection, stmt: Select) -> int:
    return conn.execute(select(func.count()).select_from(stmt.order_by(None).subquery())
                        ).scalar_one()


def articles_page(conn: Connection, *, limit: int = 50, offset: int = 0,
                  newest_first: bool = False) -> tuple[list[ArticleRow], int]:
    """Stored articles by id (or newest publication first) with their event counts."""
    n = (select(func.count()).select_from(doc_events)
         .where(doc_events.c.article_id == articles.c.id).scalar_subquery())
    a = articles.c
    stmt = select(a.id, a.doc_id, a.title, a.published, a.url, a.near_duplicate_of,
                  n.label("events"))
    # the writer keeps the article count: no count of the table per page
    total = overview(conn).get("articles")
    if total is None:
        total = conn.execute(select(func.count()).select_from(articles)).scalar_one()
    if newest_first:
        # dated articles newest first along the published index, then the undated ones
        # (two index-ordered reads instead of sorting every article)
        rows = list(conn.execute(stmt.where(a.published.is_not(None))
                                 .order_by(a.published.desc(), a.id.desc())
                                 .limit(limit).offset(offset)).mappings())
        if len(rows) < limit:
            dated = offset + len(rows) if rows else conn.execute(
                select(func.count()).where(a.published.is_not(None))).scalar_one()
            rows += conn.execute(stmt.where(a.published.is_(None)).order_by(a.id.desc())
                                 .limit(limit - len(rows))
                                 .offset(max(0, offset - dated))).mappings().all()
    else:
        rows = list(conn.execute(stmt.order_by(a.id).limit(limit).offset(offset)).mappings())
    return [ArticleRow(id=r["id"], doc_id=r["doc_id"], title=r["title"],
                       published=r["published"], url=r["url"], events=r["events"],
                       near_duplicate_of=r["near_duplicate_of"]) for r in rows], total


def _score_expr():
    """The PLOVER score of a fused event in SQL: the mode's score if the table lists
    it, else the type's (as ``ScoreTable.score``)."""
    fe = fused_events.c
    whens: list[tuple[Any, float]] = []
    for name, entry in plover_table().types.items():
        whens.extend((and_(fe.type == name, func.lower(fe.mode) == mode), value)
                     for mode, value in entry.modes.items())
        whens.append((fe.type == name, entry.score))
    return case(*whens, else_=0.0)


def events_page(conn: Connection, flt: EventFilter | None = None, *, limit: int = 50,
                offset: int = 0, sort: str = "date",
                descending: bool = False) -> tuple[list[EventRecord], int]:
    """One page of ``events(conn, flt)`` sorted by a column of ``EVENT_SORTS``.

    A page by date is read in one of three ways, chosen from the number of matches
    (counted first) so that neither database's planner can pick a slow one: a few
    thousand matches are read as (id, date) without an order and the page is chosen
    here; a large share of the archive walks the date index until the page is full
    (``_walk_dates``); anything between is sorted by the database."""
    flt = flt or EventFilter()
    stmt = _event_query(flt)
    total = _count_events(conn, flt, stmt)
    rows: Sequence[Any]
    if offset >= total:
        rows = []
    elif sort == "date" and total <= _FEW:
        rows = _date_page(conn, stmt, limit=limit, offset=offset, descending=descending)
    else:
        walk = sort == "date" and _walk_dates(conn, total, offset + limit)
        if walk and conn.dialect.name == "sqlite":
            stmt = _event_query(flt, walk=True)
        rows = conn.execute(_sorted(stmt, sort, descending, walk=walk).limit(limit)
                            .offset(offset)).mappings().all()
    parties = _parties(conn, [r["id"] for r in rows])
    table = plover_table()
    return [_record(r, parties[r["id"]], table) for r in rows], total


# matches whose page is chosen from their (id, date) rather than by the database
_FEW = 3_000


def _date_page(conn: Connection, stmt: Select, *, limit: int, offset: int,
               descending: bool) -> list:
    """The page of ``stmt``'s events in ``_sorted``'s date order, picked from every
    match's (id, date): without an order or a limit, planners read the matches as the
    filter says (PostgreSQL, sorting all 22,000 events of a type to probe each for a
    rare name, took 135 ms to find none)."""
    fe = fused_events.c
    keys = list(conn.execute(stmt.order_by(None).with_only_columns(fe.id, fe.ref_date)))
    # undated events first going up, last going down; then by date and id
    keys.sort(key=lambda r: (r.ref_date is not None, r.ref_date or date.min, r.id),
              reverse=descending)
    page = [r.id for r in keys[offset:offset + limit]]
    found = {r["id"]: r for r in conn.execute(select(fused_events).where(fe.id.in_(page)))
             .mappings()}
    return [found[i] for i in page]


def _count_events(conn: Connection, flt: EventFilter, stmt: Select) -> int:
    """How many events ``stmt`` (``_event_query(flt)``) gives. An actor alone is
    counted in its participants' index (a country: an index-only count of its key)
    without reading an event: a planner reading 38,000 of 223,000 events would rather
    scan them all."""
    if len(flt.actors) == 1 and flt == EventFilter(actors=flt.actors):
        fp = fused_participants.c
        return conn.execute(select(func.count(func.distinct(fp.fused_event_id)))
                            .where(_actor_condition(flt.actors[0]))).scalar_one()
    return _count(conn, stmt)


def _walk_dates(conn: Connection, total: int, wanted: int) -> bool:
    """Whether a date-sorted page of ``total`` events is cheaper to read by walking
    the date index until ``wanted`` events matched (about ``wanted`` x all events /
    ``total`` steps) than by sorting all ``total``. SQLite's planner has no statistics
    to tell (it sorts every match: 38,000 events of the United States in a
    100,000-article archive); PostgreSQL's has, but misjudges a name filter (it walked
    a quarter of a million events for a page of a few). Matches cluster in time (the
    events of one story share its dates), so the walk is taken only when it should
    fill the page within a tenth of the matches."""
    if not total:
        return False
    every = overview(conn).get("fused_events", 0)
    return _WALK_MARGIN * wanted * every < total * total


_WALK_MARGIN = 10


def _sorted(stmt: Select, sort: str, descending: bool, *, walk: bool = True) -> Select:
    """``stmt`` in the order of ``sort``; ``walk=False``: a date order no index gives
    (``_Unwalked``), so the matches are sorted."""
    if sort not in EVENT_SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    fe = fused_events.c
    # the score's CASE over every type and mode is built only when it is the sort
    key = _score_expr() if sort == "score" else {
        "date": fe.ref_date, "type": fe.type, "sources": fe.source_count,
        "confidence": fe.confidence, "id": fe.id}[sort]
    order = [key.desc() if descending else key.asc(), fe.id.desc() if descending
             else fe.id.asc()]
    if sort == "date":
        # undated events first going up, last going down: SQLite's own order of NULLs,
        # said for PostgreSQL, so the date index (ref_date, then id) gives the order
        day = fe.ref_date if walk else _Unwalked(fe.ref_date)
        order[0] = day.desc().nulls_last() if descending else day.asc().nulls_first()
    return stmt.order_by(None).order_by(*order)


def events_sorted(conn: Connection, flt: EventFilter | None = None, *, sort: str = "date",
                  descending: bool = False) -> Iterator[EventRecord]:
    """Every event of ``flt`` in the order of ``events_page`` (its pages, concatenated),
    streamed: what a download of the current table holds."""
    stmt = _sorted(_event_query(flt or EventFilter()), sort, descending)
    result = conn.execution_options(stream_results=True).execute(stmt)
    for page in result.mappings().partitions(_PAGE):
        parties = _parties(conn, [r["id"] for r in page])
        table = plover_table()
        for row in page:
            yield _record(row, parties[row["id"]], table)


def participants_page(conn: Connection, *, q: str | None = None, limit: int = 50,
                      offset: int = 0) -> tuple[list[ParticipantRow], int]:
    """Distinct participants of fused events, most events first; ``q`` matches the key
    or one of its names (case-insensitive substring), and a matching key counts all of
    its events."""
    fp = fused_participants.c
    # a key appears once per event (the table's primary key), so count(*) counts
    # events, and the count and the order need the key index only
    n = func.count()
    stmt = select(fp.key, n.label("events")).group_by(fp.key)
    if q:
        stmt = stmt.where(fp.key.in_(select(fp.key).where(or_(
            _contains(fp.key, q), _contains(fp.name, q))).distinct()))
    total = _count(conn, stmt)
    rows = conn.execute(stmt.order_by(n.desc(), fp.key).limit(limit).offset(offset)).all()
    keys = [r.key for r in rows]
    names = key_names(conn, keys)
    extra: dict[str, Any] = {}
    for i in range(0, len(keys), _PAGE):
        for r in conn.execute(
                select(fp.key, func.max(fp.country).label("country"),
                       func.min(fused_events.c.ref_date).label("first"),
                       func.max(fused_events.c.ref_date).label("last"))
                .join(fused_events, fused_events.c.id == fp.fused_event_id)
                .where(fp.key.in_(keys[i:i + _PAGE])).group_by(fp.key)):
            extra[r.key] = r
    out = []
    for r in rows:
        name, kind = names.get(r.key, (r.key, "unknown"))
        e = extra.get(r.key)
        out.append(ParticipantRow(key=r.key, name=name, country=e.country if e else None,
                                  kind=kind, events=r.events,
                                  first_seen=e.first if e else None,
                                  last_seen=e.last if e else None))
    return out, total


def participant_count(conn: Connection) -> int:
    """How many distinct participant keys the store holds: kept by the writer, so
    reading it is one key lookup whatever the archive's size."""
    return int(conn.execute(select(store_counts.c.rows)
                            .where(store_counts.c.name == PARTICIPANT_KEYS)).scalar_one())


def key_names(conn: Connection, keys: Sequence[str]) -> dict[str, tuple[str, str]]:
    """The name and kind to show for each participant key: the country's own entry
    when the key has one ("China", not "China (business)"), else its most frequent
    name."""
    fp = fused_participants.c
    out: dict[str, tuple[str, str]] = {}
    best: dict[str, tuple[bool, int]] = {}
    for i in range(0, len(keys), _PAGE):
        rows = conn.execute(select(fp.key, fp.name, fp.kind, func.count())
                            .where(fp.key.in_(keys[i:i + _PAGE]))
                            .group_by(fp.key, fp.name, fp.kind)
                            .order_by(fp.key, fp.name))
        for key, name, kind, n in rows:
            rank = (kind == "country" and name.casefold() != key.casefold(), n)
            if key not in best or rank > best[key]:
                best[key] = rank
                out[key] = (name, kind)
    # a country code is the country, whoever of it took part ("PAK" is Pakistan, not
    # the prime minister who spoke for it)
    for key in out:
        r = resolve_actor(key) if len(key) == 3 and key.isupper() else None
        if r is not None and r.code == key and r.label:
            out[key] = (r.label, "country")
    return out


def _conflict_record(r) -> ConflictRecord:
    return ConflictRecord(id=r["id"], event_id=r["fused_event_id"], scope=r["scope"],
                          kind=r["kind"], detail=r["detail"],
                          evidence=tuple(dict(e) for e in r["evidence"]))


@dataclass(frozen=True)
class ConflictFilter:
    """``kinds`` and ``scopes`` are alternatives; ``actors`` must all take part in the
    conflict's fused event; dates bound that event's ``ref_date``."""

    kinds: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    event_id: int | None = None  # the conflicts of one fused event


def _conflict_query(flt: ConflictFilter) -> Select:
    c = conflicts.c
    stmt = select(conflicts)
    if flt.event_id is not None:
        stmt = stmt.where(c.fused_event_id == flt.event_id)
    if flt.kinds:
        stmt = stmt.where(c.kind.in_(flt.kinds))
    if flt.scopes:
        stmt = stmt.where(c.scope.in_(flt.scopes))
    if flt.actors or flt.since or flt.until:
        evs = _event_query(EventFilter(actors=flt.actors, since=flt.since, until=flt.until))
        stmt = stmt.where(c.fused_event_id.in_(
            evs.order_by(None).with_only_columns(fused_events.c.id)))
    return stmt


def conflicts_page(conn: Connection, flt: ConflictFilter | None = None, *, limit: int = 50,
                   offset: int = 0) -> tuple[list[ConflictRecord], int]:
    """The recorded disagreements matching ``flt``, oldest first."""
    stmt = _conflict_query(flt or ConflictFilter()).order_by(conflicts.c.id)
    total = _count(conn, stmt)
    rows = conn.execute(stmt.limit(limit).offset(offset)).mappings()
    return [_conflict_record(r) for r in rows], total


def article_texts(conn: Connection, ids: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for i in range(0, len(ids), _PAGE):
        rows = conn.execute(select(articles.c.id, articles.c.text)
                            .where(articles.c.id.in_(ids[i:i + _PAGE])))
        out.update((r.id, r.text) for r in rows)
    return out


def _quote(texts: dict[int, str], article_id: int, start: int, end: int) -> Quote:
    return Quote(article_id=article_id, start=start, end=end,
                 text=texts.get(article_id, "")[start:end])


def event_detail(conn: Connection, event_id: int) -> EventDetail | None:
    """A fused event with its evidence: each source's mention sentences and triggers and
    each conflict's spans, with the text they cover."""
    record = event(conn, event_id)
    if record is None:
        return None
    srcs = sources(conn, [event_id])[event_id]
    found = [_conflict_record(r) for r in conn.execute(
        select(conflicts).where(conflicts.c.fused_event_id == event_id)
        .order_by(conflicts.c.id)).mappings()]
    ids = sorted({s["article_id"] for s in srcs}
                 | {e["article_id"] for c in found for e in c.evidence})
    texts = article_texts(conn, ids)
    return EventDetail(
        event=record,
        sources=tuple(SourceEvidence(
            article_id=s["article_id"], doc_id=s["doc_id"], url=s["url"], title=s["title"],
            published=s["published"], near_duplicate_of=s["near_duplicate_of"],
            event=s["event"],
            mentions=tuple((_quote(texts, s["article_id"], m["start"], m["end"]),
                            _quote(texts, s["article_id"], m["trigger"]["start"],
                                   m["trigger"]["end"])) for m in s["mentions"]))
            for s in srcs),
        conflicts=tuple(ConflictEvidence(
            id=c.id, scope=c.scope, kind=c.kind, detail=c.detail,
            evidence=tuple(_quote(texts, e["article_id"], e["start"], e["end"])
                           for e in c.evidence)) for c in found),
    )


def article_events(conn: Connection, article_id: int) -> dict[str, int]:
    """The fused event each event of a stored document went to: {"e1": 7, ...}."""
    fem = fused_event_reports.c
    rows = conn.execute(select(doc_events.c.event_local_id, fem.fused_event_id)
                        .join(fused_event_reports, fem.doc_event_id == doc_events.c.id)
                        .where(doc_events.c.article_id == article_id))
    return {r.event_local_id: r.fused_event_id for r in rows}


def article_conflicts(conn: Connection, article_id: int) -> list[ConflictRecord]:
    """Disagreements between reports that cite this article on one side."""
    fids = select(fused_event_reports.c.fused_event_id).where(
        fused_event_reports.c.article_id == article_id)
    rows = conn.execute(select(conflicts).where(conflicts.c.scope == "reports",
                                                conflicts.c.fused_event_id.in_(fids))
                        .order_by(conflicts.c.id)).mappings()
    found = [_conflict_record(r) for r in rows]
    return [c for c in found if any(e["article_id"] == article_id for e in c.evidence)]


def dyad_periods(conn: Connection, a: str, b: str, *, by: Period = "month",
                 flt: EventFilter | None = None,
                 include_background: bool = False) -> list[PeriodEvents]:
    """``dyad_series`` with the events behind each period."""
    return periods_of(list(dyad_events(conn, a, b,
                                       flt=_series_filter(flt, include_background))), by)


def periods_of(records: Sequence[EventRecord], by: Period) -> list[PeriodEvents]:
    """Dated ``records`` per period (what ``dyad_periods`` returns for a pair's events),
    so a view can regroup the same events by another period without reading again."""
    dated = [r for r in records if r.ref_date is not None]
    rows = series([(r.ref_date, r.quad_class, r.score) for r in dated
                   if r.ref_date is not None], by)
    grouped: dict[date, list[EventRecord]] = {}
    for r in dated:
        assert r.ref_date is not None
        grouped.setdefault(bucket(r.ref_date, by), []).append(r)
    return [PeriodEvents(row=row, events=tuple(grouped[row.start])) for row in rows]


def article(conn: Connection, article_id: int) -> ArticleRow | None:
    """One stored article's metadata (``document`` has its text and coding)."""
    n = (select(func.count()).select_from(doc_events)
         .where(doc_events.c.article_id == articles.c.id).scalar_subquery())
    a = articles.c
    r = conn.execute(select(a.id, a.doc_id, a.title, a.published, a.url, a.near_duplicate_of,
                            n.label("events")).where(a.id == article_id)).mappings().first()
    if r is None:
        return None
    return ArticleRow(id=r["id"], doc_id=r["doc_id"], title=r["title"],
                      published=r["published"], url=r["url"], events=r["events"],
                      near_duplicate_of=r["near_duplicate_of"])


def conflict_kinds(conn: Connection) -> list[str]:
    """The kinds of conflict recorded, for a filter's choices."""
    return [r[0] for r in conn.execute(select(conflicts.c.kind).distinct()
                                       .order_by(conflicts.c.kind))]


def documents(conn: Connection, ids: Sequence[int]) -> dict[int, Document]:
    """The coded documents of several stored articles (``document`` for each)."""
    out: dict[int, Document] = {}
    for i in range(0, len(ids), _PAGE):
        rows = conn.execute(select(articles.c.id, articles.c.text, articles.c.document)
                            .where(articles.c.id.in_(ids[i:i + _PAGE])))
        for r in rows:
            out[r.id] = Document.model_validate({**r.document, "text": r.text})
    return out


def article_rows(conn: Connection, ids: Sequence[int]) -> dict[int, ArticleRow]:
    """``article`` for several ids at once."""
    n = (select(func.count()).select_from(doc_events)
         .where(doc_events.c.article_id == articles.c.id).scalar_subquery())
    a = articles.c
    out: dict[int, ArticleRow] = {}
    for i in range(0, len(ids), _PAGE):
        rows = conn.execute(select(a.id, a.doc_id, a.title, a.published, a.url,
                                   a.near_duplicate_of, n.label("events"))
                            .where(a.id.in_(ids[i:i + _PAGE]))).mappings()
        for r in rows:
            out[r["id"]] = ArticleRow(id=r["id"], doc_id=r["doc_id"], title=r["title"],
                                      published=r["published"], url=r["url"],
                                      events=r["events"],
                                      near_duplicate_of=r["near_duplicate_of"])
    return out


# -- evidence snippets of the events table --------------------------------------------

@dataclass(frozen=True)
class Snippet:
    """The first report's first mention of an event: its sentence and trigger."""

    article_id: int
    doc_id: str
    sentence: Quote
    trigger: Quote


def event_snippets(conn: Connection, ids: Sequence[int]) -> dict[int, Snippet]:
    """The snippet of each event that has one (a report with offsets)."""
    fem, de = fused_event_reports.c, doc_events.c
    out: dict[int, Snippet] = {}
    for i in range(0, len(ids), _PAGE):
        rows = conn.execute(
            select(fem.fused_event_id, fem.article_id, articles.c.doc_id, de.mention_start,
                   de.mention_end,
                   de.trigger_start, de.trigger_end,
                   func.substr(articles.c.text, de.mention_start + 1,
                               de.mention_end - de.mention_start).label("sentence"))
            .join(doc_events, de.id == fem.doc_event_id)
            .join(articles, articles.c.id == fem.article_id)
            .where(fem.fused_event_id.in_(ids[i:i + _PAGE]), de.mention_start.is_not(None))
            .order_by(fem.fused_event_id, fem.doc_event_id)).mappings()
        for r in rows:
            if r["fused_event_id"] in out:
                continue
            sentence = r["sentence"] or ""
            ts, te = r["trigger_start"], r["trigger_end"]
            if ts is None or te is None:
                ts = te = r["mention_start"]
            a = max(0, ts - r["mention_start"])
            b = max(a, te - r["mention_start"])
            out[r["fused_event_id"]] = Snippet(
                article_id=r["article_id"], doc_id=r["doc_id"],
                sentence=Quote(r["article_id"], r["mention_start"], r["mention_end"],
                               sentence),
                trigger=Quote(r["article_id"], ts, te, sentence[a:b]))
    return out


# -- actors ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ActorProfile:
    """A participant key across the store: who it is and what it took part in."""

    key: str
    name: str
    country: str | None
    kind: str
    sectors: tuple[tuple[str, int], ...]  # (sector, actor mentions), most first
    kb_ids: tuple[str, ...]  # knowledge-base entities its document actors resolved to
    names: tuple[tuple[str, int], ...]  # names under this key, most events first
    events: int
    first_seen: date | None
    last_seen: date | None
    by_type: tuple[tuple[str, int], ...]  # PLOVER type -> events, most first
    by_factuality: tuple[tuple[str, int], ...]
    periods: tuple[PeriodRow, ...]  # per month, with the quad classes
    counterparts: tuple[tuple[str, str, int], ...]  # (key, name, shared events)


def actor_profile(conn: Connection, key: str, *, flt: EventFilter | None = None,
                  top: int = 15) -> ActorProfile | None:
    """The profile of participant ``key`` (exact key); ``flt`` narrows the events
    counted (its actors are added to ``key``). None when no event has that key."""
    fp, fe = fused_participants.c, fused_events.c
    base = flt or EventFilter()
    ids_q = (_event_query(base).order_by(None).with_only_columns(fe.id)
             .where(fe.id.in_(select(fp.fused_event_id).where(fp.key == key))))
    head = conn.execute(select(fp.name, fp.country, fp.kind,
                               func.count(func.distinct(fp.fused_event_id)).label("n"))
                        .where(fp.key == key).group_by(fp.name, fp.country, fp.kind)
                        .order_by(func.count(func.distinct(fp.fused_event_id)).desc(),
                                  fp.name)).all()
    if not head:
        return None
    rows = conn.execute(select(fe.ref_date, fe.type, fe.mode, fe.factuality)
                        .where(fe.id.in_(ids_q))).all()
    table = plover_table()
    by_type: dict[str, int] = {}
    by_fact: dict[str, int] = {}
    for r in rows:
        by_type[r.type] = by_type.get(r.type, 0) + 1
        by_fact[r.factuality] = by_fact.get(r.factuality, 0) + 1
    dates = [r.ref_date for r in rows if r.ref_date is not None]
    periods = series([(r.ref_date, table.quad(r.type), table.score(r.type, r.mode))
                      for r in rows if r.ref_date is not None], "month")
    other = fused_participants.alias("other")
    n_shared = func.count(func.distinct(other.c.fused_event_id))
    counterparts = conn.execute(
        select(other.c.key, n_shared)
        .where(other.c.fused_event_id.in_(ids_q), other.c.key != key)
        .group_by(other.c.key).order_by(n_shared.desc(), other.c.key).limit(top)).all()
    names = key_names(conn, [key] + [k for k, _ in counterparts])
    ac = actors.c
    sectors = conn.execute(select(ac.sector, func.count()).where(ac.key == key,
                                                                  ac.sector.is_not(None))
                           .group_by(ac.sector).order_by(func.count().desc(), ac.sector)
                           ).all()
    # the KB id lives in the stored documents: read a few of them
    samples = conn.execute(select(ac.article_id, ac.local_id).where(ac.key == key)
                           .order_by(ac.id).limit(20)).all()
    kb: list[str] = []
    docs = documents(conn, sorted({a for a, _ in samples}))
    for article_id, local_id in samples:
        doc = docs.get(article_id)
        for a in doc.actors if doc else ():
            if a.id == local_id and a.kb_id and a.kb_id not in kb:
                kb.append(a.kb_id)
    name, kind = names.get(key, (head[0].name, head[0].kind))
    return ActorProfile(
        key=key, name=name, country=head[0].country, kind=kind,
        sectors=tuple((s, n) for s, n in sectors), kb_ids=tuple(kb),
        names=tuple((r.name, r.n) for r in head[:top]), events=len(rows),
        first_seen=min(dates, default=None), last_seen=max(dates, default=None),
        by_type=tuple(sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_factuality=tuple(sorted(by_fact.items(), key=lambda kv: (-kv[1], kv[0]))),
        periods=tuple(periods),
        counterparts=tuple((k, names.get(k, (k, ""))[0], c) for k, c in counterparts))


# -- the map --------------------------------------------------------------------------

@dataclass(frozen=True)
class MapPoint:
    """One geolocated place of the filtered events, with their count per quad class."""

    name: str
    country: str | None
    lat: float
    lon: float
    events: int
    quads: dict[int, int]

    @property
    def quad(self) -> int:
        """The quad class with most events (the lower class on a tie)."""
        return max(sorted(self.quads), key=lambda q: self.quads[q])


def map_points(conn: Connection, flt: EventFilter | None = None) -> list[MapPoint]:
    """The events of ``flt`` that have coordinates, one point per place (name, country
    and coordinates), most events first."""
    fe = fused_events.c
    sub = (_event_query(flt or EventFilter()).order_by(None)
           .where(fe.lat.is_not(None), fe.lon.is_not(None)).subquery())
    table = plover_table()
    points: dict[tuple[Any, ...], dict[int, int]] = {}
    rows = conn.execute(select(sub.c.place_name, sub.c.place_country, sub.c.lat, sub.c.lon,
                               sub.c.type, func.count())
                        .group_by(sub.c.place_name, sub.c.place_country, sub.c.lat,
                                  sub.c.lon, sub.c.type))
    for name, country, lat, lon, type_, n in rows:
        quads = points.setdefault((name or "", country, lat, lon), {1: 0, 2: 0, 3: 0, 4: 0})
        quads[table.quad(type_)] = quads.get(table.quad(type_), 0) + n
    out = [MapPoint(name=k[0], country=k[1], lat=k[2], lon=k[3], events=sum(q.values()),
                    quads=q) for k, q in points.items()]
    return sorted(out, key=lambda p: (-p.events, p.name, p.lat, p.lon))


def store_version(conn: Connection) -> tuple[int, ...]:
    """A value that changes whenever an ingest adds something: the highest ids of the
    tables an ingest appends to (primary-key lookups, so it costs nothing). Views use
    it to keep archive-wide aggregates (top pairs, the actor list) between writes."""
    return tuple(conn.execute(select(func.coalesce(func.max(col), 0))).scalar_one()
                 for col in (articles.c.id, fused_events.c.id,
                             fused_event_reports.c.doc_event_id, conflicts.c.id))


# -- why reports were fused -----------------------------------------------------------

@dataclass(frozen=True)
class MergeDecision:
    """Why one report (a document event) is part of a fused event: the rule that
    placed it (``new``: it started the event; ``fused``: it matched on identities,
    type, date and place; ``copy``: it is a syndicated copy's telling of its
    original's event) and the evidence the rule used."""

    doc_event_id: int
    article_id: int
    doc_id: str
    event: str  # the event's id in its document ("e1")
    near_duplicate_of: int | None
    rule: str
    why: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def event_why(conn: Connection, event_id: int) -> list[MergeDecision]:
    """The merge decisions behind fused event ``event_id``, in ingest order."""
    fem = fused_event_reports.c
    rows = conn.execute(
        select(fem.doc_event_id, fem.article_id, fem.canonical_article_id, fem.rule,
               fem.why, articles.c.doc_id, doc_events.c.event_local_id)
        .join(doc_events, doc_events.c.id == fem.doc_event_id)
        .join(articles, articles.c.id == fem.article_id)
        .where(fem.fused_event_id == event_id).order_by(fem.doc_event_id)).mappings()
    return [MergeDecision(
        doc_event_id=r["doc_event_id"], article_id=r["article_id"], doc_id=r["doc_id"],
        event=r["event_local_id"],
        near_duplicate_of=(r["canonical_article_id"]
                           if r["canonical_article_id"] != r["article_id"] else None),
        rule=r["rule"], why=dict(r["why"] or {})) for r in rows]
