"""The dyadic projection and period buckets of fused events.

Scores and quad classes are data (``parley.knowledge.plover``). The projection turns
an n-ary event into directed dyads the way GDELT-style tools expect: every
(actor -> recipient) pair, and for symmetric participants (role ``participant``:
"Kenya and Uganda agreed") both directions of every pair.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, Protocol, TypeVar

Period = Literal["day", "week", "month"]


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
