"""Long texts coded in bounded pieces, so time and memory grow linearly with length.

A text longer than ``max_piece_chars`` (defaults.toml) is cleaned whole (boilerplate,
dateline and the text's signature are the whole article's), then cut into pieces at
paragraph breaks, else sentence ends, else spaces (``parse.nlp.split_points``); each
piece goes through the rest of the pipeline as a text of its own, and ``merge`` puts the
pieces' documents back into one document of the whole text: every offset shifted to the
whole text, actors that name the same entity joined, events and actors numbered again in
text order.

What a piece cannot see: an event told in two pieces stays two events, and the
context a piece's first sentences would take from the end of the one before (a date,
"the group") is not there. A news article is far shorter than a piece (the 89 VOA
stories and the corpus articles: at most 7,108 characters against 50,000); this is for
the input that is not one, such as a whole feed pasted as one line, which took 3.1 GB
of memory whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from parley.model import Article, Document, Work
from parley.parse.nlp import split_points


def split(work: Work, limit: int) -> list[tuple[int, Work]]:
    """A cleaned work as (offset, piece) works; one piece, itself, when short enough."""
    text, codable = work.article.text, work.codable or ""
    if len(text) <= limit:
        return [(0, work)]
    bounds = [0, *split_points(text, limit), len(text)]
    out = []
    for a, b in zip(bounds, bounds[1:]):
        article = Article(id=work.article.id, text=text[a:b],
                          published=work.article.published, title=work.article.title)
        removed = tuple(replace_span(r, -a) for r in work.removed or ()
                        if a <= r.start and r.end <= b)
        dateline = work.dateline if a == 0 else None
        out.append((a, replace(work, article=article, removed=removed, dateline=dateline,
                               codable=codable[a:b], signature=None)))
    return out


def replace_span(model: Any, shift: int) -> Any:
    """A copy of a record with every ``start``/``end`` in it (nested too) moved by
    ``shift``."""
    changes: dict[str, Any] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if name in ("start", "end") and isinstance(value, int):
            changes[name] = value + shift
        elif hasattr(value, "model_fields"):
            changes[name] = replace_span(value, shift)
        elif isinstance(value, list) and value and hasattr(value[0], "model_fields"):
            changes[name] = [replace_span(v, shift) for v in value]
    return model.model_copy(update=changes) if changes else model


def merge(work: Work, pieces: Sequence[tuple[int, Document]]) -> Document:
    """One document of the whole text from the pieces' documents (offset, document)."""
    if len(pieces) == 1 and pieces[0][0] == 0:
        doc = pieces[0][1]
        return doc if doc.signature == work.signature else doc.model_copy(
            update={"signature": work.signature})
    first = pieces[0][1]
    actors: dict[Any, Any] = {}   # entity key -> merged actor
    events: list[Any] = []
    conflicts: list[Any] = []
    for offset, doc in pieces:
        actor_id: dict[str, str] = {}
        for actor in doc.actors:
            a = replace_span(actor, offset)
            key = a.kb_id or (a.name.lower(), a.kind, a.country)
            have = actors.get(key)
            if have is None:
                have = a.model_copy(update={"id": f"a{len(actors) + 1}"})
            else:
                have = have.model_copy(update={
                    "aliases": [*have.aliases, *(x for x in a.aliases if x not in have.aliases)],
                    "mentions": [*have.mentions, *a.mentions]})
            actors[key] = have
            actor_id[actor.id] = have.id
        event_id: dict[str, str] = {}
        for event in doc.events:
            e = replace_span(event, offset)
            event_id[event.id] = new = f"e{len(events) + 1}"
            events.append(e.model_copy(update={
                "id": new,
                "participants": [p.model_copy(update={"actor": actor_id[p.actor]})
                                 for p in e.participants]}))
        for c in doc.conflicts:
            conflicts.append(replace_span(c, offset).model_copy(
                update={"event": event_id[c.event]}))
    return first.model_copy(update={
        "text": work.article.text,
        "removed": list(work.removed or ()),
        "dateline": work.dateline,
        "actors": list(actors.values()),
        "events": events,
        "conflicts": conflicts,
        "signature": work.signature,
    })


__all__ = ["merge", "replace_span", "split"]
