"""Cross-report fusion: events from different articles that report one real-world event.

Each coded document's events (already fused within the document) are matched, one by
one, against the fused events already in the store. A report joins a fused event when

  * the type matches (the same PLOVER type; or, with ``match_on="quad"``, the same quad
    category),
  * the factuality is compatible (equal, or both realis: asserted / reported),
  * the participants overlap: Jaccard >= ``min_jaccard`` between the report's
    participant keys and those of at least one report already in the fused event, or
    of their union (a key is the actor's country ISO3, else the actor's name); when they
    share only one key, both reports must also date the event to the same day
    (``single_key_exact_date``: one country's statements within a few days are
    usually different events),
  * the anchor dates are within ``window_days``: the anchor is the event's date when it
    is known to the day, else the article's publication date,
  * the places are compatible: the same country, or either unknown (with
    ``strict_place=False`` different countries fuse too, and become a conflict),
  * and the fused event holds no other event of the same article (the in-document
    fusion already decided those are different events).

Among several candidates the best participant overlap wins, then the closest date,
then the most sources. Disagreements between the new report and the reports of other
articles in the fused event (dates, participant sets, place) are returned as
``Disagreement`` records for the store to keep as conflicts with evidence from each
article. This module holds the decisions only; ``parley.store`` finds the candidates
(an indexed query on type and anchor window) and writes the result.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Literal

from parley.knowledge.plover import PloverTable

_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


@dataclass(frozen=True)
class Party:
    """A participant of a report, by key (country ISO3, else the actor's name)."""

    key: str
    name: str
    country: str | None
    kind: str
    role: str
    # who the participant is, for matching reports: the country ISO3, else the
    # knowledge-base id, else the folded name (``identity``); None: the key
    ident: str | None = None

    @property
    def identity(self) -> str:
        return self.ident or self.key


def identity(country: str | None, kb_id: str | None, name: str) -> str:
    """What two reports must share to name one participant: the country (a person or
    body of Pakistan is Pakistan in a dyad), else the knowledge-base entity, else the
    name ignoring case."""
    return country or kb_id or name.casefold()


@dataclass(frozen=True)
class Report:
    """One document event, in the terms cross-report fusion needs."""

    article_id: int
    canonical_id: int  # the article, or the original it is a near-duplicate of
    published: date | None
    type: str
    factuality: str
    parties: tuple[Party, ...] = ()
    date: date | None = None
    precision: str | None = None
    date_disputed: bool = False
    mode: str | None = None
    context: str | None = None
    place_name: str | None = None
    place_country: str | None = None
    lat: float | None = None
    lon: float | None = None
    confidence: float = 0.0
    span: tuple[int, int] = (0, 0)  # the first mention's sentence: evidence
    mentions: int = 1  # sentence mentions of the event in its article
    doc_event_id: int | None = None
    background: bool = False
    # the identities of every actor the article names: what a report without
    # participants of its own ("the agreement was signed in Beijing") is about
    article_actors: frozenset[str] = frozenset()

    # computed once: a report is compared with many fused events (a frozen dataclass
    # without slots keeps these in its __dict__, outside its fields)
    @cached_property
    def keys(self) -> frozenset[str]:
        """The participants' identities (``Party.identity``)."""
        return frozenset(p.identity for p in self.parties)

    @cached_property
    def store_keys(self) -> frozenset[str]:
        """The participants' stored keys (what the candidate query looks up)."""
        return frozenset(p.key for p in self.parties)

    @property
    def anchor(self) -> dt.date | None:
        """The date a report is matched on: a day-precision date, else publication."""
        if self.date is not None and self.precision == "day":
            return self.date
        return self.published or self.date

    def evidence(self) -> dict[str, int]:
        return {"article_id": self.article_id, "start": self.span[0], "end": self.span[1]}


@dataclass
class Fused:
    """A stored fused event as a list of its reports."""

    id: int | None
    members: list[Report] = field(default_factory=list)
    _cached: tuple[int, Summary] | None = field(default=None, repr=False, compare=False)

    def summary(self) -> Summary:
        # members are only ever appended: the count says whether the cache is current
        if self._cached is None or self._cached[0] != len(self.members):
            self._cached = (len(self.members), summarise(self.members))
        return self._cached[1]


@dataclass(frozen=True)
class Summary:
    """What the store keeps on a fused event, recomputed from its reports."""

    type: str
    mode: str | None
    context: str | None
    factuality: str
    date: date | None
    precision: str | None
    date_disputed: bool
    ref_date: dt.date | None
    anchor_date: dt.date | None
    place_name: str | None
    place_country: str | None
    lat: float | None
    lon: float | None
    parties: tuple[Party, ...]
    source_count: int
    article_count: int  # distinct articles, syndicated copies included
    background: bool  # every report is background
    report_count: int  # document events (reports) in the fused event
    mention_count: int  # their sentence mentions, in all
    confidence: float


@dataclass(frozen=True)
class Disagreement:
    kind: Literal["date", "participants", "place", "type"]
    detail: str
    evidence: tuple[dict[str, int], ...]


@dataclass(frozen=True)
class FusionRule:
    window_days: int = 3
    min_jaccard: float = 0.5
    match_on: Literal["type", "quad"] = "type"
    strict_place: bool = True
    # One shared participant ("the US called for ...") does not identify an event: two
    # such reports fuse only when both date the event to the same day.
    single_key_exact_date: bool = True
    # Types one real-world event is reported under: a deal is "agreed" (AGREE) and
    # "signed" (CAMEO 057 "sign formal agreement", which PLOVER codes SUPPORT). The
    # first type of a pair is the fused event's when its reports mix them.
    compatible_types: tuple[tuple[str, str], ...] = (("AGREE", "SUPPORT"),)
    # quad classes and factuality compatibility (parley/data/plover.yaml); None: the
    # default knowledge's
    plover: PloverTable | None = None

    @property
    def table(self) -> PloverTable:
        if self.plover is not None:
            return self.plover
        from parley.knowledge import default_knowledge

        return default_knowledge().plover

    def types_for(self, event_type: str) -> tuple[str, ...]:
        """The stored types a report of ``event_type`` may join."""
        if self.match_on == "quad":
            table = self.table
            quad = table.quad(event_type)
            return tuple(t for t in table.types if table.quad(t) == quad)
        out = [event_type]
        for a, b in self.compatible_types:
            if event_type in (a, b):
                out.extend(t for t in (a, b) if t not in out)
        return tuple(out)

    def tolerance(self, report: Report) -> int:
        """Days a report's anchor may lie from a fused event's: ``window_days`` for a
        day date or none (the anchor is then the publication date); a week or month
        date may sit anywhere in its period, so its tolerance grows by the period."""
        slack = {"week": 6, "month": 30, "year": 0}.get(report.precision or "", 0)
        return self.window_days + slack

    def window(self, anchor: date, days: int | None = None) -> tuple[date, date]:
        step = timedelta(days=self.window_days if days is None else days)
        return anchor - step, anchor + step

    def score(self, report: Report, fused: Fused) -> tuple[float, int, int] | None:
        """How well ``report`` fits ``fused`` (higher is better), or None for no match."""
        found = self.explain(report, fused)
        return found[0] if found else None

    def explain(self, report: Report, fused: Fused
                ) -> tuple[tuple[float, int, int], dict] | None:
        """The match score and the evidence for it (the rule that matched, shared
        identities, Jaccard, date distance, places), or None for no match."""
        found = self._match(report, fused)
        return None if found is None else (found.score, found.why())

    def _match(self, report: Report, fused: Fused) -> _Match | None:
        """``explain`` without the evidence, which only the best match needs."""
        if not fused.members or report.anchor is None:
            return None
        if any(m.article_id == report.article_id for m in fused.members):
            return None
        head = fused.summary()
        types = self.types_for(report.type)
        if head.type not in types and not any(m.type in types for m in fused.members):
            return None
        if head.background != report.background:
            return None
        if not self.table.compatible_factuality(report.factuality, head.factuality):
            return None
        if head.anchor_date is None:
            return None
        distance = abs((report.anchor - head.anchor_date).days)
        if distance > self.tolerance(report):
            return None
        if (report.precision != "day" and head.precision != "day"
                and distance > self.window_days and not dates_agree(
                    report.date, report.precision, head.date, head.precision)):
            return None
        if (self.strict_place and report.place_country and head.place_country
                and report.place_country != head.place_country):
            return None
        union = frozenset(p.identity for p in head.parties)
        if not report.keys:
            # nobody named in the sentence: the article's actors must include every
            # participant of the fused event (two at least), on the same or next day
            if (len(union) < 2 or not union <= report.article_actors or distance > 1):
                return None
            return _Match((0.5, -distance, head.source_count), report, fused, head,
                          distance, "article-actors", union, None)
        overlap = max([jaccard(report.keys, union)]
                      + [jaccard(report.keys, m.keys) for m in fused.members])
        if overlap < self.min_jaccard:
            return None
        shared = report.keys & union
        if (self.single_key_exact_date and len(shared) < 2
                and not _same_day(report, fused.members)):
            return None
        return _Match((overlap, -distance, head.source_count), report, fused, head, distance,
                      "participants" if len(shared) >= 2 else "one-participant-same-day",
                      shared, round(overlap, 3))


@dataclass(frozen=True, slots=True)
class _Match:
    """A report's match with a fused event: its score, and what ``why`` tells."""

    score: tuple[float, int, int]
    report: Report
    fused: Fused
    head: Summary
    distance: int
    rule: str
    shared: frozenset[str]
    jaccard: float | None

    def why(self) -> dict:
        report, head = self.report, self.head
        assert report.anchor is not None and head.anchor_date is not None
        return {"type": report.type, "fused_type": head.type,
                "date_distance_days": self.distance,
                "anchor": report.anchor.isoformat(),
                "fused_anchor": head.anchor_date.isoformat(),
                "place": report.place_country, "fused_place": head.place_country,
                "articles": sorted({m.article_id for m in self.fused.members}),
                "rule": self.rule, "shared": sorted(self.shared), "jaccard": self.jaccard}


def _same_day(report: Report, members: Sequence[Report]) -> bool:
    return (report.date is not None and report.precision == "day"
            and any(m.precision == "day" and m.date == report.date
                    and m.keys & report.keys for m in members))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def best_match(rule: FusionRule, report: Report, candidates: Iterable[Fused]) -> Fused | None:
    """The candidate ``report`` joins, or None when it is a new event."""
    found = best_match_why(rule, report, candidates)
    return found[0] if found else None


def best_match_why(rule: FusionRule, report: Report, candidates: Iterable[Fused]
                   ) -> tuple[Fused, dict] | None:
    """``best_match`` with the evidence of the match (``FusionRule.explain``)."""
    best: tuple[tuple[float, int, int], int, _Match] | None = None
    for fused in candidates:
        found = rule._match(report, fused)
        if found is None:
            continue
        # ties: the older fused event (lower id) wins, so the result is deterministic
        key = (found.score, -(fused.id or 0))
        if best is None or key > (best[0], best[1]):
            best = (found.score, -(fused.id or 0), found)
    return (best[2].fused, best[2].why()) if best else None


def _period(value: date, precision: str | None) -> tuple[date, date]:
    if precision == "week":
        return value, value + timedelta(days=6)
    if precision == "month":
        last = calendar.monthrange(value.year, value.month)[1]
        return value.replace(day=1), value.replace(day=last)
    if precision == "year":
        return value.replace(month=1, day=1), value.replace(month=12, day=31)
    return value, value


def dates_agree(a: date | None, pa: str | None, b: date | None, pb: str | None) -> bool:
    """Unknown agrees with anything; a coarse date agrees with the days inside it."""
    if a is None or b is None:
        return True
    (a0, a1), (b0, b1) = _period(a, pa), _period(b, pb)
    return (a0 <= b0 and b1 <= a1) or (b0 <= a0 and a1 <= b1)


def _fmt_keys(keys: frozenset[str]) -> str:
    return "{" + ", ".join(sorted(keys)) + "}"


def disagreements(rule: FusionRule, report: Report, fused: Fused) -> list[Disagreement]:
    """How ``report`` differs from the reports of *other* articles in ``fused``.

    Near-duplicate copies of one article are one source: they are not compared with
    each other.
    """
    others = [m for m in fused.members if m.canonical_id != report.canonical_id]
    out: list[Disagreement] = []

    def add(kind, detail: str, against: Sequence[Report]) -> None:
        seen: set[int] = set()
        evidence = [report.evidence()]
        for m in against:
            if m.article_id not in seen:
                seen.add(m.article_id)
                evidence.append(m.evidence())
        out.append(Disagreement(kind=kind, detail=detail, evidence=tuple(evidence)))

    dated = [m for m in others if not dates_agree(report.date, report.precision,
                                                   m.date, m.precision)]
    if dated:
        values = [f"{report.date} (article {report.article_id})"] + [
            f"{m.date} (article {m.article_id})" for m in _first_per_article(dated)]
        add("date", "reports give different dates: " + ", ".join(values), dated)

    # a participant missing from an account that lists the participants (two or more):
    # a one-actor report ("Iran said ...") does not list them, so it disputes nothing
    differ = [m for m in others if len(m.keys) >= 2 and len(report.keys) >= 2
              and m.keys != report.keys]
    if differ:
        values = [f"{_fmt_keys(report.keys)} (article {report.article_id})"] + [
            f"{_fmt_keys(m.keys)} (article {m.article_id})" for m in _first_per_article(differ)]
        add("participants", "reports name different participants: " + "; ".join(values),
            differ)

    placed = [m for m in others if _places_disagree(report, m)]
    if placed:
        values = [f"{_place_label(report)} (article {report.article_id})"] + [
            f"{_place_label(m)} (article {m.article_id})" for m in _first_per_article(placed)]
        add("place", "reports give different places: " + ", ".join(values), placed)

    if rule.match_on != "type":
        typed = [m for m in others if m.type != report.type]
        if typed:
            values = [f"{report.type} (article {report.article_id})"] + [
                f"{m.type} (article {m.article_id})" for m in _first_per_article(typed)]
            add("type", "reports give different event types: " + ", ".join(values), typed)
    return out


def _first_per_article(reports: Sequence[Report]) -> list[Report]:
    seen: dict[int, Report] = {}
    for m in reports:
        seen.setdefault(m.article_id, m)
    return list(seen.values())


def _place_label(r: Report) -> str:
    return f"{r.place_name} ({r.place_country or '?'})"


def _places_disagree(a: Report, b: Report) -> bool:
    if a.place_country and b.place_country and a.place_country != b.place_country:
        return True
    # two different towns in one country; a country-level place (no coordinates) is
    # only less precise, not a disagreement
    return (a.place_country is not None and a.place_country == b.place_country
            and a.lat is not None and b.lat is not None and a.place_name != b.place_name)


def _most_common(values: Sequence, default=None):
    """The most frequent value, ties going to the one seen first."""
    present = [v for v in values if v is not None]
    if not present:
        return default
    counts = Counter(present)
    top = max(counts.values())
    return next(v for v in present if counts[v] == top)


def _fused_type(members: Sequence[Report], rule: FusionRule | None = None) -> str:
    """The most common type (ties: the report naming most participants, then the
    first); when the reports mix a compatible pair (AGREE and SUPPORT), the pair's
    first type."""
    types = {m.type for m in members}
    for a, b in (rule or FusionRule()).compatible_types:
        if a in types and b in types and types <= {a, b}:
            return a
    counts = Counter(m.type for m in members)
    top = max(counts.values())
    return max((m for m in members if counts[m.type] == top),
               key=lambda m: len(m.keys)).type


def summarise(members: Sequence[Report]) -> Summary:
    """The fused event's fields from its reports (order: as they were ingested)."""
    if not members:
        raise ValueError("a fused event needs at least one report")
    if len(members) == 1:
        return _summarise_one(members[0])
    event_type = _fused_type(members)
    typed = [m for m in members if m.type == event_type] or list(members)
    factuality = ("asserted" if any(m.factuality == "asserted" for m in members)
                  else _most_common([m.factuality for m in members]))

    dated = [m for m in members if m.date is not None]
    if dated:
        # the date most reports give; among equally common ones, the most precise
        counts = Counter((m.date, m.precision) for m in dated)
        first_seen = {k: i for i, k in reversed(list(enumerate((m.date, m.precision)
                                                                for m in dated)))}
        chosen = max(counts, key=lambda k: (counts[k], -_PRECISION_RANK.get(k[1] or "", 9),
                                            -first_seen[k]))
        event_date, precision = chosen
        date_disputed = any(m.date_disputed for m in members) or any(
            not dates_agree(a.date, a.precision, b.date, b.precision)
            for i, a in enumerate(dated) for b in dated[i + 1:])
    else:
        event_date, precision, date_disputed = None, None, any(m.date_disputed
                                                               for m in members)
    published = [m.published for m in members if m.published is not None]
    earliest = min(published) if published else None
    anchor = event_date if precision == "day" else (earliest or event_date)

    placed = [m for m in members if m.place_name]
    place = _most_common([(m.place_name, m.place_country) for m in placed])
    at = next((m for m in placed if (m.place_name, m.place_country) == place), None)

    parties: dict[str, Party] = {}
    for m in members:
        for p in m.parties:
            parties.setdefault(p.key, p)
    return Summary(
        type=event_type,
        mode=_most_common([m.mode for m in typed]),
        context=_most_common([m.context for m in typed]),
        factuality=factuality,
        date=event_date,
        precision=precision,
        date_disputed=date_disputed,
        ref_date=event_date or earliest,
        anchor_date=anchor,
        place_name=at.place_name if at else None,
        place_country=at.place_country if at else None,
        lat=at.lat if at else None,
        lon=at.lon if at else None,
        parties=tuple(parties.values()),
        source_count=len({m.canonical_id for m in members}),
        article_count=len({m.article_id for m in members}),
        background=all(m.background for m in members),
        report_count=len(members),
        mention_count=sum(m.mentions for m in members),
        confidence=max(m.confidence for m in members),
    )


def _summarise_one(m: Report) -> Summary:
    """``summarise([m])``, without the counting that several reports need (most fused
    events have one)."""
    day = m.precision == "day"
    anchor = m.date if day and m.date is not None else (m.published or m.date)
    placed = bool(m.place_name)
    parties: dict[str, Party] = {}
    for p in m.parties:
        parties.setdefault(p.key, p)
    return Summary(
        type=m.type, mode=m.mode, context=m.context, factuality=m.factuality,
        date=m.date, precision=m.precision if m.date is not None else None,
        date_disputed=bool(m.date_disputed), ref_date=m.date or m.published,
        anchor_date=anchor,
        place_name=m.place_name if placed else None,
        place_country=m.place_country if placed else None,
        lat=m.lat if placed else None, lon=m.lon if placed else None,
        parties=tuple(parties.values()), source_count=1, article_count=1,
        background=bool(m.background), report_count=1, mention_count=m.mentions,
        confidence=m.confidence)


# -- syndicated copies ----------------------------------------------------------------

@dataclass(frozen=True)
class Telling:
    """One event of an original article, as a syndicated copy's events are matched
    against it: where it went and the sentences that report it."""

    doc_event_id: int
    fused_id: int | None
    type: str
    keys: frozenset[str]
    date: date | None
    precision: str | None
    sentences: frozenset[str]


def sentence_key(text: str) -> str:
    """A sentence compared across copies: whitespace runs collapsed."""
    return " ".join(text.split())


def match_copy(report: Report, sentences: frozenset[str], originals: Sequence[Telling],
               taken: set[int], original_text: str) -> tuple[str, Telling | None, dict]:
    """What a near-duplicate's event is: ``("copy", telling, why)`` when the original
    reports it (the same type in the same sentence, else the same type, participants
    and date), ``("repeat", None, why)`` when its sentence is in the original but the
    original coded no such event there (the copy adds nothing the original lacks), or
    ``("new", None, {})`` for a sentence the original does not have."""
    free = [t for t in originals if t.doc_event_id not in taken and t.fused_id is not None]
    for t in free:
        if t.type == report.type and t.sentences & sentences:
            return "copy", t, {"rule": "copy-sentence", "original_event": t.doc_event_id,
                               "sentence": sorted(t.sentences & sentences)[0][:300]}
    for t in free:
        if (t.type == report.type and t.keys == report.store_keys
                and dates_agree(t.date, t.precision, report.date, report.precision)):
            return "copy", t, {"rule": "copy-participants",
                               "original_event": t.doc_event_id,
                               "shared": sorted(t.keys)}
    present = [s for s in sentences if s and s in original_text]
    if present:
        return "repeat", None, {"rule": "copy-repeat", "sentence": present[0][:300]}
    return "new", None, {}
