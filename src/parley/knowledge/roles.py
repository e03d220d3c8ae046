"""Role nouns -> PLOVER sector (``parley/data/lexicon/roles.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass

from parley.errors import KnowledgeError
from parley.knowledge import loader
from parley.settings import Settings


@dataclass(frozen=True)
class RoleTable:
    """Lemma tuples ("prime", "minister") -> sector code ("GOV")."""

    sectors: dict[tuple[str, ...], str]

    def get(self, words: tuple[str, ...]) -> str | None:
        return self.sectors.get(words)

    def __contains__(self, words: object) -> bool:
        return words in self.sectors


def load_roles(settings: Settings) -> RoleTable:
    table: dict[tuple[str, ...], str] = {}
    for sector, words in loader.mapping("roles", settings).items():
        if not isinstance(words, list):
            raise KnowledgeError(f"{sector}: expected a list of role nouns",
                                 source="parley/data/lexicon/roles.yaml")
        for w in words:
            table.setdefault(tuple(str(w).lower().split()), sector)
    return RoleTable(table)
