"""Clean: find inline boilerplate and the dateline; nothing is deleted, spans are reported.

The ``clean`` stage assigns ``removed`` (boilerplate lines, kept in the text but never
coded), ``dateline``, ``codable`` (the text with both blanked out, same length) and
``signature``: the MinHash signature of the whole text (``parley.clean.minhash``),
which the store compares to recognise a syndicated copy.
"""

from __future__ import annotations

from dataclasses import replace

from parley.clean.boilerplate import find_boilerplate
from parley.clean.dateline import find_dateline
from parley.clean.minhash import signature
from parley.model import Removed, Work


def codable_text(text: str, removed: list[Removed] | tuple[Removed, ...]) -> str:
    """The article text with removed spans blanked out (same length, same offsets)."""
    if not removed:
        return text
    chars = list(text)
    for r in removed:
        for i in range(r.start, r.end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


class Clean:
    name = "clean"
    requires: tuple[str, ...] = ("article",)
    assigns: tuple[str, ...] = ("removed", "dateline", "codable", "signature")

    def __call__(self, work: Work) -> Work:
        k = work.knowledge
        text = work.article.text
        removed = find_boilerplate(text, k.cues.clean)
        dateline = find_dateline(text, k.cues.clean, k.gazetteer)
        skip = list(removed)
        if dateline is not None:
            # the dateline names where the report was filed, not an actor: keep it out of
            # parsing
            skip.append(Removed(start=dateline.start, end=dateline.end, text=dateline.raw,
                                reason="dateline"))
        return replace(work, removed=tuple(removed), dateline=dateline,
                       codable=codable_text(text, skip), signature=signature(text))


__all__ = ["Clean", "codable_text", "find_boilerplate", "find_dateline"]
