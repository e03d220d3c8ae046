"""In-document fusion: mentions of one event become one event; disagreements become
conflicts; the document's actors and events are assembled with their evidence.

Two mentions are the same event when they have the same type, compatible
factuality, and either share a participant (or country) or the later one is a
definite back-reference ("the meeting", "the talks") with no participants of its own.
When the merged mentions name different dates, the date is disputed; when one account
lists participants another account of the same event leaves out, those are disputed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import replace as _replace

from parley.actors import resolver
from parley.knowledge.plover import PloverTable
from parley.model import (
    Actor,
    ActorRef,
    Candidate,
    Conflict,
    Document,
    Event,
    EventDate,
    Mention,
    Participant,
    Span,
    Work,
)


@dataclass
class EventCluster:
    """Mentions of one event; participant keys are kept up to date as mentions join."""

    mentions: list[Candidate] = field(default_factory=list)
    _refs: dict[str, ActorRef] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for m in list(self.mentions):
            self._index(m)

    def add(self, m: Candidate) -> None:
        self.mentions.append(m)
        self._index(m)

    def _index(self, m: Candidate) -> None:
        for r in m.actors + m.recipients:
            self._refs.setdefault(r.key, r)

    @property
    def type(self) -> str:
        return self.mentions[0].type

    @property
    def factuality(self) -> str:
        return self.mentions[0].factuality

    def refs(self) -> list[ActorRef]:
        return list(self._refs.values())

    def keys(self) -> set[str]:
        return set(self._refs)

    def countries(self) -> set[str]:
        return {r.country for r in self._refs.values() if r.country}


def _same_event(cluster: EventCluster, m: Candidate, plover: PloverTable) -> bool:
    if cluster.type != m.type or not plover.compatible_factuality(cluster.factuality,
                                                                  m.factuality):
        return False
    keys = m.participant_keys
    if keys & cluster.keys():
        return True
    countries = {r.country for r in m.actors + m.recipients if r.country}
    if len(countries) >= 2 and len(countries & cluster.countries()) >= 2:
        return True
    # "the meeting", "the talks": a definite back-reference with nobody named
    return not keys and m.nominal and m.definite


def cluster_mentions(mentions: list[Candidate], plover: PloverTable) -> list[EventCluster]:
    clusters: list[EventCluster] = []
    for m in mentions:
        target = None
        for c in reversed(clusters):
            if _same_event(c, m, plover):
                target = c
                break
        if target is None:
            clusters.append(EventCluster([m]))
        else:
            target.add(m)
    return clusters


def resolve_date(cluster: EventCluster, event_id: str) -> tuple[EventDate, list[Conflict]]:
    dated = [m for m in cluster.mentions if m.date is not None]
    if not dated:
        return EventDate(), []
    values = list(dict.fromkeys(m.date.value for m in dated if m.date))
    first = dated[0].date
    assert first is not None
    spans = dict.fromkeys((m.date.start, m.date.end) for m in dated if m.date)
    evidence = [Span(start=a, end=b) for a, b in spans]
    if len(values) == 1:
        return EventDate(value=first.value, precision=first.precision,  # type: ignore[arg-type]
                         candidates=values, evidence=evidence), []
    detail = "mentions of this event give different dates: " + ", ".join(
        v.isoformat() for v in values)
    return (
        EventDate(value=first.value, precision=first.precision,  # type: ignore[arg-type]
                  disputed=True, candidates=sorted(values), evidence=evidence),
        [Conflict(kind="date", event=event_id, detail=detail, evidence=evidence)],
    )


def _names(m: Candidate, ref: ActorRef) -> bool:
    for r in m.actors + m.recipients:
        if r.key == ref.key or (ref.country and r.country == ref.country and (
                r.kind == "country" or ref.kind == "country")):
            return True
    return False


def disputed_participants(cluster: EventCluster, event_id: str
                          ) -> tuple[set[str], list[Conflict]]:
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


def confidence(m: Candidate) -> float:
    """0-1 from the trigger's lexicon weight, whether participants were found, and how
    deep (and how subordinate) the trigger sits in its clause."""
    score = m.weight * (0.9 if (m.actors or m.recipients) else 0.6)
    # a trigger deep in the clause ("... said it would consider talks") is less often the
    # event the sentence reports than one at its root
    score *= 1.0 - min(0.4, 0.07 * m.depth)
    if m.nominal:
        score *= 0.95
    if m.subordinate:
        score *= 0.8
    return round(max(0.05, min(1.0, score)), 3)


class _ActorIds:
    """Document-local actor ids ("a1", "a2" ...) in order of first appearance."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}
        self.refs: dict[str, dict[tuple[int, int], ActorRef]] = {}

    def __call__(self, ref: ActorRef) -> str:
        if ref.key not in self.ids:
            self.ids[ref.key] = f"a{len(self.ids) + 1}"
            self.refs[ref.key] = {}
        self.refs[ref.key].setdefault((ref.start, ref.end), ref)
        return self.ids[ref.key]

    def actors(self) -> list[Actor]:
        out = []
        for key, aid in self.ids.items():
            refs = list(self.refs[key].values())
            head = refs[0]
            out.append(Actor(
                id=aid, name=head.name, kind=head.kind,  # type: ignore[arg-type]
                country=head.country, sector=head.sector, kb_id=head.kb_id,
                aliases=list(dict.fromkeys(r.surface for r in refs)),
                mentions=[Span(start=s, end=e)
                          for s, e in sorted({(r.start, r.end) for r in refs})],
            ))
        return out


def _participants(cluster: EventCluster, disputed: set[str], actor_id: _ActorIds,
                  plover: PloverTable) -> list[Participant]:
    first = cluster.mentions[0]
    refs_all = [(r, "actor") for m in cluster.mentions for r in m.actors] + [
        (r, "recipient") for m in cluster.mentions for r in m.recipients]
    # "A, B and C met": everyone takes part alike; "A met B" keeps who met whom
    n_actors = len({r.key for r, role in refs_all if role == "actor"})
    symmetric = plover.types[first.type].symmetric and (
        n_actors != 1 or len({r.key for r, _ in refs_all}) > 2)
    out: list[Participant] = []
    seen: set[str] = set()
    for ref, role in refs_all:
        if ref.key in seen:
            continue
        seen.add(ref.key)
        out.append(Participant(actor=actor_id(ref),
                               role="participant" if symmetric else role,  # type: ignore[arg-type]
                               disputed=ref.key in disputed))
    return out


def assemble(work: Work) -> Document:
    """The document contract from the candidates: fused events, actors, conflicts."""
    article, k = work.article, work.knowledge
    plover = k.plover
    actor_id = _ActorIds()
    for ref in resolver(work).all_refs():
        actor_id(ref)
    events: list[Event] = []
    conflicts: list[Conflict] = []
    for n, cluster in enumerate(cluster_mentions(list(work.candidates or ()), plover),
                                start=1):
        eid = f"e{n}"
        first = cluster.mentions[0]
        disputed, part_conflicts = disputed_participants(cluster, eid)
        event_date, date_conflicts = resolve_date(cluster, eid)
        place = next((m.place for m in cluster.mentions if m.place is not None), None)
        events.append(Event(
            id=eid, type=first.type, mode=first.mode, context=None,  # type: ignore[arg-type]
            factuality=first.factuality,  # type: ignore[arg-type]
            participants=_participants(cluster, disputed, actor_id, plover),
            date=event_date, place=place,
            mentions=[Mention(start=m.sent_start, end=m.sent_end,
                              trigger=Span(start=m.trigger_start, end=m.trigger_end))
                      for m in cluster.mentions],
            confidence=max(confidence(m) for m in cluster.mentions),
        ))
        conflicts.extend(date_conflicts)
        conflicts.extend(part_conflicts)
    return Document(
        id=article.id, published=article.published, title=article.title, text=article.text,
        dateline=work.dateline, removed=list(work.removed or ()), actors=actor_id.actors(),
        events=events, conflicts=conflicts,
    )


class Fuse:
    name = "fuse"
    requires: tuple[str, ...] = ("candidates", "dates", "places", "removed", "dateline")
    assigns: tuple[str, ...] = ("document",)

    def __call__(self, work: Work) -> Work:
        return _replace(work, document=assemble(work))


__all__ = ["EventCluster", "Fuse", "assemble", "cluster_mentions", "confidence",
           "disputed_participants", "resolve_date"]
