"""The PLOVER table as data: quad classes, scores and what the rules read per type.

From ``parley/data/plover.yaml`` (the PLOVER manual's quad categories and numeric
scores, plus Parley's per-type reading: recipient prepositions, symmetric types, what
a stated intention is coded as).
"""

from __future__ import annotations

from dataclasses import dataclass

from parley.errors import KnowledgeError
from parley.knowledge import loader
from parley.model import PLOVER_TYPES
from parley.settings import Settings


@dataclass(frozen=True)
class TypeInfo:
    quad: int
    score: float
    modes: dict[str, float]
    recipient_prepositions: frozenset[str]
    symmetric: bool
    clause_recipient: bool
    intent: str | None  # the type a stated intention to do this is coded as


@dataclass(frozen=True)
class PloverTable:
    quads: dict[int, str]
    types: dict[str, TypeInfo]
    realis: frozenset[str]

    def quad(self, event_type: str) -> int:
        return self.types[event_type].quad

    def quad_name(self, quad: int) -> str:
        return self.quads.get(quad, "")

    def score(self, event_type: str, mode: str | None = None) -> float:
        entry = self.types[event_type]
        if mode:
            return entry.modes.get(mode.lower(), entry.score)
        return entry.score

    def compatible_factuality(self, a: str, b: str) -> bool:
        """Two mentions with these factualities can report one event: equal, or both
        realis ("asserted" and "reported": the event is said to have happened)."""
        return a == b or (a in self.realis and b in self.realis)


def load_plover(settings: Settings) -> PloverTable:
    raw = loader.mapping("plover", settings)
    source = "parley/data/plover.yaml"
    try:
        types = {
            name: TypeInfo(
                quad=int(v["quad"]), score=float(v["score"]),
                modes={str(k).lower(): float(s) for k, s in (v.get("modes") or {}).items()},
                recipient_prepositions=frozenset(
                    str(p) for p in v.get("recipient_prepositions") or ()),
                symmetric=bool(v.get("symmetric", False)),
                clause_recipient=bool(v.get("clause_recipient", False)),
                intent=v.get("intent"),
            )
            for name, v in raw["types"].items()
        }
        quads = {int(k): str(v) for k, v in raw["quads"].items()}
        realis = frozenset(str(x) for x in raw["factuality"]["realis"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise KnowledgeError(f"invalid PLOVER table: {exc}", source=source) from None
    missing = set(PLOVER_TYPES) - set(types)
    bad_intent = {t for t, i in types.items() if i.intent and i.intent not in PLOVER_TYPES}
    if missing or bad_intent:
        raise KnowledgeError(f"PLOVER table lacks {sorted(missing)} or has unknown intent "
                             f"types for {sorted(bad_intent)}", source=source)
    return PloverTable(quads=quads, types=types, realis=realis)
