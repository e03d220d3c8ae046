"""The coding pipeline: ``Article -> Document``.

Stages, in order (each reads what earlier ones wrote):
  clean      boilerplate lines and the dateline           -> removed, dateline
  parse      spaCy over the codable text (same offsets)    -> Doc
  actors     KB and named-entity mentions                  -> ActorIndex
  extract    triggers, participants, factuality            -> EventMention[]
  resolve    dates and places per mention
  fuse       one event per real-world event; conflicts     -> Event[], Conflict[]
``code_article`` is the library function; the CLI, the store and the API call it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from datetime import date

from parley.clean import find_boilerplate, find_dateline
from parley.extract.events import EventMention, extract_mentions
from parley.extract.lexicon import get_lexicon
from parley.fuse.document import cluster_mentions, disputed_participants, resolve_date
from parley.model import (
    Actor,
    Article,
    Conflict,
    Dateline,
    Document,
    Event,
    Mention,
    Participant,
    Removed,
    Span,
)
from parley.parse.nlp import (
    CHUNK_CHARS,
    codable_text,
    entities_in,
    get_nlp,
    parse_long,
    sentence_of,
)
from parley.resolve.actors import ActorIndex, Ref
from parley.resolve.dates import resolve as resolve_date_expr
from parley.resolve.kb import get_kb
from parley.resolve.places import place_for

_SYMMETRIC = frozenset({"AGREE", "CONSULT", "COOPERATE"})
_DATE_LABELS = frozenset({"DATE", "TIME"})


def _prepare(article: Article) -> tuple[list[Removed], Dateline | None, str]:
    removed = find_boilerplate(article.text)
    dateline = find_dateline(article.text)
    skip = list(removed)
    if dateline is not None:
        # the dateline names where the report was filed, not an actor: keep it out of parsing
        skip.append(Removed(start=dateline.start, end=dateline.end, text=dateline.raw,
                            reason="dateline"))
    return removed, dateline, codable_text(article.text, skip)


def _published(article: Article) -> date | None:
    try:
        return date.fromisoformat(article.published) if article.published else None
    except ValueError:
        return None


def _date_mentions(doc, mentions: list[EventMention], published: date | None) -> None:
    for m in mentions:
        tok = doc[m.head_i]
        sent = sentence_of(tok)
        dates = entities_in(sent, _DATE_LABELS)
        if not dates:
            continue

        def attached(ent, tok=tok) -> int:
            node, steps = ent.root, 0
            while node.head is not node and steps < 6:
                node, steps = node.head, steps + 1
                if node.i == tok.i:
                    return 0
                if node.i == tok.head.i:
                    return 1
            return 2 + abs(ent.start - tok.i) // 10

        for ent in sorted(dates, key=attached):
            resolved = resolve_date_expr(ent.text, published)
            if resolved.value:
                m.date_value, m.date_precision = resolved.value, resolved.precision
                m.date_expr = (ent.start_char, ent.end_char)
                break


def _confidence(m: EventMention) -> float:
    score = m.weight * (0.9 if (m.actors or m.recipients) else 0.6)
    # a trigger deep in the clause ("... said it would consider talks") is less often the
    # event the sentence reports than one at its root
    score *= 1.0 - min(0.4, 0.07 * m.depth)
    if m.nominal:
        score *= 0.95
    if m.subordinate:
        score *= 0.8
    return round(max(0.05, min(1.0, score)), 3)


def _build_document(article: Article, doc, removed, dateline) -> Document:
    kb = get_kb()
    published = _published(article)
    index = ActorIndex.build(doc, kb, published)
    mentions = extract_mentions(doc, index, get_lexicon())
    _date_mentions(doc, mentions, published)
    for m in mentions:
        m.place = place_for(doc, m.head_i, kb, dateline)

    actor_ids: dict[str, str] = {}
    actor_refs: dict[str, dict[tuple[int, int], Ref]] = {}

    def actor_id(ref: Ref) -> str:
        if ref.key not in actor_ids:
            actor_ids[ref.key] = f"a{len(actor_ids) + 1}"
            actor_refs[ref.key] = {}
        actor_refs[ref.key].setdefault((ref.start, ref.end), ref)
        return actor_ids[ref.key]

    for ref in index.all_refs():
        actor_id(ref)

    events: list[Event] = []
    conflicts: list[Conflict] = []
    for n, cluster in enumerate(cluster_mentions(mentions), start=1):
        eid = f"e{n}"
        first = cluster.mentions[0]
        disputed, part_conflicts = disputed_participants(cluster, eid)
        event_date, date_conflicts = resolve_date(cluster, eid)
        participants: list[Participant] = []
        seen: set[str] = set()
        refs_all = [(r, "actor") for m in cluster.mentions for r in m.actors] + [
            (r, "recipient") for m in cluster.mentions for r in m.recipients]
        # "A, B and C met": everyone takes part alike; "A met B" keeps who met whom
        n_actors = len({r.key for r, role in refs_all if role == "actor"})
        symmetric = first.type in _SYMMETRIC and (
            n_actors != 1 or len({r.key for r, _ in refs_all}) > 2)
        for ref, role in refs_all:
            if ref.key in seen:
                continue
            seen.add(ref.key)
            participants.append(Participant(
                actor=actor_id(ref),
                role="participant" if symmetric else role,
                disputed=ref.key in disputed,
            ))
        place = next((m.place for m in cluster.mentions if m.place is not None), None)
        events.append(Event(
            id=eid,
            type=first.type,
            mode=first.mode,
            context=None,
            factuality=first.factuality,
            participants=participants,
            date=event_date,
            place=place,
            mentions=[Mention(start=m.sent_start, end=m.sent_end,
                              trigger=Span(start=m.trigger_start, end=m.trigger_end))
                      for m in cluster.mentions],
            confidence=max(_confidence(m) for m in cluster.mentions),
        ))
        conflicts.extend(date_conflicts)
        conflicts.extend(part_conflicts)

    actors = []
    for key, aid in actor_ids.items():
        refs = list(actor_refs[key].values())
        head = refs[0]
        actors.append(Actor(
            id=aid, name=head.name, kind=head.kind, country=head.country, sector=head.sector,
            aliases=list(dict.fromkeys(r.surface for r in refs)),
            mentions=[Span(start=s, end=e) for s, e in sorted({(r.start, r.end) for r in refs})],
        ))
    return Document(
        id=article.id,
        published=article.published,
        title=article.title,
        text=article.text,
        dateline=dateline,
        removed=removed,
        actors=actors,
        events=events,
        conflicts=conflicts,
    )


def code_article(article: Article) -> Document:
    """Code one article into the document contract."""
    removed, dateline, codable = _prepare(article)
    return _build_document(article, parse_long(codable), removed, dateline)


def code_articles(articles: Iterable[Article], *, batch_size: int = 32,
                  n_process: int = 1) -> Iterator[Document]:
    """Code many articles with spaCy batching; results come back in input order."""
    buffer: deque[tuple[Article, list[Removed], Dateline | None, str]] = deque()

    def texts():
        for article in articles:
            removed, dateline, codable = _prepare(article)
            buffer.append((article, removed, dateline, codable))
            # very long texts are parsed separately, in pieces (see parse_long)
            yield codable if len(codable) <= CHUNK_CHARS else ""

    nlp = get_nlp()
    for doc in nlp.pipe(texts(), batch_size=batch_size, n_process=n_process):
        article, removed, dateline, codable = buffer.popleft()
        if len(codable) > CHUNK_CHARS:
            doc = parse_long(codable)
        yield _build_document(article, doc, removed, dateline)
