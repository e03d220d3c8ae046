"""Dates: relative expressions resolved against the publication date.

News convention: a bare weekday names the most recent such day on or before the
publication date ("on Monday" in a Friday paper is four days earlier). Without a
publication date, relative expressions stay unresolved (None) rather than guessed.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from parley.knowledge.cues import DateCues

WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
def _year(year: int) -> date | None:
    return date(year, 1, 1) if 1 <= year <= 9999 else None


def _says(text: str, phrases: tuple[str, ...]) -> bool:
    return any(re.search(r"\b" + re.escape(p) + r"\b", text) for p in phrases)


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    value: date | None
    precision: str | None  # day | week | month | year; value is the first day of it


def _shift_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


def _closest_year(month: int, day: int | None, pub: date) -> int:
    """The year that puts month/day nearest the publication date."""
    best = None
    for year in (pub.year - 1, pub.year, pub.year + 1):
        try:
            cand = date(year, month, day or 1)
        except ValueError:
            continue
        if best is None or abs((cand - pub).days) < abs((best - pub).days):
            best = cand
    return best.year if best else pub.year


_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_YEAR = re.compile(r"\b(1[89]\d{2}|20\d{2})\b")
_AGO = re.compile(r"\b(\d+|[a-z]+)\s+(day|week|month|year|decade)s?\s+ago\b")
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?\b")
_MONTH_DAY = re.compile(r"\b([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b")


def resolve(expression: str, published: date | None, cues: DateCues) -> ResolvedDate:
    """Resolve one date expression (a spaCy DATE entity's text) to a value and precision."""
    text = expression.lower().strip()
    text = re.sub(r"[,\u2019']", " ", text)
    text = re.sub(r"\s+", " ", text)
    none = ResolvedDate(None, None)

    m = _ISO.search(text)
    if m:
        try:
            return ResolvedDate(date(int(m[1]), int(m[2]), int(m[3])), "day")
        except ValueError:
            return none
    year_m = _YEAR.search(text)
    explicit_year = int(year_m[1]) if year_m else None

    for rx, order in ((_MONTH_DAY, "md"), (_DAY_MONTH, "dm")):
        for m in rx.finditer(text):
            a, b = m.group(1), m.group(2)
            month_word, day_s = (a, b) if order == "md" else (b, a)
            if month_word in MONTHS:
                day_n, month_n = int(day_s), MONTHS[month_word]
                year = explicit_year or (
                    _closest_year(month_n, day_n, published) if published else None)
                if year is None:
                    return none
                try:
                    return ResolvedDate(date(year, month_n, day_n), "day")
                except ValueError:
                    return none
    words = text.split()
    for i, word in enumerate(words):
        if word not in MONTHS:
            continue
        # "may" is usually the modal verb: a month only with a year or a preposition before it
        if word == "may" and not (explicit_year or (i > 0 and words[i - 1] in cues.may_month_cues)):
            continue
        month_n = MONTHS[word]
        year = explicit_year
        if year is None and published is not None:
            year = _closest_year(month_n, None, published)
            first = date(year, month_n, 1)
            if "last" in words and first >= published.replace(day=1):
                year -= 1
            if "next" in words and first <= published:
                year += 1
        if year is None:
            return none
        return ResolvedDate(date(year, month_n, 1), "month")
    if explicit_year and not re.search(r"\b\d{4}s\b", text):
        return ResolvedDate(date(explicit_year, 1, 1), "year")
    if published is None:
        return none
    for i, word in enumerate(words):
        if word in WEEKDAYS:
            target = WEEKDAYS[word]
            back = (published.weekday() - target) % 7
            if i > 0 and words[i - 1] == "next":
                fwd = (target - published.weekday()) % 7 or 7
                return ResolvedDate((published + timedelta(days=fwd)), "day")
            if i > 0 and words[i - 1] == "last" and back == 0:
                back = 7
            return ResolvedDate((published - timedelta(days=back)), "day")
    if _says(text, cues.today):
        return ResolvedDate(published, "day")
    if _says(text, cues.yesterday):
        return ResolvedDate((published - timedelta(days=1)), "day")
    if _says(text, cues.tomorrow):
        return ResolvedDate((published + timedelta(days=1)), "day")
    m = _AGO.search(text)
    if m:
        n = int(m[1]) if m[1].isdigit() else cues.number_words.get(m[1])
        unit = m[2]
        if n is None:
            return none
        if unit == "day":
            return ResolvedDate((published - timedelta(days=n)), "day")
        if unit == "week":
            return ResolvedDate((published - timedelta(weeks=n)), "week")
        if unit == "month":
            return ResolvedDate(_shift_months(published, -n), "month")
        if unit == "year":
            return ResolvedDate(_year(published.year - n), "year")
        return ResolvedDate(_year(published.year - 10 * n), "year")
    rel = re.search(r"\b(" + "|".join(map(re.escape, cues.relative_steps))
                    + r")\s+(week|month|year)\b", text)
    if rel:
        which, unit = rel.group(1), rel.group(2)
        step = cues.relative_steps[which]
        if unit == "week":
            monday = published - timedelta(days=published.weekday()) + timedelta(weeks=step)
            return ResolvedDate(monday, "week")
        if unit == "month":
            return ResolvedDate(_shift_months(published, step), "month")
        return ResolvedDate(_year(published.year + step), "year")
    return none
