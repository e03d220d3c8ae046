"""The dateline: the place of reporting at the head of an article.

"NAIROBI —", "Lima:", "KYIV, Ukraine (VOA) -", "GOMA, March 3 (Kivu Wire) —", also
misspelt ("NAIRBI —"): the
place is matched against the gazetteer, with typo tolerance, since a dateline is a
place context.
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
    (?:,\s*(?!""" + _MONTH + r"""\s\d)(?P<region>[A-Z][A-Za-z.'’]+(?:\s[A-Za-z][A-Za-z.'’]+){0,3}))?
                                                                    # , Democratic Republic of Congo
    (?:,?\s*(?P<day>""" + _MONTH + r"""\s\d{1,2}|\d{1,2}\s""" + _MONTH + r"""))?  # , March 7
    (?:\s*\((?P<agency>[A-Za-z .&'’\-]{1,40})\))?                  # (Reuters), (Kivu Monitor Wire)
    \s*(?P<sep>—|–|--|-|:)\s""",
    re.X,
)
def find_dateline(text: str, cues: CleanCues, gaz: Gazetteer) -> Dateline | None:
    m = _DATELINE.match(text[:120])
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
    start = len(m.group("lead"))
    end = m.end() - 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Dateline(place=place, raw=text[start:end], start=start, end=end)
