"""Second accounts: where a report tells one event twice and the two tellings disagree.

News reports give a second account in a sentence of its own: "A Chadian officer gave a
different account, saying the assault began on Sunday"; "Its account made no mention of
Russian aircraft". The rules here read those sentences (their phrases are data:
``cues.yaml`` section ``conflicts``) and turn them into conflicts on the event the
sentence retells, with the evidence of both sides:

* ``account_sentence``: does a sentence announce a second account ("different
  account", "rather than", "however" ...)? Two day dates that fused mentions give one
  event are a conflict only when one of their sentences does, or both list participants
  (``listing``: "Russia, China and Iran"), two of them in common, and neither tells of
  a repeat ("again"), so that the days of a campaign ("struck on Tuesday ... shelled on
  Wednesday") are never a dispute;
* ``redated``: a second-account sentence that dates an event already reported through
  a mention of its type or a back-reference ("the incident", "the shooting") to a day
  one or two days from the event's own day;
* ``omitted``: an actor named after an omission phrase ("made no mention of", "without
  naming") who takes part in an event another sentence reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from parley.knowledge.cues import ConflictCues
from parley.model import ActorRef, Candidate, Conflict, Span, Work

# a second account puts an event at most this many days from its own day
MAX_DAYS = 1


@lru_cache(maxsize=16)
def _phrases(phrases: tuple[str, ...]) -> re.Pattern:
    alts = "|".join(sorted((re.escape(p) for p in phrases), key=len, reverse=True))
    return re.compile(rf"(?i)(?<!\w)(?:{alts})(?!\w)")


def account_sentence(text: str, cues: ConflictCues) -> bool:
    """Does this sentence announce a second account of something already reported?"""
    return _phrases(cues.account_phrases).search(text) is not None


def repeat_sentence(text: str, cues: ConflictCues) -> bool:
    """Does this sentence tell of the event happening again ("again", "another")?"""
    return _phrases(cues.repeat_words).search(text) is not None


def _own(m: Candidate) -> list[ActorRef]:
    """The participants a mention names in its own sentence."""
    return [r for r in m.actors + m.recipients
            if m.sent_start <= r.start and r.end <= m.sent_end]


def listing(work: Work, m: Candidate) -> bool:
    """Does the mention list its participants, two or more joined in one coordination
    ("Russia, China and Iran", "the Ethiopian and Kenyan ministers")?"""
    refs = _own(m)
    if len({r.key for r in refs}) < 2:
        return False
    doc = work.doc
    inside: set[int] = set()
    for r in refs:
        sp = doc.char_span(r.start, r.end, alignment_mode="expand")
        if sp is not None:
            inside.update(range(sp.start, sp.end))
    return any(doc[i].dep_ == "conj" and doc[i].head.i in inside for i in inside)


def listed_together(a: Candidate, b: Candidate, same: Any) -> int:
    """Participants two mentions both name, each in its own sentence."""
    mine = _own(a)
    return sum(1 for r in _own(b) if any(same(r, x) for x in mine))


@dataclass(frozen=True)
class Kept:
    """An event of the document being assembled: its id, mentions and day date."""

    id: str
    type: str
    mentions: tuple[Candidate, ...]
    day: date | None
    day_span: tuple[int, int] | None
    disputed: bool


def _sentences(work: Work) -> list[tuple[int, int]]:
    from parley.extract import evidence_bounds

    return [evidence_bounds(s) for s in work.doc.sents if s.text.strip()]


def redated(work: Work, kept: Sequence[Kept], cues: ConflictCues
            ) -> list[tuple[str, date, Conflict]]:
    """Conflicts from second-account sentences that give an event another day."""
    from parley.resolve import date_for_token

    text = work.article.text
    doc = work.doc
    by_sentence: dict[int, list[Candidate]] = {}
    for c in work.candidates or ():
        by_sentence.setdefault(c.sent_start, []).append(c)
    out: list[tuple[str, date, Conflict]] = []
    done: set[str] = {k.id for k in kept if k.disputed}
    sentences = _sentences(work)
    for i, (start, end) in enumerate(sentences):
        if not account_sentence(text[start:end], cues):
            continue
        recent = {s for s, _ in sentences[max(0, i - 2):i]}
        # what the sentence dates: its own mentions of events, else a back-reference
        dated: list[tuple[str | None, int, int, date]] = [
            (c.type, c.date.start, c.date.end, c.date.value)
            for c in by_sentence.get(start, ())
            if c.date is not None and c.date.precision == "day"]
        if not dated:
            span = doc.char_span(start, end, alignment_mode="expand")
            for tok in span or ():
                if tok.pos_ == "NOUN" and tok.lemma_.lower() in cues.event_anaphors:
                    ref = date_for_token(work, tok)
                    if ref is not None and ref.precision == "day":
                        dated.append((None, ref.start, ref.end, ref.value))
                        break
        for etype, d_start, d_end, day in dated:
            target = _retold(kept, start, end, etype, day, recent)
            if target is None or target.id in done or target.day_span is None:
                continue
            done.add(target.id)
            assert target.day is not None
            days = sorted({target.day, day})
            out.append((target.id, day, Conflict(
                kind="date", event=target.id,
                detail="a second account gives this event another date: "
                       + ", ".join(d.isoformat() for d in days),
                evidence=[Span(start=target.day_span[0], end=target.day_span[1]),
                          Span(start=d_start, end=d_end)])))
    return out


def _retold(kept: Sequence[Kept], start: int, end: int, etype: str | None,
            day: date, recent: set[int]) -> Kept | None:
    """The event a second-account sentence retells: of its type (any, for "the
    incident", mentioned in one of the two sentences before), dated a day off in another
    sentence, the nearest before it."""
    best: tuple[int, Kept] | None = None
    for k in kept:
        if k.day is None or k.day_span is None or (etype is not None and k.type != etype):
            continue
        if not 0 < abs((k.day - day).days) <= MAX_DAYS:
            continue
        if start <= k.day_span[0] < end:
            continue  # its date is given in this very sentence
        if any(m.sent_start == start for m in k.mentions):
            continue  # fused with it already: resolve_date decided
        before = [m.sent_start for m in k.mentions if m.sent_start < start]
        if etype is None and not any(b in recent for b in before):
            continue  # a back-reference reaches back two sentences at most
        first = min(m.sent_start for m in k.mentions)
        distance = start - first if first < start else 10 * (first - start)
        if best is None or distance < best[0]:
            best = (distance, k)
    return best[1] if best else None


def omitted(work: Work, kept: Sequence[Kept], named: Iterable[ActorRef], cues: ConflictCues,
            same: Any) -> list[tuple[str, str, Conflict]]:
    """(event id, participant key, conflict) for actors an account says it left out."""
    text = work.article.text
    pattern = _phrases(cues.omission_phrases)
    refs = sorted(named, key=lambda r: r.start)
    out: list[tuple[str, str, Conflict]] = []
    seen: set[tuple[str, str]] = set()
    for start, end in _sentences(work):
        for hit in pattern.finditer(text, start, end):
            if _about_a_document(text, start, hit, cues.document_nouns):
                continue
            # the actors named in the rest of the clause after the phrase
            stop = end
            for mark in (";", " but ", " and said", ", saying", ", which", ", who"):
                cut = text.find(mark, hit.end(), end)
                if cut != -1:
                    stop = min(stop, cut)
            left_out = [r for r in refs if hit.end() <= r.start and r.end <= stop]
            for ref in left_out:
                target = _taking_part(kept, ref, start, same)
                if target is None:
                    continue
                k, m, part = target
                if (k.id, part.key) in seen:
                    continue
                seen.add((k.id, part.key))
                out.append((k.id, part.key, Conflict(
                    kind="participants", event=k.id,
                    detail=f"{ref.name} is named as a participant in one account; "
                           "another account leaves it out",
                    evidence=[Span(start=m.sent_start, end=m.sent_end),
                              Span(start=start, end=end)])))
    return out


def _about_a_document(text: str, start: int, hit: re.Match, nouns: frozenset[str]) -> bool:
    """Is the omission a document's ("the final text did not include", "Left out of
    the text was") rather than an account's?"""
    before = re.findall(r"[a-z]+", text[start:hit.start()].lower())[-4:]
    after = re.match(r"\s+of\s+(?:the|this|that|its|a)\s+(\w+)(?:\s+(\w+))?",
                     text[hit.end():hit.end() + 60].lower())
    return any(w in nouns for w in before) or bool(
        after and (after[1] in nouns or after[2] in nouns))


def _taking_part(kept: Sequence[Kept], ref: ActorRef, start: int, same: Any
                 ) -> tuple[Kept, Candidate, ActorRef] | None:
    """The event, its mention and participant that name ``ref`` in another sentence:
    of the events that do, the one told most often (the story's main event: "Its
    account made no mention of Russian aircraft" is about the air strike, not about the
    denial told just before), then the nearest before the omission, else after it."""
    best: tuple[tuple[int, int], Kept, Candidate, ActorRef] | None = None
    for k in kept:
        for m in k.mentions:
            if m.sent_start == start:
                continue
            part = next((r for r in _own(m) if same(r, ref)), None)
            if part is None:
                continue
            distance = start - m.sent_start if m.sent_start < start else 10 * (
                m.sent_start - start)
            rank = (-len(k.mentions), distance)
            if best is None or rank < best[0]:
                best = (rank, k, m, part)
    return (best[1], best[2], best[3]) if best else None


__all__ = ["MAX_DAYS", "Kept", "account_sentence", "listed_together", "listing", "omitted",
           "redated", "repeat_sentence"]
