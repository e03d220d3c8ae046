"""The article view's text, cut into segments from the document's offsets.

Every annotation of a ``Document`` is a span: event triggers and sentences, actor
mentions, the date and place expressions behind each event, removed boilerplate, the
dateline, the two sides of a conflict. ``segments`` cuts the text at every span edge, so
each segment is covered by a fixed set of spans; the template writes one ``<span>`` per
segment with its kinds as classes and the ids of the events/actors as data attributes,
and the text itself always through autoescape.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from parley.model import Document

# kinds with a colour of their own (the legend); the others only mark what JS highlights
STYLED = ("trigger", "actor", "date", "place", "removed", "dateline")
KINDS = (*STYLED, "sentence", "conflict")


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str
    ref: str = ""  # event id ("e1"), actor id ("a1"), conflict anchor ("span-3-40")


@dataclass
class Segment:
    start: int
    end: int
    text: str
    refs: dict[str, list[str]] = field(default_factory=dict)  # kind -> ids
    anchors: list[str] = field(default_factory=list)  # element ids starting here

    @property
    def classes(self) -> str:
        return " ".join(f"h-{k}" for k in STYLED if k in self.refs)

    def attrs(self) -> dict[str, str]:
        """``data-*`` attributes: ``{"data-trigger": "e1 e2", ...}`` (values are ids)."""
        return {f"data-{k}": " ".join(v) for k, v in self.refs.items() if any(v)}


def anchor_id(start: int, end: int) -> str:
    """The element id of a span's anchor: links write ``#span-START-END``."""
    return f"span-{start}-{end}"


def segments(text: str, marks: Iterable[Mark]) -> list[Segment]:
    """Cut ``text`` at every mark edge; a sweep, O(n log n). A conflict mark also puts
    its anchor id on the segment where it starts."""
    n = len(text)
    clipped = [m for m in (Mark(max(0, min(m.start, n)), max(0, min(m.end, n)), m.kind, m.ref)
                           for m in marks) if m.start < m.end]
    anchor_at: dict[int, list[str]] = {}
    for m in clipped:
        if m.kind == "conflict":
            ids = anchor_at.setdefault(m.start, [])
            if m.ref not in ids:
                ids.append(m.ref)
    cuts = sorted({0, n, *(m.start for m in clipped), *(m.end for m in clipped)})
    opening: dict[int, list[int]] = {}
    closing: dict[int, list[int]] = {}
    for i, m in enumerate(clipped):
        opening.setdefault(m.start, []).append(i)
        closing.setdefault(m.end, []).append(i)
    active: set[int] = set()
    out: list[Segment] = []
    for a, b in pairwise(cuts):
        active.difference_update(closing.get(a, ()))
        active.update(opening.get(a, ()))
        refs: dict[str, list[str]] = {}
        for i in sorted(active):
            m = clipped[i]
            ids = refs.setdefault(m.kind, [])
            if m.ref and m.ref not in ids:
                ids.append(m.ref)
        out.append(Segment(start=a, end=b, text=text[a:b], refs=refs,
                           anchors=anchor_at.get(a, [])))
    return out


@dataclass(frozen=True)
class ConflictView:
    """A conflict beside the text: its sides as links to spans (here or elsewhere)."""

    kind: str
    detail: str
    scope: str
    event: str | None  # the local event id, for a document conflict
    fused_event: int | None
    sides: tuple[dict[str, Any], ...]  # {href, label, quote, here}


def document_marks(doc: Document) -> list[Mark]:
    marks: list[Mark] = []
    for e in doc.events:
        for m in e.mentions:
            marks.append(Mark(m.trigger.start, m.trigger.end, "trigger", e.id))
            marks.append(Mark(m.start, m.end, "sentence", e.id))
        for sp in e.date.evidence:
            marks.append(Mark(sp.start, sp.end, "date", e.id))
        if e.place is not None:
            for sp in e.place.evidence:
                marks.append(Mark(sp.start, sp.end, "place", e.id))
    for a in doc.actors:
        for sp in a.mentions:
            marks.append(Mark(sp.start, sp.end, "actor", a.id))
    for r in doc.removed:
        marks.append(Mark(r.start, r.end, "removed", r.reason))
    if doc.dateline is not None:
        marks.append(Mark(doc.dateline.start, doc.dateline.end, "dateline"))
    return marks


def _snippet(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def conflict_views(doc: Document, *, article_id: int | None = None,
                   stored: Iterable[Any] = (), titles: dict[int, str] | None = None,
                   texts: dict[int, str] | None = None, fused: dict[str, int] | None = None,
                   ) -> tuple[list[ConflictView], list[Mark]]:
    """The document's own conflicts and, for a stored article, the cross-report ones
    (``queries.ConflictRecord``) citing it; with the conflict marks of this text.
    ``titles`` and ``texts`` of the other articles label and quote their side."""
    views: list[ConflictView] = []
    marks: list[Mark] = []
    titles = titles or {}
    texts = texts or {}
    for c in doc.conflicts:
        sides = []
        for sp in c.evidence:
            aid = anchor_id(sp.start, sp.end)
            marks.append(Mark(sp.start, sp.end, "conflict", aid))
            sides.append({"href": "#" + aid, "label": f"characters {sp.start}-{sp.end}",
                          "quote": _snippet(doc.text[sp.start:sp.end]), "here": True})
        views.append(ConflictView(kind=c.kind, detail=c.detail, scope="document",
                                  event=c.event, fused_event=(fused or {}).get(c.event),
                                  sides=tuple(sides)))
    for c in stored:
        sides = []
        for ev in c.evidence:
            aid = anchor_id(ev["start"], ev["end"])
            here = ev["article_id"] == article_id
            if here:
                marks.append(Mark(ev["start"], ev["end"], "conflict", aid))
            other = titles.get(ev["article_id"]) or f"article {ev['article_id']}"
            source = doc.text if here else texts.get(ev["article_id"], "")
            sides.append({
                "href": ("#" if here else f"/articles/{ev['article_id']}#") + aid,
                "label": "this report" if here else other,
                "quote": _snippet(source[ev["start"]:ev["end"]]), "here": here})
        views.append(ConflictView(kind=c.kind, detail=c.detail, scope=c.scope, event=None,
                                  fused_event=c.event_id, sides=tuple(sides)))
    return views, marks


def event_data(doc: Document, fused: dict[str, int] | None = None) -> dict[str, Any]:
    """What app.js shows in the event panel, keyed by event id (rendered with
    ``tojson`` into a ``<script type="application/json">`` block)."""
    actors = {a.id: a for a in doc.actors}
    events: dict[str, Any] = {}
    for e in doc.events:
        parts = []
        for p in e.participants:
            a = actors.get(p.actor)
            parts.append({"actor": p.actor, "name": a.name if a else p.actor,
                          "country": a.country if a else None,
                          "kind": a.kind if a else None, "role": p.role,
                          "disputed": p.disputed})
        events[e.id] = {
            "id": e.id, "type": e.type, "mode": e.mode, "context": e.context,
            "factuality": e.factuality, "confidence": e.confidence,
            "participants": parts,
            "date": {"value": e.date.value.isoformat() if e.date.value else None,
                     "precision": e.date.precision, "disputed": e.date.disputed,
                     "candidates": [c.isoformat() for c in e.date.candidates],
                     "text": [doc.text[s.start:s.end] for s in e.date.evidence]},
            "place": (None if e.place is None else {
                "name": e.place.name, "country": e.place.country, "lat": e.place.lat,
                "lon": e.place.lon}),
            "triggers": [doc.text[m.trigger.start:m.trigger.end] for m in e.mentions],
            "fused": (fused or {}).get(e.id),
        }
    return {"events": events, "order": [e.id for e in doc.events]}


@dataclass(frozen=True)
class EventLine:
    """One entry of the event list beside the text."""

    id: str
    type: str
    trigger: str
    participants: str
    factuality: str
    fused: int | None


def event_lines(doc: Document, fused: dict[str, int] | None = None) -> list[EventLine]:
    actors = {a.id: a for a in doc.actors}
    out = []
    for e in doc.events:
        m = e.mentions[0] if e.mentions else None
        names = [actors[p.actor].name if p.actor in actors else p.actor
                 for p in e.participants]
        out.append(EventLine(id=e.id, type=e.type,
                             trigger=doc.text[m.trigger.start:m.trigger.end] if m else "",
                             participants=", ".join(names), factuality=e.factuality,
                             fused=(fused or {}).get(e.id)))
    return out


@dataclass(frozen=True)
class ArticleView:
    """Everything ``_document.html`` draws."""

    segments: list[Segment]
    events: list[EventLine]
    conflicts: list[ConflictView]
    data: dict[str, Any]
    counts: dict[str, int]


def article_view(doc: Document, *, article_id: int | None = None, stored: Iterable[Any] = (),
                 titles: dict[int, str] | None = None, texts: dict[int, str] | None = None,
                 fused: dict[str, int] | None = None) -> ArticleView:
    conflicts, conflict_marks = conflict_views(doc, article_id=article_id, stored=stored,
                                               titles=titles, texts=texts, fused=fused)
    marks = document_marks(doc) + conflict_marks
    counts = {k: sum(1 for m in marks if m.kind == k) for k in STYLED}
    return ArticleView(segments=segments(doc.text, marks), events=event_lines(doc, fused),
                       conflicts=conflicts, data=event_data(doc, fused), counts=counts)


def window_segments(doc: Document, start: int, end: int) -> list[Segment]:
    """The characters ``start``-``end`` of a document cut like the article view (same
    kinds, same ids), for quoting one side of a conflict with its spans highlighted.
    Segment offsets stay those of the whole text."""
    start, end = max(0, start), min(len(doc.text), end)
    marks = [Mark(max(m.start, start) - start, min(m.end, end) - start, m.kind, m.ref)
             for m in document_marks(doc) if m.start < end and m.end > start
             and m.kind != "sentence"]
    out = segments(doc.text[start:end], marks)
    for seg in out:
        seg.start += start
        seg.end += start
    return out
