"""Offline gazetteer: cities (GeoNames, population >= 15,000) and countries.

The index ships with Parley as ``parley/data/gazetteer.json.gz`` (GeoNames data, CC BY
4.0), built at release time by ``parley.knowledge.build_gazetteer``; loading it needs
no third-party package and writes no cache. Fuzzy matching (rapidfuzz) is offered only
to callers that already know the context is a place: a dateline, or a name after
"in"/"at". Ordinary words never become places.
"""

from __future__ import annotations

import gc
import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from parley.errors import KnowledgeError
from parley.knowledge.names import fold
from parley.settings import Settings

# the layout of the shipped file; build_gazetteer writes the same number
FORMAT = 1
DATA_FILE = "gazetteer.json.gz"


@dataclass(frozen=True, slots=True)
class GazEntry:
    name: str
    country: str | None  # ISO alpha-3
    lat: float
    lon: float
    population: int
    capital: bool = False
    is_country: bool = False


class Gazetteer:
    """Places are plain tuples (cheap to load) wrapped on access; each folded name
    points at one place by position, or at a list of them, best first."""

    def __init__(self, places: list[tuple], keys: dict[str, int | list[int]],
                 fuzzy_keys: list[str]):
        self._places = places
        self._keys = keys
        self._fuzzy_keys = fuzzy_keys

    def _ids(self, key: str) -> list[int]:
        found = self._keys.get(key)
        if found is None:
            return []
        return [found] if isinstance(found, int) else found

    def lookup(self, name: str) -> GazEntry | None:
        """Exact (folded) match; the most populous / capital candidate wins."""
        ids = self._ids(fold(name))
        return GazEntry(*self._places[ids[0]]) if ids else None

    def candidates(self, name: str) -> list[GazEntry]:
        return [GazEntry(*self._places[i]) for i in self._ids(fold(name))]

    def fuzzy(self, name: str, *, min_score: float = 80.0) -> tuple[GazEntry, float] | None:
        """Typo-tolerant match among notable places. Call only in a place context."""
        key = fold(name)
        exact = self._ids(key)
        if exact:
            return GazEntry(*self._places[exact[0]]), 100.0
        if len(key) < 4:
            return None
        from rapidfuzz import fuzz, process

        best = process.extractOne(key, self._fuzzy_keys, scorer=fuzz.ratio,
                                  score_cutoff=min_score)
        if best is None:
            return None
        return GazEntry(*self._places[self._ids(best[0])[0]]), float(best[1])

    def __len__(self) -> int:
        return len(self._keys)


def read_gazetteer(data: bytes, *, source: str = DATA_FILE) -> Gazetteer:
    """A ``Gazetteer`` from the bytes of a file written by ``build_gazetteer``."""
    # some 160,000 small containers: the cyclic collector has nothing to find in them,
    # and running it while they are created doubles the load time
    enabled = gc.isenabled()
    gc.disable()
    try:
        doc = json.loads(gzip.decompress(data))
        if doc.get("format") != FORMAT:
            raise KnowledgeError(f"gazetteer format {doc.get('format')!r}, expected "
                                 f"{FORMAT} (rebuild it with build_gazetteer)", source=source)
        places = [tuple(p) for p in doc["places"]]
        return Gazetteer(places, doc["keys"], doc["fuzzy"])
    except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:
        raise KnowledgeError(f"unreadable gazetteer ({exc})", source=source) from None
    finally:
        if enabled:
            gc.enable()


@lru_cache(maxsize=1)
def _shipped() -> Gazetteer:
    data = resources.files("parley").joinpath("data", DATA_FILE).read_bytes()
    return read_gazetteer(data)


def load_gazetteer(settings: Settings | None = None) -> Gazetteer:
    """The gazetteer shipped with Parley (read once per process; it is never changed)."""
    return _shipped()
