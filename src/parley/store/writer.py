"""Ingest: store coded articles, one transaction per batch.

A batch of ``batch_size`` inputs is read, the articles whose content hash is already
stored are dropped, the rest are coded by the caller's coder and then written in ONE
transaction: articles, actors, document events, their cross-report fusion
(``parley.fuse.reports``) and conflicts. A killed ingest therefore leaves whole
batches only, and re-running it skips what was committed.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import (
    Boolean,
    Connection,
    and_,
    bindparam,
    exists,
    insert,
    or_,
    select,
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
from parley.model import Article, Document, Event
from parley.store import pairs
from parley.store.db import Store, db_reason
from parley.store.dedup import THRESHOLD, Signature, content_hash
from parley.store.schema import (
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
           on_progress: Callable[[int], None] | None = None) -> IngestReport:
    """Store ``items`` (what ``read_inputs`` yields), coded by ``coder``; return what
    happened.

    ``on_error`` gets each bad input (the run goes on); ``on_progress`` gets the number
    of inputs just handled. A ``ParleyError`` raised by the coder itself (no model, bad
    knowledge base) stops the run; the batches committed before it stay.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    rule = rule or FusionRule()
    if rule.plover is None:
        # read the PLOVER table once, not on every comparison
        from dataclasses import replace

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
        repeats = sum(1 for i in chunk if isinstance(i, Article)) - len(fresh) + len(known)
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
        if not coded:
            continue
        batch = IngestReport()
        try:
            with store.write() as conn:
                # a concurrent writer may have stored some since the check above
                known = _known_hashes(conn, [h for h, _, _ in coded])
                for h, article, doc in coded:
                    if h in known:
                        batch.already_stored += 1
                        continue
                    known.add(h)
                    _store_document(conn, article, doc, h, rule, batch)
                _count_rows(conn, batch)
                pairs.apply_all(conn, batch.pairs)
        except DBAPIError as exc:
            raise StoreError(f"batch {report.batches + 1} was not stored ({db_reason(exc)}); the "
                             f"{report.batches} batches before it are",
                             source=_batch_source(coded)) from None
        report.add(batch)
        report.batches += 1
    return report


_BUMP_COUNT = (update(store_counts).where(store_counts.c.name == bindparam("n"))
               .values(rows=store_counts.c.rows + bindparam("k")))


def _count_rows(conn: Connection, batch: IngestReport) -> None:
    """Keep ``store_counts`` in step with what the batch wrote."""
    added = {"articles": batch.stored, "doc_events": batch.events,
             "fused_events": batch.fused_new, "conflicts": batch.conflicts}
    conn.execute(_BUMP_COUNT, [{"n": n, "k": k} for n, k in added.items() if k])


def _batch_source(coded: Sequence[tuple[str, Article, Document]]) -> str | None:
    """Where a batch starts: the first article's input name."""
    return coded[0][1].source if coded else None


# Statements are built once with bind parameters: SQLAlchemy then compiles each once,
# and per-row work is only parameter binding (it matters at thousands of events).
_KNOWN = select(articles.c.content_hash).where(
    articles.c.content_hash.in_(bindparam("hashes", expanding=True)))
_BANDS = select(minhash_bands.c.band, minhash_bands.c.bucket, minhash_bands.c.article_id
                ).where(minhash_bands.c.bucket.in_(bindparam("buckets", expanding=True)))
_MINHASHES = select(articles.c.id, articles.c.minhash).where(
    articles.c.id.in_(bindparam("ids", expanding=True))).order_by(articles.c.id)
_INSERT_ARTICLE = insert(articles).returning(articles.c.id)
_INSERT_ACTORS = insert(actors).returning(actors.c.id, sort_by_parameter_order=True)
_INSERT_DOC_EVENTS = insert(doc_events).returning(doc_events.c.id, sort_by_parameter_order=True)
_INSERT_FUSED = insert(fused_events).returning(fused_events.c.id, sort_by_parameter_order=True)
_UPDATE_FUSED = update(fused_events).where(fused_events.c.id == bindparam("fid")).values(
    disputed=or_(fused_events.c.disputed, bindparam("now_disputed", type_=Boolean)))
_MARK_DISPUTED = update(fused_events).where(fused_events.c.id == bindparam("fid")).values(
    disputed=True)
_CANDIDATES = select(fused_events.c.id).where(
    fused_events.c.type.in_(bindparam("types", expanding=True)),
    fused_events.c.anchor_date.between(bindparam("lo"), bindparam("hi")),
    exists().where(and_(
        fused_participants.c.fused_event_id == fused_events.c.id,
        fused_participants.c.key.in_(bindparam("keys", expanding=True)))),
).order_by(fused_events.c.id)
_ORIGINAL = (
    select(doc_events.c.id, doc_events.c.type, doc_events.c.date,
           doc_events.c.date_precision, doc_events.c.spans,
           fused_event_reports.c.fused_event_id)
    .outerjoin(fused_event_reports, fused_event_reports.c.doc_event_id == doc_events.c.id)
    .where(doc_events.c.article_id == bindparam("aid")).order_by(doc_events.c.id))
_ORIGINAL_KEYS = (
    select(doc_event_participants.c.doc_event_id, doc_event_participants.c.key)
    .join(doc_events, doc_events.c.id == doc_event_participants.c.doc_event_id)
    .where(doc_events.c.article_id == bindparam("aid")))
_ARTICLE_TEXT = select(articles.c.text).where(articles.c.id == bindparam("aid"))
_MEMBERS = (
    select(fused_event_reports.c.fused_event_id, fused_event_reports.c.canonical_article_id,
           doc_events, articles.c.published)
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
_CHUNK = 500


def _known_hashes(conn: Connection, hashes: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(hashes), _CHUNK):
        found.update(conn.execute(_KNOWN, {"hashes": list(hashes[i:i + _CHUNK])}).scalars())
    return found


def _near_duplicate(conn: Connection, sig: Signature) -> tuple[int, float] | None:
    if sig.empty:
        return None
    buckets = sig.buckets()
    wanted = set(buckets)
    ids = sorted({aid for band, bucket, aid in conn.execute(
        _BANDS, {"buckets": [k for _, k in buckets]}) if (band, bucket) in wanted})
    if not ids:
        return None
    best: tuple[int, float] | None = None
    for aid, blob in conn.execute(_MINHASHES, {"ids": ids}):
        score = sig.jaccard(Signature.from_bytes(blob))
        if score >= THRESHOLD and (best is None or score > best[1]):
            best = (aid, score)
    return best


def _store_document(conn: Connection, article: Article, doc: Document, digest: str,
                    rule: FusionRule, report: IngestReport) -> None:
    sig = Signature.of(article.text)
    dup = _near_duplicate(conn, sig)
    published = doc.published or article.published
    article_id = conn.execute(_INSERT_ARTICLE, {
        "doc_id": article.id[:300],
        "source": article.source,
        "url": article.url,
        "published": published,
        "title": doc.title or article.title,
        "text": article.text,
        "content_hash": digest,
        "near_duplicate_of": dup[0] if dup else None,
        "similarity": round(dup[1], 4) if dup else None,
        "minhash": sig.to_bytes(),
        "ingested_at": now(),
        "document": doc.model_dump(mode="json", exclude={"text"}),
    }).scalar_one()
    report.stored += 1
    if dup:
        report.near_duplicates += 1
        canonical = dup[0]
    else:
        canonical = article_id
    if not dup and not sig.empty:
        conn.execute(insert(minhash_bands), [
            {"band": b, "bucket": k, "article_id": article_id} for b, k in sig.buckets()])

    actor_rows: dict[str, tuple[int, Party]] = {}
    if doc.actors:
        keys = [a.country or a.name for a in doc.actors]
        ids = conn.execute(_INSERT_ACTORS, [
            {"article_id": article_id, "local_id": a.id, "name": a.name, "kind": a.kind,
             "country": a.country, "sector": a.sector, "key": key, "kb_id": a.kb_id,
             "aliases": a.aliases, "spans": [s.model_dump() for s in a.mentions]}
            for a, key in zip(doc.actors, keys, strict=True)]).scalars().all()
        for a, key, aid in zip(doc.actors, keys, ids, strict=True):
            actor_rows[a.id] = (aid, Party(key=key, name=a.name, country=a.country,
                                           kind=a.kind, role="participant",
                                           ident=identity(a.country, a.kb_id, a.name)))
    if not doc.events:
        return
    context = frozenset(p.identity for _, p in actor_rows.values())

    mention_ids = conn.execute(_INSERT_DOC_EVENTS, [_mention_row(article_id, e)
                                                  for e in doc.events]).scalars().all()
    reports: list[Report] = []
    participant_rows: list[dict] = []
    for event, doc_event_id in zip(doc.events, mention_ids, strict=True):
        rows, rep = _report(article_id, canonical, published, event, doc_event_id,
                            actor_rows, context)
        participant_rows.extend(rows)
        reports.append(rep)
    if participant_rows:
        conn.execute(insert(doc_event_participants), participant_rows)

    plan = _copy_plan(conn, canonical, article.text, doc, reports) if dup else {}
    targets = _fuse_document(conn, reports, rule, report, plan)
    report.events += len(reports)
    fused_of = {e.id: f.id for e, f in zip(doc.events, targets, strict=True)
                if f is not None}
    links = [{"fused_event_id": f.id, "doc_event_id": rep.doc_event_id,
              "article_id": article_id, "canonical_article_id": canonical,
              "rule": f.rule, "why": f.why}
             for rep, f in zip(reports, targets, strict=True) if f is not None]
    if links:
        conn.execute(insert(fused_event_reports), links)
    by_event = dict(zip((e.id for e in doc.events), mention_ids, strict=True))
    found = [{"fused_event_id": f.id, "doc_event_id": rep.doc_event_id, "scope": "reports",
              "kind": d.kind, "detail": d.detail, "evidence": list(d.evidence),
              "created_at": now()}
             for rep, f in zip(reports, targets, strict=True) if f is not None
             for d in f.found]
    disputed: set[int] = set()
    new_events = {e.id for e, f in zip(doc.events, targets, strict=True)
                  if f is not None and f.rule != "copy"}
    for c in doc.conflicts:
        # a copy's event repeats its original's, conflicts included: recorded once
        if c.event not in by_event or c.event not in new_events:
            continue
        fid = fused_of[c.event]
        assert fid is not None  # every target is inserted before its conflicts
        disputed.add(fid)
        found.append({
            "fused_event_id": fid, "doc_event_id": by_event[c.event],
            "scope": "document", "kind": c.kind, "detail": c.detail, "created_at": now(),
            "evidence": [{"article_id": article_id, "start": s.start, "end": s.end}
                         for s in c.evidence]})
    if found:
        conn.execute(insert(conflicts), found)
        report.conflicts += len(found)
    if disputed:
        conn.execute(_MARK_DISPUTED, [{"fid": f} for f in sorted(disputed)])


def _copy_plan(conn: Connection, original: int, text: str, doc: Document,
               reports: Sequence[Report]) -> dict[int, tuple[str, int | None, dict]]:
    """For a near-duplicate: what each of its events is (``match_copy``), by position:
    a copy of an original event (joins its fused event), a repeat (a sentence of the
    original the original coded no such event in: no fused event), or new."""
    original_text = conn.execute(_ARTICLE_TEXT, {"aid": original}).scalar_one()
    keys: dict[int, set[str]] = {}
    for r in conn.execute(_ORIGINAL_KEYS, {"aid": original}):
        keys.setdefault(r.doc_event_id, set()).add(r.key)
    tellings = [Telling(
        doc_event_id=r.id, fused_id=r.fused_event_id, type=r.type,
        keys=frozenset(keys.get(r.id, ())), date=r.date, precision=r.date_precision,
        sentences=frozenset(sentence_key(original_text[m["start"]:m["end"]])
                            for m in r.spans or ()))
        for r in conn.execute(_ORIGINAL, {"aid": original})]
    flat = sentence_key(original_text)
    taken: set[int] = set()
    plan: dict[int, tuple[str, int | None, dict]] = {}
    for i, (event, rep) in enumerate(zip(doc.events, reports, strict=True)):
        sentences = frozenset(sentence_key(text[m.start:m.end]) for m in event.mentions)
        kind, telling, why = match_copy(rep, sentences, tellings, taken, flat)
        if telling is not None:
            taken.add(telling.doc_event_id)
        plan[i] = (kind, telling.fused_id if telling else None,
                   {**why, "original_article": original} if why else why)
    return plan


def _mention_row(article_id: int, event: Event) -> dict:
    first = event.mentions[0] if event.mentions else None
    event_date = event.date.value
    place = event.place
    return {
        "article_id": article_id, "event_local_id": event.id, "type": event.type,
        "mode": event.mode, "context": event.context, "factuality": event.factuality,
        "confidence": event.confidence, "date": event_date,
        "date_precision": event.date.precision if event_date else None,
        "date_disputed": event.date.disputed,
        "place_name": place.name if place else None,
        "place_country": place.country if place else None,
        "lat": place.lat if place else None, "lon": place.lon if place else None,
        "mention_start": first.start if first else None,
        "mention_end": first.end if first else None,
        "trigger_start": first.trigger.start if first else None,
        "trigger_end": first.trigger.end if first else None,
        "spans": [m.model_dump() for m in event.mentions],
        "background": event.background,
    }


def _report(article_id: int, canonical: int, published: date | None, event: Event,
            doc_event_id: int, actor_rows: dict[str, tuple[int, Party]],
            context: frozenset[str] = frozenset()) -> tuple[list[dict], Report]:
    """The event's participant rows and the event as cross-report fusion sees it."""
    parties: dict[str, Party] = {}
    rows: dict[int, dict] = {}
    for position, p in enumerate(event.participants):
        if p.actor not in actor_rows:
            continue
        aid, party = actor_rows[p.actor]
        rows.setdefault(aid, {"doc_event_id": doc_event_id, "actor_id": aid, "position": position,
                              "key": party.key, "role": p.role, "disputed": p.disputed})
        parties.setdefault(party.key, Party(key=party.key, name=party.name,
                                            country=party.country, kind=party.kind,
                                            role=p.role, ident=party.ident))
    first = event.mentions[0] if event.mentions else None
    event_date = event.date.value
    place = event.place
    rep = Report(
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
    return list(rows.values()), rep


# -- cross-report fusion against the stored fused events ------------------------------

def _candidate_pool(conn: Connection, rule: FusionRule, reports: Sequence[Report],
                    context_keys: frozenset[str] = frozenset()) -> list[Fused]:
    """Stored fused events any of a document's reports could join.

    One indexed query (type + anchor window, sharing a participant key) per distinct
    anchor date in the document, usually one or two: the archive outside the windows is
    never read. The pool is a superset; ``FusionRule.score`` checks each report.
    """
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
    ids: set[int] = set()
    for (anchor, days), (types, keys) in by_anchor.items():
        lo, hi = rule.window(anchor, days)
        ids.update(conn.execute(_CANDIDATES, {"types": sorted(types), "lo": lo, "hi": hi,
                                              "keys": sorted(keys)}).scalars())
    return load_fused(conn, sorted(ids))


def load_fused(conn: Connection, ids: Sequence[int]) -> list[Fused]:
    """Fused events with their reports, rebuilt from the stored mentions."""
    if not ids:
        return []
    rows = conn.execute(_MEMBERS, {"ids": list(ids)}).mappings().all()
    parties: dict[int, list[Party]] = {}
    mids = [r["id"] for r in rows]
    for i in range(0, len(mids), _CHUNK):
        for p in conn.execute(_MEMBER_PARTIES, {"ids": mids[i:i + _CHUNK]}).mappings():
            lst = parties.setdefault(p["doc_event_id"], [])
            if all(x.key != p["key"] for x in lst):
                lst.append(Party(key=p["key"], name=p["name"], country=p["country"],
                                 kind=p["kind"], role=p["role"],
                                 ident=identity(p["country"], p["kb_id"], p["name"])))
    fused = {i: Fused(id=i) for i in ids}
    for r in rows:
        fused[r["fused_event_id"]].members.append(Report(
            article_id=r["article_id"], canonical_id=r["canonical_article_id"],
            published=r["published"], type=r["type"], factuality=r["factuality"],
            parties=tuple(parties.get(r["id"], ())), date=r["date"],
            precision=r["date_precision"], date_disputed=r["date_disputed"],
            mode=r["mode"], context=r["context"], place_name=r["place_name"],
            place_country=r["place_country"], lat=r["lat"], lon=r["lon"],
            confidence=r["confidence"],
            span=(r["mention_start"] or 0, r["mention_end"] or 0), doc_event_id=r["id"],
            mentions=max(1, len(r["spans"] or ())), background=bool(r["background"])))
    return [fused[i] for i in ids if fused[i].members]


@dataclass
class _Target(Fused):
    """A fused event a report of the document goes to, why, and what it disagreed
    with."""

    found: list[Disagreement] = field(default_factory=list)
    rule: str = "new"  # new | fused | copy
    why: dict | None = None


def _fuse_document(conn: Connection, reports: Sequence[Report], rule: FusionRule,
                   report: IngestReport,
                   plan: dict[int, tuple[str, int | None, dict]] | None = None,
                   ) -> list[_Target | None]:
    """Match each report against the stored fused events; write the changes.

    A report never joins a fused event another report of the same article is in (the
    in-document fusion already decided they differ), so the events this document
    creates are inserted together at the end. ``plan`` says, for a near-duplicate,
    which reports copy an original's event (they join it) and which repeat a
    sentence of the original (no fused event: None).
    """
    plan = plan or {}
    fresh = [rep for i, rep in enumerate(reports) if plan.get(i, ("new",))[0] == "new"]
    context = frozenset().union(*(r.article_actors for r in reports))
    context_keys = frozenset(_store_keys(conn, reports, context))
    pool: dict[int | None, _Target] = {
        f.id: _Target(id=f.id, members=f.members)
        for f in _candidate_pool(conn, rule, fresh, context_keys)}
    copied = sorted({fid for kind, fid, _ in plan.values() if kind == "copy" and fid}
                    - set(pool))
    pool.update({f.id: _Target(id=f.id, members=f.members)
                 for f in load_fused(conn, copied)})
    index = _PoolIndex(pool)
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
            _update_fused(conn, target, before=copied_from, delta=report.pairs, rule=rule)
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
            _update_fused(conn, target, before=match, delta=report.pairs, rule=rule)
            index.add(target)
            report.fused_joined += 1
        targets.append(target)
    if created:
        _insert_fused(conn, created, report.pairs, rule)
    return targets


class _PoolIndex:
    """The candidate pool of a document by participant identity and type, so each
    report looks only at the fused events it could join (a compatible type and a
    shared participant or article actor) instead of the whole pool."""

    def __init__(self, pool: dict[int | None, _Target]):
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


def _store_keys(conn: Connection, reports: Sequence[Report],
                context: frozenset[str]) -> set[str]:
    """The stored keys of the article's actors (what ``context`` identities look up)."""
    keys = {p.key for r in reports for p in r.parties if p.identity in context}
    keys.update(k for k in context if len(k) == 3 and k.isupper())  # country codes
    return keys


def _fused_values(s: Summary) -> dict:
    return {
        "type": s.type, "mode": s.mode, "context": s.context, "factuality": s.factuality,
        "date": s.date, "date_precision": s.precision, "date_disputed": s.date_disputed,
        "ref_date": s.ref_date, "anchor_date": s.anchor_date, "place_name": s.place_name,
        "place_country": s.place_country, "lat": s.lat, "lon": s.lon,
        "source_count": s.source_count, "article_count": s.article_count,
        "background": s.background, "report_count": s.report_count,
        "mention_count": s.mention_count,
        "confidence": s.confidence, "updated_at": now(),
    }


def _party_rows(fid: int, s: Summary, known: set[str]) -> list[dict]:
    return [{"fused_event_id": fid, "key": p.key, "position": i, "name": p.name,
             "country": p.country, "kind": p.kind, "role": p.role}
            for i, p in enumerate(s.parties) if p.key not in known]


def _aggregate(delta: pairs.Deltas, s: Summary, rule: FusionRule, sign: int = 1) -> None:
    table = rule.table
    delta.add(s.parties, s.factuality, s.background, s.ref_date, table.quad(s.type),
              table.score(s.type, s.mode), sign)


def _insert_fused(conn: Connection, created: Sequence[_Target], delta: pairs.Deltas,
                  rule: FusionRule) -> None:
    summaries = [t.summary() for t in created]
    ids = conn.execute(_INSERT_FUSED, [
        {**_fused_values(s), "created_at": now(), "disputed": s.date_disputed}
        for s in summaries]).scalars().all()
    rows = []
    for target, s, fid in zip(created, summaries, ids, strict=True):
        target.id = fid
        rows.extend(_party_rows(fid, s, set()))
        _aggregate(delta, s, rule)
    if rows:
        conn.execute(insert(fused_participants), rows)


def _update_fused(conn: Connection, target: _Target, *, before: Fused,
                  delta: pairs.Deltas, rule: FusionRule) -> None:
    """Rewrite a joined fused event's row; append the participants it did not have;
    move its pairs in the pre-aggregated counts.

    Participants only ever grow, in order of first appearance, so the stored ones keep
    their positions.
    """
    old, s = before.summary(), target.summary()
    conn.execute(_UPDATE_FUSED, {**_fused_values(s), "fid": target.id,
                                 "now_disputed": bool(target.found) or s.date_disputed})
    assert target.id is not None
    rows = _party_rows(target.id, s, {p.key for p in old.parties})
    if rows:
        conn.execute(insert(fused_participants), rows)
    _aggregate(delta, old, rule, -1)
    _aggregate(delta, s, rule)
