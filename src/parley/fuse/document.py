"""In-document fusion: mentions of one event become one event; disagreements become conflicts.

Two mentions are the same event when they have the same type, compatible
factuality, and either share a participant (or country) or the later one is a
definite back-reference ("the meeting", "the talks") with no participants of its own.
When the merged mentions name different dates, the date is disputed; when one account
lists participants another account of the same event leaves out, those are disputed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parley.extract.events import EventMention
from parley.model import Conflict, EventDate, Span
from parley.resolve.actors import Ref

_REALIS = frozenset({"asserted", "reported"})


@dataclass
class EventCluster:
    """Mentions of one event; participant keys are kept up to date as mentions join."""

    mentions: list[EventMention] = field(default_factory=list)
    _refs: dict[str, Ref] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for m in list(self.mentions):
            self._index(m)

    def add(self, m: EventMention) -> None:
        self.mentions.append(m)
        self._index(m)

    def _index(self, m: EventMention) -> None:
        for r in m.actors + m.recipients:
            self._refs.setdefault(r.key, r)

    @property
    def type(self) -> str:
        return self.mentions[0].type

    @property
    def factuality(self) -> str:
        return self.mentions[0].factuality

    def refs(self) -> list[Ref]:
        return list(self._refs.values())

    def keys(self) -> set[str]:
        return set(self._refs)

    def countries(self) -> set[str]:
        return {r.country for r in self._refs.values() if r.country}


def _compatible(a: str, b: str) -> bool:
    return a == b or (a in _REALIS and b in _REALIS)


def _same_event(cluster: EventCluster, m: EventMention) -> bool:
    if cluster.type != m.type or not _compatible(cluster.factuality, m.factuality):
        return False
    keys = m.participant_keys
    if keys & cluster.keys():
        return True
    countries = {r.country for r in m.actors + m.recipients if r.country}
    if len(countries) >= 2 and len(countries & cluster.countries()) >= 2:
        return True
    # "the meeting", "the talks": a definite back-reference with nobody named
    return not keys and m.nominal and m.definite


def cluster_mentions(mentions: list[EventMention]) -> list[EventCluster]:
    clusters: list[EventCluster] = []
    for m in mentions:
        target = None
        for c in reversed(clusters):
            if _same_event(c, m):
                target = c
                break
        if target is None:
            clusters.append(EventCluster([m]))
        else:
            target.add(m)
    return clusters


def resolve_date(cluster: EventCluster, event_id: str) -> tuple[EventDate, list[Conflict]]:
    dated = [m for m in cluster.mentions if m.date_value]
    if not dated:
        return EventDate(), []
    values = list(dict.fromkeys(m.date_value for m in dated))
    first = dated[0]
    spans = dict.fromkeys(m.date_expr for m in dated if m.date_expr)
    evidence = [Span(start=a, end=b) for a, b in spans]
    if len(values) == 1:
        return EventDate(value=first.date_value, precision=first.date_precision,
                         candidates=values, evidence=evidence), []
    detail = "mentions of this event give different dates: " + ", ".join(values)
    return (
        EventDate(value=first.date_value, precision=first.date_precision, disputed=True,
                  candidates=sorted(values), evidence=evidence),
        [Conflict(kind="date", event=event_id, detail=detail, evidence=evidence)],
    )


def disputed_participants(cluster: EventCluster, event_id: str) -> tuple[set[str], list[Conflict]]:
    """Participants that one listing of the event names and another listing leaves out."""
    listings = [m for m in cluster.mentions if len(m.participant_keys) >= 2]
    if len(listings) < 2:
        return set(), []
    disputed: set[str] = set()
    conflicts: list[Conflict] = []
    for ref in cluster.refs():
        present = [m for m in listings if _names(m, ref)]
        absent = [m for m in listings if not _names(m, ref)]
        if present and absent:
            disputed.add(ref.key)
            evidence = [Span(start=present[0].sent_start, end=present[0].sent_end),
                        Span(start=absent[0].sent_start, end=absent[0].sent_end)]
            conflicts.append(Conflict(
                kind="participants", event=event_id,
                detail=f"{ref.name} is named as a participant in one account but not in another",
                evidence=evidence,
            ))
    return disputed, conflicts


def _names(m: EventMention, ref: Ref) -> bool:
    for r in m.actors + m.recipients:
        if r.key == ref.key or (ref.country and r.country == ref.country and (
                r.kind == "country" or ref.kind == "country")):
            return True
    return False
