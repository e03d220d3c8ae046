"""Inline boilerplate inside an article body.

Lines such as "Also Read: ...", "Related: ...", "Read more: ..." or a bare
"ALSO READ" followed by an unrelated headline are links to other stories. They stay
in ``text`` (offsets must not move) but are reported in ``removed`` and never coded.
"""

from __future__ import annotations

import re

from parley.model import Removed

_CUE = (
    r"also\s+read|read\s+also|read\s+more|more\s+to\s+read|related(?:\s+(?:stories|story|"
    r"articles?|news|content|reading|coverage))?|see\s+also|recommended(?:\s+stories)?|"
    r"you\s+may\s+also\s+like|you\s+might\s+also\s+like|must\s+read|don'?t\s+miss|"
    r"trending|watch|listen|click\s+here|subscribe|sign\s+up|follow\s+us|advertisement|"
    r"story\s+continues\s+below|continue\s+reading|more\s+on\s+this|further\s+reading"
)
# A cue followed by a separator and a (short) headline: "Also Read: Headline"
_CUE_WITH_TEXT = re.compile(rf"^\W{{0,3}}(?:{_CUE})\s*(?::|\||-|–|—|»|>>|\.\.\.)\s*\S", re.I)
# A cue alone on its line ("ALSO READ"): the next short line is its headline.
_CUE_ALONE = re.compile(rf"^\W{{0,3}}(?:{_CUE})\s*[:|\-–—»>]*\s*$", re.I)
# Shouted cue without separator: "ALSO READ Celebrity chef opens ..."
_CUE_CAPS = re.compile(r"^(?:ALSO READ|READ MORE|READ ALSO|RELATED|SEE ALSO)\s+\S")

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


def find_boilerplate(text: str) -> list[Removed]:
    """Return the boilerplate lines of ``text`` as ``Removed`` spans, in order."""
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
        if _CUE_ALONE.match(line):
            removed.append(Removed(start=start, end=end, text=line, reason="related-link cue"))
            skip_next = i + 1 < len(spans)
        elif _CUE_WITH_TEXT.match(line) or _CUE_CAPS.match(line):
            removed.append(Removed(start=start, end=end, text=line, reason="related-link"))
    return removed
