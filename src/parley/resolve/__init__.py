"""Resolve: when and where each candidate event happened.

The ``dates`` stage attaches the date expression nearest the trigger in the parse
(``resolve.dates`` turns it into a value and precision against the publication date);
the ``places`` stage finds the place named in the sentence ("in Moscow"), else the
dateline (``resolve.places``). Both assign new candidates (``dataclasses.replace``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from parley.model import Candidate, DateRef, Work
from parley.parse.nlp import entities_in, sentence_of
from parley.resolve.dates import resolve as resolve_date
from parley.resolve.places import place_for

_DATE_LABELS = frozenset({"DATE", "TIME"})


def _attachment(ent: Any, tok: Any) -> int:
    """How closely a date expression attaches to the trigger: 0 governs it directly, 1
    through the trigger's head, more the further away it sits."""
    node, steps = ent.root, 0
    while node.head is not node and steps < 6:
        node, steps = node.head, steps + 1
        if node.i == tok.i:
            return 0
        if node.i == tok.head.i:
            return 1
    return 2 + abs(ent.start - tok.i) // 10


def date_of(work: Work, cand: Candidate) -> DateRef | None:
    tok = work.doc[cand.head_i]
    dates = entities_in(sentence_of(tok), _DATE_LABELS)
    cues = work.knowledge.cues.dates
    for ent in sorted(dates, key=lambda e: _attachment(e, tok)):
        resolved = resolve_date(ent.text, work.published, cues)
        if resolved.value and resolved.precision:
            return DateRef(resolved.value, resolved.precision, ent.start_char, ent.end_char)
    return None


class Dates:
    name = "dates"
    requires: tuple[str, ...] = ("doc", "candidates")
    assigns: tuple[str, ...] = ("dates",)

    def __call__(self, work: Work) -> Work:
        return replace(work, candidates=tuple(
            replace(c, date=date_of(work, c)) for c in work.candidates or ()))


class Places:
    name = "places"
    requires: tuple[str, ...] = ("doc", "candidates", "dateline")
    assigns: tuple[str, ...] = ("places",)

    def __call__(self, work: Work) -> Work:
        return replace(work, candidates=tuple(
            replace(c, place=place_for(work.doc, c.head_i, work.knowledge, work.dateline))
            for c in work.candidates or ()))


__all__ = ["Dates", "Places", "date_of"]
