"""Inline boilerplate inside an article body.

Lines such as "Also Read: ...", "Related: ...", "Read more: ..." or a bare
"ALSO READ" followed by an unrelated headline are links to other stories (the cue
phrases are data: ``clean`` in ``parley/data/lexicon/cues.yaml``). They stay
in ``text`` (offsets must not move) but are reported in ``removed`` and never coded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from parley.knowledge.cues import CleanCues
from parley.model import Removed


@dataclass(frozen=True)
class _Rules:
    with_text: re.Pattern[str]  # a cue, a separator and a headline: "Also Read: Headline"
    alone: re.Pattern[str]  # a cue alone on its line ("ALSO READ"): its headline follows
    caps: re.Pattern[str]  # a shouted cue without separator: "ALSO READ Celebrity chef ..."


@lru_cache(maxsize=8)
def _rules(cues: tuple[str, ...], caps: tuple[str, ...]) -> _Rules:
    # longest first, so "related stories" is tried before "related"
    words = sorted((c.split() for c in cues), key=len, reverse=True)
    cue = "|".join(r"\s+".join(re.escape(w) for w in phrase) for phrase in words)
    shouted = "|".join(re.escape(c) for c in sorted(caps, key=len, reverse=True))
    return _Rules(
        with_text=re.compile(rf"^\W{{0,3}}(?:{cue})\s*(?::|\||-|–|—|»|>>|\.\.\.)\s*\S", re.I),
        alone=re.compile(rf"^\W{{0,3}}(?:{cue})\s*[:|\-–—»>]*\s*$", re.I),
        caps=re.compile(rf"^(?:{shouted})\s+\S"),
    )


_MAX_LINE = 300  # a real paragraph that happens to start with "Related" is longer


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        end = pos + len(line)
        spans.append((pos, end))
        pos = end + 1
    return spans


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _headline_like(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 25 and len(line) <= 200


def find_boilerplate(text: str, cues: CleanCues) -> list[Removed]:
    """Return the boilerplate lines of ``text`` as ``Removed`` spans, in order."""
    rules = _rules(cues.related_link_cues, cues.related_link_caps)
    removed: list[Removed] = []
    spans = _lines(text)
    skip_next = False
    for i, (a, b) in enumerate(spans):
        start, end = _trimmed(text, a, b)
        if start == end:
            continue
        line = text[start:end]
        if skip_next:
            skip_next = False
            if _headline_like(line):
                removed.append(Removed(start=start, end=end, text=line,
                                       reason="related-link headline"))
                continue
        if len(line) > _MAX_LINE:
            continue
        if rules.alone.match(line):
            removed.append(Removed(start=start, end=end, text=line, reason="related-link cue"))
            skip_next = i + 1 < len(spans)
        elif rules.with_text.match(line) or rules.caps.match(line):
            removed.append(Removed(start=start, end=end, text=line, reason="related-link"))
    return removed
