"""In-document fusion: mentions of one event become one event; disagreements become
conflicts; the document's actors and events are assembled with their evidence.

With the learned coder, a pair model decides which mentions are one event
(``parley.learn.coder.learned_clusters``). Without it, two mentions are the same event
when they have the same type, compatible factuality, and either share a participant
(or country), stand in the same sentence with participants that do not contradict
each other, or the later one is a definite back-reference ("the meeting", "the talks")
with no participants of its own. When the
merged mentions name different explicit dates (day dates, of current events), the date
is disputed; when one account that lists participants names a country another listing
of the same event leaves out, that participant is disputed. Spelling variants of one
person (the same knowledge-base entity, or names that fold to the same surname and
given-name initial) are one participant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from dataclasses import replace as _replace
from datetime import date

from parley.actors import resolver
from parley.fuse.accounts import (
    Kept,
    account_sentence,
    listed_together,
    listing,
    omitted,
    redated,
    repeat_sentence,
)
from parley.fuse.antecedents import retold_recipients
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
from parley.resolve import context_date, interval_date


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
    if cluster.mentions[0].background != m.background:
        return False
    keys = m.participant_keys
    if keys & cluster.keys():
        return True
    if any(c.sent_start == m.sent_start for c in cluster.mentions) and (
            not keys or not cluster.keys() or _same_countries(cluster, m)):
        # "staged a protest ... the demonstration", in one sentence: one event
        return True
    countries = {r.country for r in m.actors + m.recipients if r.country}
    if len(countries) >= 2 and len(countries & cluster.countries()) >= 2:
        return True
    # "the meeting", "the talks": a definite back-reference with nobody named
    return not keys and m.nominal and m.definite


def _same_countries(cluster: EventCluster, m: Candidate) -> bool:
    mine = {r.country for r in m.actors + m.recipients if r.country}
    return bool(mine) and mine <= cluster.countries()


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


# Two day dates of one event further apart than this are not two accounts of it
# disagreeing but two events the mentions were wrongly merged from ("the talks on
# Tuesday" and "talks on May 28"): no conflict is recorded for them.
CONFLICT_MAX_DAYS = 2


def resolve_date(cluster: EventCluster, event_id: str, work: Work | None = None
                 ) -> tuple[EventDate, list[Conflict]]:
    """The event's date from its mentions', and a date conflict where two of them give
    different days (with ``work``: only if the two accounts are told as two, see
    ``second_account``)."""
    dated = [m for m in cluster.mentions if m.date is not None]
    if not dated:
        return EventDate(), []
    # the most precise date is the event's; coarser ones ("in March", "11 years ago")
    # describe something else or agree with it, and never dispute it
    best = min(("day", "week", "month", "year").index(m.date.precision)
               for m in dated if m.date)
    precise = [m for m in dated if m.date and
               ("day", "week", "month", "year").index(m.date.precision) == best]
    values = list(dict.fromkeys(m.date.value for m in precise if m.date))
    first = precise[0].date
    assert first is not None
    spans = dict.fromkeys((m.date.start, m.date.end) for m in precise if m.date)
    evidence = [Span(start=a, end=b) for a, b in spans]
    near = [v for v in values if abs((v - first.value).days) <= CONFLICT_MAX_DAYS]
    if (len(near) == 1 or first.precision != "day" or cluster.mentions[0].background):
        return EventDate(value=first.value, precision=first.precision,  # type: ignore[arg-type]
                         candidates=values[:1], evidence=evidence), []
    if work is not None and not second_account(work, precise, near):
        # not two accounts of one day: the day of the most confident mention
        main = max(precise, key=confidence).date
        assert main is not None
        return EventDate(value=main.value, precision=main.precision,  # type: ignore[arg-type]
                         candidates=[main.value], evidence=evidence), []
    # both sides' evidence: the first date expression of each differing value, once
    sides: dict = {}
    for m in precise:
        if m.date and m.date.value in near:
            sides.setdefault(m.date.value, Span(start=m.date.start, end=m.date.end))
    detail = "mentions of this event give different dates: " + ", ".join(
        v.isoformat() for v in near)
    return (
        EventDate(value=first.value, precision=first.precision,  # type: ignore[arg-type]
                  disputed=True, candidates=sorted(near), evidence=evidence),
        [Conflict(kind="date", event=event_id, detail=detail,
                  evidence=list(sides.values()))],
    )


def _moved_by_intervals(work: Work, cluster: EventCluster) -> EventCluster:
    """The cluster with each mention told in an interval clause ("a day after officers
    fired ...") dated by its main clause's day moved by the interval, or undated where
    the interval is not counted ("days after"; ``resolve.interval_date``), before the
    mentions' dates are compared: "spent the night on the bridge on Saturday, a day
    after officers fired pepper spray" and "the confrontation on Friday afternoon" then
    agree on Friday."""
    moved: list[Candidate] = []
    changed = False
    for m in cluster.mentions:
        if (m.date is not None and m.date.precision == "day" and m.factuality == "asserted"
                and not m.background):
            applies, found = interval_date(work, m, m.date.value)
            if applies:
                m, changed = _replace(m, date=found), True
        moved.append(m)
    return EventCluster(moved) if changed else cluster


def second_account(work: Work, precise: list[Candidate], days: list) -> bool:
    """Are mentions that date one event differently two accounts of it? One of their
    sentences says so ("gave a different account", "rather than"), or both list
    participants (``listing``), two of them in common (two listings of one meeting), and
    neither tells of a repeat ("again", "another": two parties may meet, talk or fight
    on two days)."""
    cues = work.knowledge.cues.conflicts
    text = work.article.text
    sides = [next(m for m in precise if m.date and m.date.value == d) for d in days]
    if any(account_sentence(text[m.sent_start:m.sent_end], cues) for m in sides):
        return True
    if any(repeat_sentence(text[m.sent_start:m.sent_end], cues) for m in sides):
        return False
    lists = [m for m in sides if listing(work, m)]
    return any(listed_together(a, b, same_actor) >= 2 for i, a in enumerate(lists)
               for b in lists[i + 1:])


def _person_key(name: str) -> tuple[str, str]:
    words = name.lower().replace(".", "").split()
    return (words[-1] if words else "", words[0][:1] if len(words) > 1 else "")


def same_actor(a: ActorRef, b: ActorRef) -> bool:
    """One actor named twice: the same key or entity, a person spelt two ways (Sergei /
    Sergey Shoigu), or a country and a person or body of that country."""
    if a.key == b.key or (a.kb_id is not None and a.kb_id == b.kb_id):
        return True
    if a.kind == "person" and b.kind == "person":
        ka, kb = _person_key(a.name), _person_key(b.name)
        return ka[0] == kb[0] and (not ka[1] or not kb[1] or ka[1] == kb[1])
    return bool(a.country) and a.country == b.country and (
        a.kind == "country" or b.kind == "country")


def shared_participants(a: Candidate, b: Candidate) -> int:
    """How many of ``b``'s participants ``a`` names too (spelling variants included)."""
    refs = a.actors + a.recipients
    return sum(1 for r in b.actors + b.recipients if any(same_actor(r, x) for x in refs))


def clusters_of(work: Work) -> list[EventCluster]:
    """The events of the document's candidates: grouped by the learned pair model when
    the candidates were scored by the learned coder, else by the rules above."""
    cands = list(work.candidates or ())
    models = getattr(work.knowledge, "models", None)
    if models is not None and cands and all(c.score is not None for c in cands):
        from parley.learn.coder import learned_clusters

        groups = learned_clusters(work, cands, models, shared_participants)
        return [EventCluster([cands[i] for i in g]) for g in groups]
    return cluster_mentions(cands, work.knowledge.plover)


def _names(m: Candidate, ref: ActorRef) -> bool:
    return any(same_actor(r, ref) for r in m.actors + m.recipients)


def disputed_participants(cluster: EventCluster, event_id: str, work: Work,
                          named: Sequence[ActorRef] = ()) -> tuple[set[str], list[Conflict]]:
    """Participants that one listing of the event names and another listing leaves out.

    A listing names two participants or more joined in one coordination in its own
    sentence ("Russia, China and Iran"; ``accounts.listing``). The account that leaves a
    country out must be the same event beyond doubt: it shares two participants with
    the account that names it, in another sentence, and its sentence does not name the
    participant at all (``named``: every actor mention of the article; a name the
    argument linker left out of a listing is not a second account). One conflict per
    participant, with the sentence of each side."""
    # a listing names its participants in its own sentence (not through the linker's
    # reading of earlier sentences)
    listings = [m for m in cluster.mentions if listing(work, m)]
    if len(listings) < 2:
        return set(), []
    disputed: set[str] = set()
    conflicts: list[Conflict] = []
    for ref in cluster.refs():
        if ref.kind not in ("country", "organisation", "group") or not ref.country:
            continue  # a listing names countries; people are matched through them
        present = [m for m in listings if _names(m, ref)]
        pair = next(((p, a) for p in present for a in listings
                     if not _names(a, ref) and a.sent_start != p.sent_start
                     and _shared_others(p, a, ref) >= 2
                     and not any(same_actor(r, ref) and a.sent_start <= r.start
                                 and r.end <= a.sent_end for r in named)), None)
        if pair is None or ref.key in disputed:
            continue
        p, a = pair
        disputed.add(ref.key)
        conflicts.append(Conflict(
            kind="participants", event=event_id,
            detail=f"{ref.name} is named as a participant in one account but not in another",
            evidence=[Span(start=p.sent_start, end=p.sent_end),
                      Span(start=a.sent_start, end=a.sent_end)],
        ))
    return disputed, conflicts


def _shared_others(a: Candidate, b: Candidate, ref: ActorRef) -> int:
    """Participants both mentions name, other than ``ref``."""
    return sum(1 for r in b.actors + b.recipients
               if not same_actor(r, ref) and any(same_actor(r, x)
                                                 for x in a.actors + a.recipients))


def confidence(m: Candidate) -> float:
    """The learned scorer's calibrated probability; without models, a rule score from
    the trigger's lexicon weight, whether participants were found, and how deep (and how
    subordinate) the trigger sits in its clause."""
    if m.score is not None:
        return round(max(0.0, min(1.0, m.score)), 3)
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
                  plover: PloverTable, work: Work) -> list[Participant]:
    first = cluster.mentions[0]
    refs_all = [(r, "actor") for m in cluster.mentions for r in m.actors] + [
        (r, "recipient") for m in cluster.mentions for r in m.recipients]
    # "A, B and C met": everyone takes part alike; "A met B" keeps who met whom
    n_actors = len({r.key for r, role in refs_all if role == "actor"})
    symmetric = plover.types[first.type].symmetric and (
        n_actors != 1 or len({r.key for r, _ in refs_all}) > 2)
    # two-sided fighting ("rebels clashed with the army"): every side takes part alike
    if not symmetric and work.doc is not None and len({r.key for r, _ in refs_all}) > 1:
        lemmas = work.knowledge.cues.arguments.two_sided_lemmas
        symmetric = any(work.doc[m.head_i].lemma_.lower() in lemmas
                        for m in cluster.mentions)
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


def assemble(work: Work, min_confidence: float = 0.0) -> Document:
    """The document contract from the candidates: fused events, actors, conflicts.
    Events below ``min_confidence`` are left out."""
    article, k = work.article, work.knowledge
    plover = k.plover
    actor_id = _ActorIds()
    named = list(resolver(work).all_refs())
    for ref in named:
        actor_id(ref)
    events: list[Event] = []
    conflicts: list[Conflict] = []
    kept: list[Kept] = []
    n = 0
    retold = retold_recipients(work)
    for cluster in clusters_of(work):
        if retold:
            cluster = EventCluster([retold.get(id(m), m) for m in cluster.mentions])
        score = max(confidence(m) for m in cluster.mentions)
        if score < min_confidence:
            continue
        n += 1
        eid = f"e{n}"
        first = cluster.mentions[0]
        disputed, part_conflicts = disputed_participants(cluster, eid, work, named)
        if work.doc is not None:
            cluster = _moved_by_intervals(work, cluster)
        event_date, date_conflicts = resolve_date(cluster, eid, work)
        if (event_date.value is None and first.factuality == "asserted"
                and not first.background and work.doc is not None):
            lent = context_date(work, min(cluster.mentions, key=lambda m: m.sent_start))
            if lent is not None:
                event_date = EventDate(value=lent.value, precision="day",
                                       candidates=[lent.value],
                                       evidence=[Span(start=lent.start, end=lent.end)])
        day = next((m.date for m in cluster.mentions if m.date is not None
                    and m.date.precision == "day" and m.date.value == event_date.value),
                   None) if event_date.precision == "day" and not first.background else None
        kept.append(Kept(id=eid, type=first.type, mentions=tuple(cluster.mentions),
                         day=day.value if day else None,
                         day_span=(day.start, day.end) if day else None,
                         disputed=event_date.disputed))
        place = next((m.place for m in cluster.mentions if m.place is not None), None)
        events.append(Event(
            id=eid, type=first.type, mode=first.mode, context=None,  # type: ignore[arg-type]
            factuality=first.factuality,  # type: ignore[arg-type]
            participants=_participants(cluster, disputed, actor_id, plover, work),
            date=event_date, place=place,
            mentions=[Mention(start=m.sent_start, end=m.sent_end,
                              trigger=Span(start=m.trigger_start, end=m.trigger_end))
                      for m in cluster.mentions],
            confidence=score, background=_background(cluster, event_date, work.published),
        ))
        conflicts.extend(date_conflicts)
        conflicts.extend(part_conflicts)
    events, more = _second_accounts(work, events, kept, named, actor_id)
    conflicts.extend(more)
    return Document(
        id=article.id, published=article.published, title=article.title, text=article.text,
        dateline=work.dateline, removed=list(work.removed or ()), actors=actor_id.actors(),
        events=events, conflicts=conflicts, signature=work.signature,
    )


def _background(cluster: EventCluster, event_date: EventDate, published: date | None
                ) -> bool:
    """Did the event happen well before the news? When it has a day ("arrested on Sept.
    30"), or a year before publication's, the mentions that carry it decide (their date
    was compared with publication); an undated retelling ("the arrest") cannot make it
    current. A month or the year of publication is too coarse to overrule its mentions'
    reading: every one of them must be background."""
    value, precision = event_date.value, event_date.precision
    if value is not None and (precision == "day" or (
            precision == "year" and published is not None and value.year < published.year)):
        dated = [m for m in cluster.mentions if m.date is not None
                 and m.date.value == value and m.date.precision == precision]
        if dated:
            return all(m.background for m in dated)
    return all(m.background for m in cluster.mentions)


def _second_accounts(work: Work, events: list[Event], kept: list[Kept],
                     named: Sequence[ActorRef], actor_id: _ActorIds
                     ) -> tuple[list[Event], list[Conflict]]:
    """Conflicts told in sentences of their own (``fuse.accounts``), marked on the
    events they retell."""
    cues = work.knowledge.cues.conflicts
    dates = redated(work, kept, cues)
    parts = omitted(work, kept, named, cues, same_actor)
    if not dates and not parts:
        return events, []
    by_id = {e.id: e for e in events}
    for eid, day, _ in dates:
        e = by_id[eid]
        own = e.date.candidates or ([e.date.value] if e.date.value else [])
        values = sorted({*own, day})
        by_id[eid] = e.model_copy(update={"date": e.date.model_copy(
            update={"disputed": True, "candidates": values})})
    out: list[Conflict] = [c for _, _, c in dates]
    for eid, key, conflict in parts:
        e = by_id[eid]
        aid = actor_id.ids.get(key)
        if aid is None or not any(p.actor == aid and not p.disputed for p in e.participants):
            continue  # not a participant of the event, or disputed already
        by_id[eid] = e.model_copy(update={"participants": [
            p.model_copy(update={"disputed": True}) if p.actor == aid else p
            for p in e.participants]})
        out.append(conflict)
    return [by_id[e.id] for e in events], out


class Fuse:
    name = "fuse"
    requires: tuple[str, ...] = ("candidates", "dates", "places", "removed", "dateline",
                                 "signature")
    assigns: tuple[str, ...] = ("document",)

    def __init__(self, *, min_confidence: float | None = None):
        self.min_confidence = min_confidence

    def threshold(self, work: Work) -> float:
        """``--min-confidence``, else the setting, else the models' dev-chosen default."""
        if self.min_confidence is not None:
            return self.min_confidence
        k = work.knowledge
        if k.settings.min_confidence is not None:
            return float(k.settings.min_confidence)
        models = getattr(k, "models", None)
        return models.min_confidence if models is not None else 0.0

    def __call__(self, work: Work) -> Work:
        return _replace(work, document=assemble(work, self.threshold(work)))


__all__ = ["EventCluster", "Fuse", "assemble", "cluster_mentions", "clusters_of",
           "confidence", "disputed_participants", "resolve_date", "shared_participants"]
