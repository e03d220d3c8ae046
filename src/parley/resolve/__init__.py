"""Resolve: when and where each candidate event happened.

The ``dates`` stage attaches the date expression nearest the trigger in the parse
(``resolve.dates`` turns it into a value and precision against the publication date);
the ``places`` stage finds the place named in the sentence ("in Moscow"), else the
dateline (``resolve.places``). Both assign new candidates (``dataclasses.replace``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from parley.model import Candidate, DateRef, Work
from parley.parse.nlp import entities_in, in_quotes, sentence_number, sentence_of
from parley.resolve.dates import _number
from parley.resolve.dates import resolve as resolve_date
from parley.resolve.places import place_for

_DATE_LABELS = frozenset({"DATE", "TIME"})


# a relative clause ("Pashinyan, who chairs the alliance this year"): a date in it dates
# what its noun did, not the event the noun takes part in (unless the noun is the
# trigger: "the strike, which came on Monday"). Participle clauses ("Bashir, speaking on
# Monday, blamed ...", "in a video posted on Saturday") do date the event.
_NOUN_CLAUSES = frozenset({"relcl"})
# an expression in such a clause, or in a quotation the trigger is not in, comes after
# every other one of its sentence (and still dates the event when it is the only one;
# docs/accuracy.md gives what excluding it cost)
_ASIDE = 20


# a date that modifies a noun the event acts on or that acts ("lost the 2022 election",
# "mobilised last year's protests", "the results of Sunday's vote") names that noun's
# time and never dates the event; a noun that places the event in time does ("at a New
# Year's Eve party", "since Sunday's election", "within hours of Sunday's vote")
_NOUN_MODIFIERS = frozenset({"compound", "nmod", "poss", "nummod", "amod"})
_ARGUMENTS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "dative", "appos", "oprd"})


def _names_other_noun(ent: Any, tok: Any, cues: Any) -> bool:
    root = ent.root
    noun = root.head
    if (root.dep_ not in _NOUN_MODIFIERS or noun.pos_ != "NOUN"
            or noun.i == tok.i or ent.start <= noun.i < ent.end):
        return False
    if noun.dep_ in _ARGUMENTS:
        return True
    if noun.dep_ == "pobj" and noun.head.lower_ == "of":
        units = ("hour", "day", "week", "month", "minute", *cues.unit_words)
        return noun.head.head.lemma_.lower() not in units
    return False


def _attachment(ent: Any, tok: Any, ancestors: set[int], quoted: bool) -> int:
    """How closely a date expression attaches to the trigger: 0 governs it directly, 1
    through the trigger's head, more the further away it sits; an expression in another
    noun's relative clause, or quoted while the trigger is not, ``_ASIDE`` or more.
    ``ancestors`` (token indices) and ``quoted`` are the trigger's, read once per
    trigger."""
    node, steps, aside = ent.root, 0, 0
    if in_quotes(ent.root) and not quoted:
        aside = _ASIDE
    while node.head.i != node.i and steps < 6:
        if (node.dep_ in _NOUN_CLAUSES and node.i not in ancestors and node.i != tok.i
                and node.head.i != tok.i):
            aside = _ASIDE
        node, steps = node.head, steps + 1
        if node.i == tok.i:
            return aside
        if node.i == tok.head.i:
            return aside + 1
    return aside + 2 + abs(ent.start - tok.i) // 10


def date_of(work: Work, cand: Candidate) -> DateRef | None:
    return date_for_token(work, work.doc[cand.head_i])


def is_future(tok: Any, k: Any) -> bool:
    """Is the event ``tok`` names still to come? "will meet", "is due to sign", "plans
    to march", "said it would hold talks"."""
    f, speech = k.cues.factuality, k.cues.intents.speech_verbs
    node = tok
    for _ in range(3):
        for c in node.children:
            if c.dep_ in ("aux", "auxpass") and (c.lower_ in f.planned_modals or (
                    c.lower_ == "would" and node.head.lemma_.lower() in speech)):
                return True
        head = node.head
        if head.i == node.i:
            return False
        if node.dep_ in ("xcomp", "acomp") and head.lemma_.lower() in f.planned_governors:
            return True
        if node.dep_ not in ("xcomp", "conj", "acl", "advcl", "pobj", "prep", "dobj", "acomp",
                             "nsubjpass", "nsubj"):
            return False
        node = head
    return False


def _article_country(work: Work) -> str | None:
    """The country the article is from: its dateline's, else the one its places and
    country names point to most."""
    doc = work.doc
    cached = doc.user_data.get("parley_article_country", False)
    if cached is not False:
        return cached
    k = work.knowledge
    country = None
    if work.dateline is not None:
        entry = k.gazetteer.lookup(work.dateline.place)
        country = entry.country if entry is not None else None
    if country is None:
        counts: dict[str, int] = {}
        for ent in doc.ents:
            if ent.label_ in ("GPE", "LOC", "NORP"):
                refs = k.kb.refs(ent.text)
                e = k.kb.entities.get(refs[0].entity) if refs else None
                code = e.country if e is not None and e.kind == "country" else None
                if code is None and ent.label_ != "NORP":
                    entry = k.gazetteer.lookup(ent.text)
                    code = entry.country if entry is not None else None
                if code:
                    counts[code] = counts.get(code, 0) + 1
        country = max(counts, key=lambda c: counts[c]) if counts else None
    doc.user_data["parley_article_country"] = country
    return country


def date_expressions(work: Work, sent: Any) -> list[Any]:
    """The date expressions of a sentence: the tagger's DATE and TIME entities and what
    ``resolve.dates.expression_pattern`` finds beside them (the longer wins), an offset
    ("two days after") joined to the date it counts from."""
    doc, cues = work.doc, work.knowledge.cues.dates
    spans = list(entities_in(sent, _DATE_LABELS))
    pattern = _pattern(cues)
    for m in pattern.finditer(sent.text):
        sp = doc.char_span(sent.start_char + m.start(), sent.start_char + m.end(),
                           alignment_mode="expand")
        if sp is not None and len(sp) and not any(
                s.start <= sp.start and sp.end <= s.end for s in spans):
            spans = [s for s in spans if not (sp.start <= s.start and s.end <= sp.end)]
            spans.append(sp)
    for a, b in _told(sent, cues):
        sp = doc.char_span(a, b, alignment_mode="expand")
        if sp is not None and len(sp):
            spans = [s for s in spans if s.end <= sp.start or sp.end <= s.start]
            spans.append(sp)
    spans.sort(key=lambda s: s.start)
    # one expression written in parts: "Thursday next week", "Sunday, May 15", "from
    # Monday to Wednesday", "the day before Wednesday's"
    joins = {",", *cues.range_words}
    merged: list[Any] = []
    for sp in spans:
        if merged:
            gap = doc[merged[-1].end : sp.start]
            # "on Saturday, two days after ...": the interval is not part of the date
            if len(gap) <= 2 and all(t.lower_ in joins for t in gap) and not (
                    _is_duration(sp.text, cues)):
                merged[-1] = doc[merged[-1].start : sp.end]
                continue
        merged.append(sp)
    spans = merged
    out = []
    offsets = set(cues.offsets)
    i = 0
    while i < len(spans):
        sp = spans[i]
        after = doc[sp.end] if sp.end < len(doc) else None
        # "a week before March 10", "two days after Sunday's vote": the offset counts from
        # the next date, not across a coordination or a clause ("three days before the
        # summit and on Friday held talks": Friday is the talks' own day)
        if (after is not None and after.lower_ in offsets and i + 1 < len(spans)
                and spans[i + 1].start - sp.end <= 8 and _is_duration(sp.text, cues)
                and not any(t.pos_ in ("CCONJ", "VERB", "AUX") or t.is_punct
                            for t in doc[sp.end : spans[i + 1].start])):
            out.append(doc[sp.start : spans[i + 1].end])
            i += 2
            continue
        out.append(sp)
        i += 1
    return out


@lru_cache(maxsize=4)
def _told_patterns(fixed: tuple[str, ...], numbers: tuple[str, ...], units: tuple[str, ...],
                   directions: tuple[str, ...]) -> tuple[Any, Any]:
    """Two patterns of a day counted from the story's last one: phrases that take no
    object ("the next day", "two days later"), and those ending in a preposition ("the
    day before", "a week after"), found only where the clause ends after them ("the day
    before Wednesday's vote" counts from the vote: ``cues.dates.offsets``)."""
    import re

    def alt(words: Iterable[str]) -> str:
        return "|".join(sorted(map(re.escape, words), key=len, reverse=True)) or "(?!)"

    closing = ("after", "before")
    free = [f for f in fixed if f.split()[-1] not in closing]
    bound = [f for f in fixed if f.split()[-1] in closing]
    count = rf"(?:\d+|{alt(numbers)})\s+(?:{alt(units)})s?\s+"
    free_dirs = [d for d in directions if d not in closing]
    bound_dirs = [d for d in directions if d in closing]
    return (
        re.compile(rf"(?i)(?<!\w)(?:{alt(free)}|{count}(?:{alt(free_dirs)}))(?!\w|['’]s)"),
        re.compile(rf"(?i)(?<!\w)(?:{alt(bound)}|{count}(?:{alt(bound_dirs)}))"
                   r"(?=\s*(?:[,.;:!?)]|$)|\s+(?:and|but|when|as|while)\b)"),
    )


def _told(sent: Any, cues: Any) -> list[tuple[int, int]]:
    """Character spans of the sentence's days counted from an earlier one."""
    free, bound = _told_patterns(tuple(cues.told_offsets), tuple(cues.number_words),
                                 tuple(cues.interval_units), tuple(cues.told_directions))
    base = sent.start_char
    return [(base + m.start(), base + m.end()) for p in (free, bound)
            for m in p.finditer(sent.text)]


def _told_step(text: str, cues: Any) -> int | None:
    """The days a counted expression moves from the day before it ("the next day": 1,
    "three days earlier": -3), or None if it is not one."""
    words = text.lower().split()
    phrase = " ".join(words)
    if phrase in cues.told_offsets:
        return int(cues.told_offsets[phrase])
    if len(words) != 3 or words[2] not in cues.told_directions:
        return None
    unit = words[1][:-1] if words[1].endswith("s") else words[1]
    n = _number(words[0], cues)
    if unit not in cues.interval_units or n is None:
        return None
    return n * int(cues.interval_units[unit]) * int(cues.told_directions[words[2]])


def _is_duration(text: str, cues: Any) -> bool:
    import re

    units = "|".join(("day", "week", "month", "year", *cues.unit_words))
    numbers = "|".join(map(re.escape, cues.number_words))
    return re.fullmatch(rf"(?i)(?:the|(?:\d+|{numbers}))\s+(?:{units})s?", text.strip()) is not None


_PATTERNS: dict[int, Any] = {}


def _pattern(cues: Any) -> Any:
    from parley.resolve.dates import expression_pattern

    key = id(cues)
    if key not in _PATTERNS:
        _PATTERNS[key] = expression_pattern(cues)
    return _PATTERNS[key]


def _told_past(ent: Any, tok: Any, ancestors: set[int]) -> bool:
    """Does the expression belong to a verb in the past tense above the trigger? "said
    on Friday he would resign": Friday is the past day of the saying, not a Friday to
    come, though the resignation is."""
    node = ent.root
    for _ in range(4):
        if node.head.i == node.i:
            return False
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            break
    else:
        return False
    if node.i != tok.i and node.i in ancestors and node.tag_ == "VBD":
        return True
    # the parser often hangs the day on the reported clause ("said on Friday he would
    # submit"): an expression before that clause's subject, right after the past verb
    # that reports it, is the reporting verb's
    head = node.head
    return (node.dep_ == "ccomp" and head.tag_ == "VBD" and head.i < ent.start
            and any(c.dep_ in ("nsubj", "nsubjpass") and c.i >= ent.end
                    for c in node.children))


def _with_may_cue(ent: Any, cues: Any) -> str:
    """The expression's text, with the word before it when the expression is the month
    "May" alone and that word makes it one ("In May, gunmen shot down ...": the tagger
    gives "May", and "may" alone is read as the modal verb; ``may_month_cues``)."""
    doc = ent.doc
    if ent[0].lower_ == "may" and ent.start > 0 and (
            doc[ent.start - 1].lower_ in cues.may_month_cues):
        return f"{doc[ent.start - 1].text} {ent.text}"
    return ent.text


def date_for_token(work: Work, tok: Any, *, context: bool = False) -> DateRef | None:
    """The date of the event whose trigger is ``tok``: the date expression of its
    sentence that attaches most closely to it, resolved against publication (past or
    future as the verb says; numeric dates in the article country's order)."""
    k = work.knowledge
    cues = k.cues.dates
    spans = date_expressions(work, sentence_of(tok))
    if not spans:
        return None
    future = is_future(tok, k)
    country = _article_country(work)
    month_first = country is None or country in cues.month_first_countries
    if not context:
        # (a sentence lending its day to the next reads its own nouns' dates: "The
        # trigger was Thursday's verdict.")
        spans = [e for e in spans if not _names_other_noun(e, tok, cues)]
    ancestors, quoted = {t.i for t in tok.ancestors}, in_quotes(tok)
    for ent in sorted(spans, key=lambda e: _attachment(e, tok, ancestors, quoted)):
        step = _told_step(ent.text, cues)
        if step is not None:
            return _counted_on(work, tok, ent, step, spans, future, month_first, context)
        resolved = resolve_date(_with_may_cue(ent, cues), work.published, cues,
                                future=future and not _told_past(ent, tok, ancestors),
                                month_first=month_first)
        if resolved.value and resolved.precision:
            return DateRef(resolved.value, resolved.precision, ent.start_char, ent.end_char)
    return None


def _counted_on(work: Work, tok: Any, ent: Any, step: int, spans: list[Any], future: bool,
               month_first: bool, context: bool) -> DateRef | None:
    """The day of a counted expression ("resigned the next day", "Two days later, ..."):
    the day the story named last, moved by ``step``. That day is the nearest one
    earlier in the sentence, else the day of the nearest sentence before (at most
    ``context_sentences.same_day`` back; not when the sentence is itself lending its
    day). With no such day the event is left undated: the other dates of its sentence
    are not its own."""
    cues = work.knowledge.cues.dates
    anchor: date | None = None
    for other in sorted((e for e in spans if e.end <= ent.start), key=lambda e: -e.end):
        if _told_step(other.text, cues) is not None:
            continue
        found = resolve_date(_with_may_cue(other, cues), work.published, cues,
                             future=future, month_first=month_first)
        if found.value and found.precision == "day":
            anchor = found.value
            break
    if anchor is None and not context:
        lent = _day_before(work, tok, cues.context_sentences.get("same_day", 0),
                           paragraphs=False)
        anchor = lent.value if lent is not None else None
    if anchor is None:
        return None
    return DateRef(anchor + timedelta(days=step), "day", ent.start_char, ent.end_char)


# a day taken from the story's context must lie within this many days before publication
CONTEXT_MAX_DAYS = 31


@lru_cache(maxsize=4)
def _same_day_pattern(phrases: tuple[str, ...]) -> Any:
    import re

    words = "|".join(sorted(map(re.escape, phrases), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)" if words else r"(?!)")


def _told_in_past(tok: Any) -> bool:
    """Is the trigger a verb in the simple past ("arrested", "were arrested"), not the
    present ("denies"), the present perfect ("has denied") or a noun?"""
    if tok.tag_ == "VBD":
        return True
    if tok.tag_ != "VBN":
        return False
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    return any(c.tag_ == "VBD" for c in auxes) and not any(
        c.lemma_ == "have" and c.tag_ != "VBD" for c in auxes)


def interval_clause(work: Work, cand: Candidate) -> tuple[Any, Any, Any] | None:
    """(clause verb, "after"/"before", interval noun) when the candidate is told in an
    adverbial clause set off by an interval from its main clause ("..., a day after
    officers fired ..."; units in ``cues.dates.interval_units``), else None."""
    cues = work.knowledge.cues.dates
    tok = work.doc[cand.head_i]
    for t in (tok, *tok.ancestors):
        # a clause opened by "after" or "before" is adverbial whatever the parser calls
        # it (it sometimes has "ccomp")
        mark = next((c for c in t.children if c.dep_ == "mark"
                     and c.lower_ in cues.offsets), None)
        if mark is not None or t.dep_ == "advcl":
            if mark is None:
                return None
            # the interval hangs from the clause's verb or, as the parser often has it,
            # from "after" itself
            unit = next((c for c in (*t.children, *mark.children) if c.dep_ == "npadvmod"
                         and c.lemma_.lower() in cues.interval_units), None)
            if unit is None or unit.i > mark.i or t.head.i == t.i:
                return None
            return t, mark, unit
        if t.dep_ == "conj" and t.head.pos_ in ("VERB", "AUX") and t.pos_ in ("VERB", "AUX"):
            continue  # "a day after Minsk forced the jet to land and arrested ...": the
            # verbs coordinated with the clause's verb are in the clause
        if t.dep_ in ("ROOT", "ccomp", "conj", "relcl"):
            return None  # the trigger's own clause is not an adverbial one
    return None


def interval_date(work: Work, cand: Candidate, given: date) -> tuple[bool, DateRef | None]:
    """The day of an event told in a clause set off by an interval from its main clause.

    "Thousands spent the night on the bridge on Saturday, a day after officers fired
    pepper spray at them": the firing is Friday's, not the Saturday its sentence names.
    The trigger (or a verb above it) is an adverbial clause opened by "after" or
    "before" with an interval ("a day", "two days", "hours"; units in
    ``cues.dates.interval_units``); the event took ``given``, the day of the main clause
    it hangs from (``date_for_token`` on that clause's verb), and the clause names no
    date of its own.

    Returns (applies, day): (False, None) when the event is not told so, and its day
    stands; (True, day) with the main clause's day moved back ("after") or on
    ("before") by the interval, the main clause's date expression the evidence; and
    (True, None) when the interval is days or weeks but how many is not said ("days
    after police detained his aide"): the main clause's day is not the event's, and no
    other is known. "Hours after" keeps the day.
    """
    cues = work.knowledge.cues.dates
    found = interval_clause(work, cand)
    if found is None:
        return False, None
    clause, mark, unit = found
    main = date_for_token(work, clause.head)
    if main is None or main.precision != "day" or main.value != given:
        return False, None
    # the clause runs from its interval ("a day after ...") to its last word; what comes
    # before the interval is the main clause's, however the parser hung it
    lo, hi = unit.left_edge.idx, clause.right_edge.idx + len(clause.right_edge)
    if lo <= main.start < hi:
        return False, None  # the clause names its own date
    days = cues.interval_units[unit.lemma_.lower()]
    if days:
        counts = [_number(c.lower_, cues) for c in unit.children
                  if c.dep_ in ("det", "nummod")]
        if len(counts) != 1 or counts[0] is None:
            return True, None  # "days after": by how much is not said
        days *= counts[0]
    # "two days after the vote" counts on from the vote (cues.dates.offsets): the
    # clause's event lies that far the other way from the main clause's day
    step = -days * cues.offsets[mark.lower_]
    return True, DateRef(main.value + timedelta(days=step), "day", main.start, main.end)


def context_date(work: Work, cand: Candidate) -> DateRef | None:
    """The day of an event whose sentence gives none, from the sentences before it.

    "On Friday, police fired tear gas at the march. Officers arrested 29 people.": the
    arrests are Friday's. The candidate's sentence either says a same-day phrase ("the
    same day", "later that day", ``cues.dates.same_day``) or names no date expression at
    all and tells the event in the simple past (not "Rwanda denies", "has denied").
    Then the main clause of each earlier sentence, nearest first, is dated as an event
    there would be (``date_for_token`` on its root), and the first day found is the
    event's, its expression the evidence. The look-back is short (``context_sentences``),
    an undated sentence does not look across a paragraph break, and a day more than
    ``CONTEXT_MAX_DAYS`` before publication, or after it, is not lent.
    """
    doc, cues = work.doc, work.knowledge.cues.dates
    if work.published is None:
        return None
    tok = doc[cand.head_i]
    sents, k = sentence_number(tok)
    sent = sents[k]
    text = sent.text.lower()
    same_day = _same_day_pattern(cues.same_day).search(text) is not None
    if not same_day and (date_expressions(work, sent) or not _told_in_past(tok)):
        return None
    limit = cues.context_sentences.get("same_day" if same_day else "undated", 0)
    found = _day_before(work, tok, limit, paragraphs=not same_day)
    if found is None:
        return None
    days = (work.published - found.value).days
    return found if 0 <= days <= CONTEXT_MAX_DAYS else None


def _day_before(work: Work, tok: Any, limit: int, *, paragraphs: bool) -> DateRef | None:
    """The day of the nearest of the ``limit`` sentences before ``tok``'s that gives one
    (its main clause dated as an event there would be); with ``paragraphs``, not across a
    paragraph break."""
    sents, k = sentence_number(tok)
    for j in range(k - 1, max(-1, k - 1 - limit), -1):
        gap = (work.codable or "")[sents[j].end_char - 1 : sents[j + 1].start_char]
        if paragraphs and "\n" in gap:
            return None
        found = date_for_token(work, sents[j].root, context=True)
        if found is not None and found.precision == "day":
            return found
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
            replace(c, place=place_for(work.doc, c.head_i, work.knowledge, work.dateline,
                                       c.type))
            for c in work.candidates or ()))


__all__ = ["Dates", "Places", "context_date", "date_for_token", "date_of", "interval_clause",
           "interval_date"]
