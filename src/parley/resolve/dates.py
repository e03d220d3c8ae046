"""Dates: date expressions resolved against the publication date.

News conventions (``docs/kb.md``, "Dates"):

* a bare weekday, a month-day or a month without a year, and an ordinal ("the 15th")
  name the most recent such day on or before publication for a past event, and the
  next one for a future event (``future``: "will meet on Monday", "is due to sign");
* relative expressions count from publication: "yesterday", "last night", "two weeks
  ago" (the week that contains that day, from its Monday), "last month", "over the
  weekend" (its Saturday), "three years ago today" (that very day);
* numeric dates are month first in articles from the countries ``month_first_countries``
  lists and day first elsewhere, unless a part above 12 decides;
* offsets ("a week before March 10", "two days after the vote on Sunday") shift the date
  they name; ranges ("from Monday to Wednesday", "3 to 4 June") give their first day,
  and a past weekday range ends on or before publication.

Without a publication date, relative expressions stay unresolved rather than guessed.
Every word list comes from ``DateCues`` (``lexicon/cues.yaml``) or the calendar module.
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
UNITS = ("day", "week", "month", "year", "decade")


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    value: date | None
    precision: str | None  # day | week | month | year; value is the first day of it


NONE = ResolvedDate(None, None)


def _year(year: int) -> date | None:
    return date(year, 1, 1) if 1 <= year <= 9999 else None


def _says(text: str, phrases: tuple[str, ...] | list[str]) -> bool:
    return any(re.search(r"(?<![\w'])" + re.escape(p) + r"(?![\w'])", text) for p in phrases)


def _shift_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _dated(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_day(month: int, day: int, pub: date, future: bool) -> date | None:
    """The month-day on or before publication (past) or on or after it (future)."""
    for year in ((pub.year, pub.year + 1) if future else (pub.year, pub.year - 1)):
        d = _dated(year, month, day)
        if d is not None and (d >= pub if future else d <= pub):
            return d
    return _dated(pub.year, month, day)


def _weekday(target: int, pub: date, future: bool, *, last: bool = False,
             next_: bool = False) -> date:
    if next_:
        return pub + timedelta(days=(target - pub.weekday()) % 7 or 7)
    if future:  # "will meet on Tuesday" in a Tuesday story is that day ("next Tuesday" is not)
        return pub + timedelta(days=(target - pub.weekday()) % 7)
    back = (pub.weekday() - target) % 7
    if last and back == 0:
        back = 7
    return pub - timedelta(days=back)


def _normalise(expression: str) -> str:
    text = expression.lower().strip()
    text = text.replace("\u2019", "'")
    text = re.sub(r"\b(mid|early|late)-", r"\1 ", text)
    text = re.sub(r"(?<=[a-z])\.(?=\s|$)", "", text)  # "sept." "tues." "oct."
    text = re.sub(r"[,]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _number(word: str, cues: DateCues) -> int | None:
    return int(word) if word.isdigit() else cues.number_words.get(word)


class _Rules:
    """One resolution of one expression (so that the cue patterns are built once)."""

    def __init__(self, cues: DateCues):
        self.cues = cues
        self.weekdays = {**WEEKDAYS, **{k: int(v) for k, v in
                                        cues.weekday_abbreviations.items()}}
        units = "|".join(UNITS + tuple(cues.unit_words))
        numbers = "|".join(sorted(map(re.escape, cues.number_words), key=len, reverse=True))
        self.ago = re.compile(rf"\b(\d+|{numbers})\s+({units})s?\s+ago\b")
        offsets = "|".join(map(re.escape, cues.offsets))
        self.offset = re.compile(
            rf"^(?:(\d+|{numbers})\s+({units})s?|the\s+(day|week))\s+({offsets})\s+(.+)$")
        months = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
        rng = "|".join(map(re.escape, cues.range_words))
        self.md = re.compile(rf"\b({months})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b")
        self.dm = re.compile(
            rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s*(?:{rng})\s*\d{{1,2}}(?:st|nd|rd|th)?)?"
            rf"\s+(?:of\s+)?({months})\b")
        # "the 15th", not "the 19th century" or "the 3rd time" (``ordinal_nouns``)
        self.ordinal = re.compile(r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b" + _not_before(cues))
        self.numeric = re.compile(r"\b(\d{1,4})([/.\-])(\d{1,2})\2(\d{2,4})\b")
        self.iso = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
        self.year = re.compile(r"\b(1[89]\d{2}|20\d{2})\b")
        days = "|".join(sorted(map(re.escape, self.weekdays), key=len, reverse=True))
        self.weekday_range = re.compile(
            rf"\b({days})\b(?:'s)?\s*(?:{rng})\s*(?:the\s+)?({days})\b")
        self.weekday = re.compile(rf"\b({days})\b")

    def resolve(self, text: str, pub: date | None, future: bool, month_first: bool
                ) -> ResolvedDate:
        cues = self.cues
        m = self.offset.match(text)
        if m and pub is not None:
            inner = self.resolve(m.group(5), pub, future, month_first)
            if inner.value is not None and inner.precision == "day":
                n = _number(m.group(1), cues) if m.group(1) else 1
                unit = m.group(2) or m.group(3)
                if unit in cues.unit_words:
                    unit, k = cues.unit_words[unit]
                    n = (n or 1) * int(k)
                if n is not None:
                    step = cues.offsets[m.group(4)]
                    days = n * (7 if unit == "week" else 1) * step
                    if unit in ("day", "week"):
                        return ResolvedDate(inner.value + timedelta(days=days), "day")
        m = self.iso.search(text)
        if m:
            d = _dated(int(m[1]), int(m[2]), int(m[3]))
            return ResolvedDate(d, "day") if d else NONE
        m = self.numeric.search(text)
        if m:
            return self._numeric(m, month_first)
        year_m = self.year.search(text)
        explicit_year = int(year_m[1]) if year_m else None
        for key, md in cues.holidays.items():
            if _says(text, [key]):
                month_n, day_n = (int(x) for x in md.split("-"))
                if explicit_year:
                    return ResolvedDate(_dated(explicit_year, month_n, day_n), "day")
                if pub is None:
                    return NONE
                return ResolvedDate(_month_day(month_n, day_n, pub, future), "day")
        for rx, order in ((self.md, "md"), (self.dm, "dm")):
            for m in rx.finditer(text):
                month_word, day_s = (m.group(1), m.group(2)) if order == "md" else (
                    m.group(2), m.group(1))
                day_n, month_n = int(day_s), MONTHS[month_word]
                if explicit_year:
                    return ResolvedDate(_dated(explicit_year, month_n, day_n), "day")
                if pub is None:
                    return NONE
                return ResolvedDate(_month_day(month_n, day_n, pub, future), "day")
        words = text.split()
        for i, word in enumerate(words):
            if word not in MONTHS:
                continue
            # "may" is usually the modal verb: a month only with a year or a cue before it
            if word == "may" and not (explicit_year or (
                    i > 0 and words[i - 1] in cues.may_month_cues)):
                continue
            month_n = MONTHS[word]
            if explicit_year:
                return ResolvedDate(date(explicit_year, month_n, 1), "month")
            if pub is None:
                return NONE
            first = date(pub.year, month_n, 1)
            if "next" in words or future:
                if first < pub.replace(day=1):
                    first = date(pub.year + 1, month_n, 1)
            elif first > pub or ("last" in words and first >= pub.replace(day=1)):
                first = date(pub.year - 1, month_n, 1)
            return ResolvedDate(first, "month")
        if explicit_year and not re.search(r"\b\d{4}s\b", text):
            return ResolvedDate(date(explicit_year, 1, 1), "year")
        if pub is None:
            return NONE
        return self._relative(text, words, pub, future)

    def _numeric(self, m: re.Match, month_first: bool) -> ResolvedDate:
        a, sep, b, c = int(m[1]), m[2], int(m[3]), int(m[4])
        if a > 31:  # 2024/06/11
            return ResolvedDate(_dated(a, b, c), "day")
        year = c + 2000 if c < 100 else c
        if sep in ".-":
            month_first = False  # 24.10.2023, 15-12-2024: day first
        if a > 12:
            day_n, month_n = a, b
        elif b > 12:
            day_n, month_n = b, a
        elif month_first:
            day_n, month_n = b, a
        else:
            day_n, month_n = a, b
        d = _dated(year, month_n, day_n)
        return ResolvedDate(d, "day") if d else NONE

    def _relative(self, text: str, words: list[str], pub: date, future: bool
                  ) -> ResolvedDate:
        cues = self.cues
        m = self.ago.search(text)
        if m:
            n = _number(m[1], cues)
            unit = m[2]
            if unit in cues.unit_words:
                unit, k = cues.unit_words[unit]
                n = (n or 1) * int(k)
            if n is None:
                return NONE
            if _says(text, cues.today):  # "three years ago today": that very day
                back = {"day": timedelta(days=n), "week": timedelta(weeks=n)}
                if unit in back:
                    return ResolvedDate(pub - back[unit], "day")
                if unit == "year":
                    return ResolvedDate(_dated(pub.year - n, pub.month, pub.day)
                                        or pub.replace(day=28, year=pub.year - n), "day")
            if unit == "day":
                return ResolvedDate(pub - timedelta(days=n), "day")
            if unit == "week":
                return ResolvedDate(_monday(pub - timedelta(weeks=n)), "week")
            if unit == "month":
                return ResolvedDate(_shift_months(pub, -n), "month")
            if unit == "year":
                return ResolvedDate(_year(pub.year - n), "year")
            return ResolvedDate(_year(pub.year - 10 * n), "year")
        m = self.weekday_range.search(text)
        if m:
            start, end = self.weekdays[m[1]], self.weekdays[m[2]]
            if future or "next" in words:
                return ResolvedDate(_weekday(start, pub, True), "day")
            last = _weekday(end, pub, False)
            return ResolvedDate(last - timedelta(days=(end - start) % 7), "day")
        m = self.weekday.search(text)
        if m:
            target = self.weekdays[m[1]]
            if _says(text, ["next week"]):
                return ResolvedDate(_monday(pub) + timedelta(weeks=1, days=target), "day")
            before = text[: m.start()].split()
            prev = before[-1] if before else ""
            return ResolvedDate(_weekday(target, pub, future and prev != "last",
                                         last=prev == "last", next_=prev == "next"), "day")
        if _says(text, cues.weekend):
            if future or _says(text, ["next weekend"]):
                return ResolvedDate(_weekday(5, pub, True), "day")
            return ResolvedDate(pub - timedelta(days=(pub.weekday() - 5) % 7 or 7), "day")
        if _says(text, cues.today):
            return ResolvedDate(pub, "day")
        if _says(text, cues.yesterday):
            return ResolvedDate(pub - timedelta(days=1), "day")
        if _says(text, cues.tomorrow):
            return ResolvedDate(pub + timedelta(days=1), "day")
        m = self.ordinal.search(text)
        if m:
            day_n = int(m[1])
            d = _dated(pub.year, pub.month, day_n)
            if future:
                if d is None or d < pub:
                    nxt = _shift_months(pub, 1)
                    d = _dated(nxt.year, nxt.month, day_n)
            elif d is None or d > pub:
                earlier = _shift_months(pub, -1)
                d = _dated(earlier.year, earlier.month, day_n)
            return ResolvedDate(d, "day") if d else NONE
        rel = re.search(r"\b(" + "|".join(map(re.escape, cues.relative_steps))
                        + r")\s+(week|month|year)\b", text)
        if rel:
            which, unit = rel.group(1), rel.group(2)
            step = cues.relative_steps[which]
            if unit == "week":
                return ResolvedDate(_monday(pub) + timedelta(weeks=step), "week")
            if unit == "month":
                return ResolvedDate(_shift_months(pub, step), "month")
            return ResolvedDate(_year(pub.year + step), "year")
        return NONE


_RULES: dict[int, _Rules] = {}


def resolve(expression: str, published: date | None, cues: DateCues, *,
            future: bool = False, month_first: bool = True) -> ResolvedDate:
    """Resolve one date expression to a value and precision (module docstring)."""
    rules = _RULES.get(id(cues))
    if rules is None or rules.cues is not cues:
        rules = _RULES[id(cues)] = _Rules(cues)
    return rules.resolve(_normalise(expression), published, future, month_first)


def _not_before(cues: DateCues) -> str:
    """A lookahead: not followed by a noun the ordinal counts ("the 19th century")."""
    nouns = "|".join(sorted(map(re.escape, cues.ordinal_nouns), key=len, reverse=True))
    return rf"(?!\s+(?:{nouns})\b)" if nouns else ""


def expression_pattern(cues: DateCues) -> re.Pattern:
    """Date expressions a named-entity tagger tends to miss ("Tues.", "last night", "the
    15th", "05/13/2025", "over the weekend", "Christmas Eve", "the day after"), to find
    beside its DATE entities. Weekday names count only capitalised, abbreviations only
    with their full stop ("Sat." but not "sat down")."""
    phrases = sorted({*cues.today, *cues.yesterday, *cues.tomorrow, *cues.weekend,
                      *cues.holidays}, key=len, reverse=True)
    numbers = "|".join(sorted(map(re.escape, cues.number_words), key=len, reverse=True))
    units = "|".join(UNITS + tuple(cues.unit_words))
    offsets = "|".join(map(re.escape, cues.offsets))
    full = "|".join(d.capitalize() for d in WEEKDAYS)
    short = "|".join(sorted((a.capitalize() for a in cues.weekday_abbreviations),
                            key=len, reverse=True))
    return re.compile(
        r"(?<![\w'])(?:"
        r"\d{1,4}[/.\-]\d{1,2}[/.\-]\d{2,4}"
        r"|(?i:the\s+\d{1,2}(?:st|nd|rd|th)\b" + _not_before(cues) + ")"
        rf"|(?i:(?:\d+|{numbers})\s+(?:{units})s?\s+ago(?:\s+today)?)"
        rf"|(?i:(?:the|\d+|{numbers})\s+(?:{units})s?(?=\s+(?:{offsets})\b))"
        r"|(?i:" + "|".join(map(re.escape, phrases)) + r")"
        rf"|(?:{full})(?:'s)?"
        rf"|(?:{short})\."
        r")(?![\w'])")


__all__ = ["ResolvedDate", "expression_pattern", "resolve"]
