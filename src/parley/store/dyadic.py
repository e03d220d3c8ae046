"""Quad classes, PLOVER scores, the dyadic projection and period buckets.

Scores and quad classes are data: ``parley/data/plover_scores.yaml`` (from the PLOVER
manual). The projection turns an n-ary event into directed dyads the way GDELT-style
tools expect: every (actor -> recipient) pair, and for symmetric participants (role
``participant``: "Kenya and Uganda agreed") both directions of every pair.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Literal, Protocol, TypeVar

import yaml

from parley.errors import KnowledgeError

Period = Literal["day", "week", "month"]


@dataclass(frozen=True)
class TypeScore:
    quad: int
    score: float
    modes: dict[str, float]


@dataclass(frozen=True)
class ScoreTable:
    quads: dict[int, str]
    types: dict[str, TypeScore]

    def quad(self, event_type: str) -> int:
        return self.types[event_type].quad

    def score(self, event_type: str, mode: str | None = None) -> float:
        entry = self.types[event_type]
        if mode:
            return entry.modes.get(mode.lower(), entry.score)
        return entry.score


@lru_cache(maxsize=1)
def score_table() -> ScoreTable:
    path = resources.files("parley").joinpath("data", "plover_scores.yaml")
    try:
        raw = yaml.safe_load(path.read_text("utf-8"))
        types = {
            name: TypeScore(quad=int(v["quad"]), score=float(v["score"]),
                            modes={str(k).lower(): float(s)
                                   for k, s in (v.get("modes") or {}).items()})
            for name, v in raw["types"].items()
        }
        quads = {int(k): str(v) for k, v in raw["quads"].items()}
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise KnowledgeError(f"invalid score table: {exc}", source=str(path)) from None
    return ScoreTable(quads=quads, types=types)


class _Party(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def role(self) -> str: ...


P = TypeVar("P", bound=_Party)
_SOURCE = frozenset({"actor", "participant"})
_TARGET = frozenset({"recipient", "participant"})


def dyad_pairs(parties: Sequence[P]) -> list[tuple[P, P | None]]:
    """Directed pairs of an event's participants (one per key).

    A source side is an actor or a symmetric participant, a target side a recipient or
    a symmetric participant: so actor -> recipient, and both directions between
    symmetric participants ("Kenya and Uganda agreed"). A report fused with another
    that names roles mixes the two and gets both kinds of pair. An event with a source
    side and no target side gives (actor, None), as GDELT does for one-sided events.
    """
    pairs: list[tuple[P, P | None]] = [
        (a, b) for a in parties for b in parties
        if a.key != b.key and a.role in _SOURCE and b.role in _TARGET]
    if not pairs:
        pairs = [(a, None) for a in parties if a.role in _SOURCE]
    return pairs


def bucket(day: date, by: Period) -> date:
    """The first day of the period ``day`` falls in (weeks start on Monday)."""
    if by == "day":
        return day
    if by == "week":
        return day - timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    raise ValueError(f"unknown period {by!r}")


@dataclass(frozen=True)
class PeriodRow:
    start: date
    counts: dict[int, int]  # quad class -> events
    total: int
    mean_score: float


def series(points: Iterable[tuple[date, int, float]], by: Period) -> list[PeriodRow]:
    """Per period: events per quad class and their mean score, oldest first."""
    grouped: dict[date, list[tuple[int, float]]] = {}
    for day, quad, score in points:
        grouped.setdefault(bucket(day, by), []).append((quad, score))
    rows = []
    for start in sorted(grouped):
        items = grouped[start]
        counts = {q: sum(1 for x, _ in items if x == q) for q in (1, 2, 3, 4)}
        rows.append(PeriodRow(start=start, counts=counts, total=len(items),
                              mean_score=round(sum(s for _, s in items) / len(items), 3)))
    return rows
