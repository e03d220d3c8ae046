"""The dateline: the place of reporting at the head of an article.

"NAIROBI —", "Lima:", "KYIV, Ukraine (VOA) -", "GOMA, March 3 (Kivu Wire) —",
"MOGADISHU/ADDIS ABABA, Jan 3 (...) —" (filed from two places: the first is kept), also
misspelt ("NAIRBI —"): the
place is matched against the gazetteer, with typo tolerance, since a dateline is a
place context. It opens the text or the first paragraph after a headline and a byline
("By Hisham Al-Rawi and Claire Mendelson\n\nSANAA, Yemen, April 7 (...) —").
"""

from __future__ import annotations

import re

from parley.knowledge.cues import CleanCues
from parley.knowledge.gazetteer import Gazetteer
from parley.model import Dateline

_MONTH = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?")
_DATELINE = re.compile(
    r"""^(?P<lead>\s*)
    (?P<place>[A-Z][A-Za-z'’.\-]+(?:\s[A-Z][A-Za-z'’.\-]+){0,3})   # NAIROBI / Addis Ababa / Lima
    (?:/(?P<also>[A-Z][A-Za-z'’.\-]+(?:\s[A-Z][A-Za-z'’.\-]+){0,3}))?  # /ADDIS ABABA
    (?:,\s*(?!""" + _MONTH + r"""\s\d)(?P<region>[A-Z][A-Za-z.'’]+(?:\s[A-Za-z][A-Za-z.'’]+){0,3}))?
                                                                    # , Democratic Republic of Congo
    (?:,?\s*(?P<day>""" + _MONTH + r"""\s\d{1,2}|\d{1,2}\s""" + _MONTH + r"""))?  # , March 7
    (?:\s*\((?P<agency>[A-Za-z .&'’\-]{1,40})\))?                  # (Reuters), (Kivu Monitor Wire)
    \s*(?P<sep>—|–|--|-|:)\s""",
    re.X,
)
# what may stand above the dateline: at most this many paragraphs (a headline, a byline),
# each short and not a sentence of the story
HEAD_PARAGRAPHS = 2
HEAD_CHARS = 160
_PARAGRAPH = re.compile(r"\n\s*\n|\n")


def find_dateline(text: str, cues: CleanCues, gaz: Gazetteer) -> Dateline | None:
    offset = 0
    for _ in range(HEAD_PARAGRAPHS + 1):
        found = _dateline_at(text, offset, cues, gaz)
        if found is not None:
            return found
        brk = _PARAGRAPH.search(text, offset)
        head = text[offset : brk.start()].strip() if brk else ""
        if (brk is None or not head or len(head) > HEAD_CHARS
                or head.endswith((".", ",", ";", ":", "—", "-"))):
            return None
        offset = brk.end()
    return None


def _dateline_at(text: str, offset: int, cues: CleanCues, gaz: Gazetteer
                 ) -> Dateline | None:
    m = _DATELINE.match(text[offset : offset + 120])
    if not m:
        return None
    raw_place = m.group("place")
    if raw_place.lower() in cues.dateline_non_places:
        return None
    # Title-case datelines ("Lima:") need the colon or dash right after the place;
    # require the place to be upper case or a known place, so "Officials said: ..." fails.
    hit = gaz.fuzzy(raw_place, min_score=80.0)
    if hit is not None:
        place = hit[0].name
    elif raw_place.isupper() or (m.group("region") and gaz.lookup(m.group("region"))):
        place = raw_place.title() if raw_place.isupper() else raw_place
    else:
        return None
    start = offset + len(m.group("lead"))
    end = offset + m.end() - 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Dateline(place=place, raw=text[start:end], start=start, end=end)
