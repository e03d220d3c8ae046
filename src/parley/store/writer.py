"""Ingest: code articles and store them, one transaction per batch.

A batch of ``batch_size`` inputs is read, the articles whose content hash is already
stored are dropped, the rest are coded with ``code_articles`` and then written in ONE
transaction: articles, actors, event mentions, their cross-report fusion
(``parley.fuse.reports``) and conflicts. A killed ingest therefore leaves whole
batches only, and re-running it skips what was committed.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, and_, delete, exists, insert, select, tuple_, update

from parley.errors import ParleyError
from parley.fuse.reports import (
    Disagreement,
    Fused,
    FusionRule,
    Party,
    Report,
    best_match,
    disagreements,
)
from parley.model import Article, Document, Event
from parley.store.db import Store
from parley.store.dedup import THRESHOLD, Signature, content_hash
from parley.store.schema import (
    actors,
    articles,
    conflicts,
    fused_event_mentions,
    fused_events,
    fused_participants,
    mention_participants,
    mentions,
    minhash_bands,
    now,
)

Coder = Callable[[list[Article]], Iterable[Document]]


class CodingFailed(ParleyError):
    """The coder raised on one article: reported like a bad input, the rest go on."""

    code = "E031"


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
    conflicts: int = 0
    batches: int = 0


def _default_coder(batch: list[Article]) -> Iterable[Document]:
    from parley.pipeline import code_articles

    return code_articles(batch)


def _single(coder: Coder, article: Article) -> Document:
    return next(iter(coder([article])))


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _as_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def ingest(store: Store, items: Iterable[Article | ParleyError], *, batch_size: int = 50,
           rule: FusionRule | None = None, coder: Coder | None = None,
           on_error: Callable[[ParleyError], None] | None = None,
           on_progress: Callable[[int], None] | None = None) -> IngestReport:
    """Store ``items`` (what ``read_inputs`` yields); return what happened.

    ``on_error`` gets each bad input (the run goes on); ``on_progress`` gets the number
    of inputs just handled. A ``ParleyError`` raised by the coder itself (no model, bad
    knowledge base) stops the run; the batches committed before it stay.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    rule = rule or FusionRule()
    coder = coder or _default_coder
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
        for (h, article), doc in zip(todo, _code(coder, [a for _, a in todo]), strict=True):
            if isinstance(doc, ParleyError):
                fail(doc)
            else:
                coded.append((h, article, doc))
            progress(1)
        if not coded:
            continue
        with store.write() as conn:
            # a concurrent writer may have stored some since the check above
            known = _known_hashes(conn, [h for h, _, _ in coded])
            for h, article, doc in coded:
                if h in known:
                    report.already_stored += 1
                    continue
                known.add(h)
                _store_document(conn, article, doc, h, rule, report)
        report.batches += 1
    return report


def _code(coder: Coder, batch: list[Article]) -> list[Document | ParleyError]:
    if not batch:
        return []
    try:
        return list(coder(batch))
    except ParleyError:
        raise
    except Exception:  # noqa: BLE001 - retried one by one below
        # one article broke the batch: code them one by one to find it
        out: list[Document | ParleyError] = []
        for article in batch:
            try:
                out.append(_single(coder, article))
            except ParleyError:
                raise
            except Exception as exc:  # noqa: BLE001 - reported per input, run goes on
                out.append(CodingFailed(f"coding failed: {type(exc).__name__}: {exc}",
                                        source=article.source))
        return out


def _known_hashes(conn: Connection, hashes: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(hashes), 500):
        found.update(conn.execute(select(articles.c.content_hash).where(
            articles.c.content_hash.in_(hashes[i:i + 500]))).scalars())
    return found


def _near_duplicate(conn: Connection, sig: Signature) -> tuple[int, float] | None:
    buckets = sig.buckets()
    ids = conn.execute(select(minhash_bands.c.article_id).distinct().where(
        tuple_(minhash_bands.c.band, minhash_bands.c.bucket).in_(buckets))).scalars().all()
    if not ids:
        return None
    best: tuple[int, float] | None = None
    for aid, blob in conn.execute(select(articles.c.id, articles.c.minhash)
                                  .where(articles.c.id.in_(ids)).order_by(articles.c.id)):
        score = sig.jaccard(Signature.from_bytes(blob))
        if score >= THRESHOLD and (best is None or score > best[1]):
            best = (aid, score)
    return best


def _store_document(conn: Connection, article: Article, doc: Document, digest: str,
                    rule: FusionRule, report: IngestReport) -> None:
    sig = Signature.of(article.text)
    dup = _near_duplicate(conn, sig)
    published = _as_date(doc.published or article.published)
    article_id = conn.execute(insert(articles).values(
        doc_id=article.id[:300],
        source=article.source,
        url=article.url,
        published=published,
        title=doc.title or article.title,
        text=article.text,
        content_hash=digest,
        near_duplicate_of=dup[0] if dup else None,
        similarity=round(dup[1], 4) if dup else None,
        minhash=sig.to_bytes(),
        ingested_at=now(),
        document=doc.model_dump(mode="json", exclude={"text"}),
    ).returning(articles.c.id)).scalar_one()
    report.stored += 1
    if dup:
        report.near_duplicates += 1
        canonical = dup[0]
    else:
        canonical = article_id
        conn.execute(insert(minhash_bands), [
            {"band": b, "bucket": k, "article_id": article_id} for b, k in sig.buckets()])

    actor_rows: dict[str, tuple[int, Party]] = {}
    for a in doc.actors:
        key = a.country or a.name
        aid = conn.execute(insert(actors).values(
            article_id=article_id, local_id=a.id, name=a.name, kind=a.kind,
            country=a.country, sector=a.sector, key=key, aliases=a.aliases,
            spans=[s.model_dump() for s in a.mentions],
        ).returning(actors.c.id)).scalar_one()
        actor_rows[a.id] = (aid, Party(key=key, name=a.name, country=a.country,
                                       kind=a.kind, role="participant"))

    mention_ids: dict[str, int] = {}
    fused_of: dict[str, int] = {}
    for event in doc.events:
        mention_id, rep = _store_mention(conn, article_id, canonical, published, event,
                                         actor_rows)
        mention_ids[event.id] = mention_id
        fused_of[event.id] = _fuse(conn, rep, rule, report)
        report.events += 1

    for c in doc.conflicts:
        if c.event not in mention_ids:
            continue
        fid = fused_of[c.event]
        conn.execute(insert(conflicts).values(
            fused_event_id=fid, mention_id=mention_ids[c.event], scope="document",
            kind=c.kind, detail=c.detail, created_at=now(),
            evidence=[{"article_id": article_id, "start": s.start, "end": s.end}
                      for s in c.evidence]))
        conn.execute(update(fused_events).where(fused_events.c.id == fid)
                     .values(disputed=True))
        report.conflicts += 1


def _store_mention(conn: Connection, article_id: int, canonical: int,
                   published: date | None, event: Event,
                   actor_rows: dict[str, tuple[int, Party]]) -> tuple[int, Report]:
    first = event.mentions[0] if event.mentions else None
    event_date = _as_date(event.date.value)
    place = event.place
    mention_id = conn.execute(insert(mentions).values(
        article_id=article_id, event_local_id=event.id, type=event.type, mode=event.mode,
        context=event.context, factuality=event.factuality, confidence=event.confidence,
        date=event_date, date_precision=event.date.precision if event_date else None,
        date_disputed=event.date.disputed,
        place_name=place.name if place else None,
        place_country=place.country if place else None,
        lat=place.lat if place else None, lon=place.lon if place else None,
        mention_start=first.start if first else None,
        mention_end=first.end if first else None,
        trigger_start=first.trigger.start if first else None,
        trigger_end=first.trigger.end if first else None,
        spans=[m.model_dump() for m in event.mentions],
    ).returning(mentions.c.id)).scalar_one()
    parties: dict[str, Party] = {}
    rows: dict[int, dict] = {}
    for position, p in enumerate(event.participants):
        if p.actor not in actor_rows:
            continue
        aid, party = actor_rows[p.actor]
        rows.setdefault(aid, {"mention_id": mention_id, "actor_id": aid, "position": position,
                              "key": party.key, "role": p.role, "disputed": p.disputed})
        parties.setdefault(party.key, Party(key=party.key, name=party.name,
                                            country=party.country, kind=party.kind,
                                            role=p.role))
    if rows:
        conn.execute(insert(mention_participants), list(rows.values()))
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
        mention_id=mention_id,
    )
    return mention_id, rep


# -- cross-report fusion against the stored fused events ------------------------------

def _candidates(conn: Connection, rule: FusionRule, rep: Report) -> list[Fused]:
    """Fused events a report could join: type + anchor window, sharing a participant.

    Served by the (type, anchor_date) index; the archive outside the window is never read.
    """
    if rep.anchor is None or not rep.keys:
        return []
    lo, hi = rule.window(rep.anchor)
    ids = conn.execute(select(fused_events.c.id).where(
        fused_events.c.type.in_(rule.types_for(rep.type)),
        fused_events.c.anchor_date.between(lo, hi),
        exists().where(and_(fused_participants.c.fused_event_id == fused_events.c.id,
                            fused_participants.c.key.in_(sorted(rep.keys)))),
    ).order_by(fused_events.c.id)).scalars().all()
    return load_fused(conn, ids)


def load_fused(conn: Connection, ids: Sequence[int]) -> list[Fused]:
    """Fused events with their reports, rebuilt from the stored mentions."""
    if not ids:
        return []
    rows = conn.execute(
        select(fused_event_mentions.c.fused_event_id,
               fused_event_mentions.c.canonical_article_id, mentions, articles.c.published)
        .join(mentions, mentions.c.id == fused_event_mentions.c.mention_id)
        .join(articles, articles.c.id == mentions.c.article_id)
        .where(fused_event_mentions.c.fused_event_id.in_(ids))
        .order_by(mentions.c.id)).mappings().all()
    parties: dict[int, list[Party]] = {}
    mids = [r["id"] for r in rows]
    for i in range(0, len(mids), 500):
        for p in conn.execute(
                select(mention_participants.c.mention_id, mention_participants.c.key,
                       mention_participants.c.role, actors.c.name, actors.c.country,
                       actors.c.kind)
                .join(actors, actors.c.id == mention_participants.c.actor_id)
                .where(mention_participants.c.mention_id.in_(mids[i:i + 500]))
                .order_by(mention_participants.c.mention_id,
                          mention_participants.c.position)).mappings():
            lst = parties.setdefault(p["mention_id"], [])
            if all(x.key != p["key"] for x in lst):
                lst.append(Party(key=p["key"], name=p["name"], country=p["country"],
                                 kind=p["kind"], role=p["role"]))
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
            span=(r["mention_start"] or 0, r["mention_end"] or 0), mention_id=r["id"]))
    return [fused[i] for i in ids if fused[i].members]


def _fuse(conn: Connection, rep: Report, rule: FusionRule, report: IngestReport) -> int:
    match = best_match(rule, rep, _candidates(conn, rule, rep))
    if match is None:
        fused = Fused(id=None, members=[rep])
        fid = _write_fused(conn, fused, disputed=False)
        report.fused_new += 1
    else:
        found = disagreements(rule, rep, match)
        match.members.append(rep)
        fid = _write_fused(conn, match, disputed=bool(found))
        _write_conflicts(conn, fid, rep, found)
        report.fused_joined += 1
        report.conflicts += len(found)
    conn.execute(insert(fused_event_mentions).values(
        fused_event_id=fid, mention_id=rep.mention_id, article_id=rep.article_id,
        canonical_article_id=rep.canonical_id))
    return fid


def _write_fused(conn: Connection, fused: Fused, *, disputed: bool) -> int:
    s = fused.summary()
    values = {
        "type": s.type, "mode": s.mode, "context": s.context, "factuality": s.factuality,
        "date": s.date, "date_precision": s.precision, "date_disputed": s.date_disputed,
        "ref_date": s.ref_date, "anchor_date": s.anchor_date, "place_name": s.place_name,
        "place_country": s.place_country, "lat": s.lat, "lon": s.lon,
        "source_count": s.source_count, "mention_count": s.mention_count,
        "confidence": s.confidence, "updated_at": now(),
    }
    if fused.id is None:
        fid = conn.execute(insert(fused_events).values(
            **values, disputed=disputed or s.date_disputed, created_at=now(),
        ).returning(fused_events.c.id)).scalar_one()
    else:
        fid = fused.id
        was = conn.execute(select(fused_events.c.disputed)
                           .where(fused_events.c.id == fid)).scalar_one()
        conn.execute(update(fused_events).where(fused_events.c.id == fid).values(
            **values, disputed=bool(was) or disputed or s.date_disputed))
        conn.execute(delete(fused_participants)
                     .where(fused_participants.c.fused_event_id == fid))
    if s.parties:
        conn.execute(insert(fused_participants), [
            {"fused_event_id": fid, "key": p.key, "position": i, "name": p.name,
             "country": p.country, "kind": p.kind, "role": p.role}
            for i, p in enumerate(s.parties)])
    return fid


def _write_conflicts(conn: Connection, fid: int, rep: Report,
                     found: Sequence[Disagreement]) -> None:
    for d in found:
        conn.execute(insert(conflicts).values(
            fused_event_id=fid, mention_id=rep.mention_id, scope="reports", kind=d.kind,
            detail=d.detail, evidence=list(d.evidence), created_at=now()))
