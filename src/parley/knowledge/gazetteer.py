"""Offline gazetteer: cities (GeoNames, population >= 15,000), countries and regions.

The index ships with Parley as ``parley/data/gazetteer.json.gz`` (GeoNames data, CC BY
4.0), built at release time by ``parley.knowledge.build_gazetteer``; loading it needs
no third-party package. Fuzzy matching (rapidfuzz) is offered only
to callers that already know the context is a place: a dateline, or a name after
"in"/"at". Ordinary words never become places.

Regions (states, provinces, governorates, "Darfur", "Donbas") come from the knowledge
base's ``kb/regions.yaml`` (compiled twice, kept where both agree; ``docs/kb.md``): they
carry a country but no coordinates, and a name that is both a city and a region ("Kano",
"Victoria") means the city unless the text says "state" or "province"
(``resolve/places.py``). Regions never enter typo-tolerant matching; they are read once
and then from a compiled cache, as the knowledge base is.
"""

from __future__ import annotations

import gc
import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from parley.errors import KnowledgeError
from parley.knowledge import loader
from parley.knowledge.names import fold
from parley.settings import Settings

# the layout of the shipped file; build_gazetteer writes the same number
FORMAT = 1
DATA_FILE = "gazetteer.json.gz"


@dataclass(frozen=True, slots=True)
class GazEntry:
    name: str
    country: str | None  # ISO alpha-3
    lat: float | None  # None for a region
    lon: float | None
    population: int
    capital: bool = False
    is_country: bool = False
    kind: str = "city"  # "city" for the shipped places (countries too), else the
    # region's kind (state, province, ...)

    __reduce__ = loader.by_constructor

    @property
    def is_region(self) -> bool:
        return self.kind != "city"


class Gazetteer:
    """Places are plain tuples (cheap to load) wrapped on access; each folded name
    points at one place by position, or at a list of them, best first. Regions are
    kept apart (``with_regions``) and come after the cities of the same name."""

    def __init__(self, places: list[tuple], keys: dict[str, int | list[int]],
                 fuzzy_keys: list[str], regions: dict[str, list[GazEntry]] | None = None):
        self._places = places
        self._keys = keys
        self._fuzzy_keys = fuzzy_keys
        self._regions = regions or {}

    def _ids(self, key: str) -> list[int]:
        found = self._keys.get(key)
        if found is None:
            return []
        return [found] if isinstance(found, int) else found

    def lookup(self, name: str) -> GazEntry | None:
        """Exact (folded) match; the most populous / capital candidate wins, and a
        city before a region of the same name."""
        key = fold(name)
        ids = self._ids(key)
        if ids:
            return GazEntry(*self._places[ids[0]])
        regions = self._regions.get(key)
        return regions[0] if regions else None

    def candidates(self, name: str) -> list[GazEntry]:
        key = fold(name)
        return [*(GazEntry(*self._places[i]) for i in self._ids(key)),
                *self._regions.get(key, ())]

    def fuzzy(self, name: str, *, min_score: float = 80.0) -> tuple[GazEntry, float] | None:
        """Typo-tolerant match among notable places (cities and countries; a region
        only by its exact name). Call only in a place context."""
        key = fold(name)
        exact = self.lookup(name)
        if exact is not None:
            return exact, 100.0
        if len(key) < 4:
            return None
        from rapidfuzz import fuzz, process

        best = process.extractOne(key, self._fuzzy_keys, scorer=fuzz.ratio,
                                  score_cutoff=min_score)
        if best is None:
            return None
        return GazEntry(*self._places[self._ids(best[0])[0]]), float(best[1])

    def region(self, name: str) -> GazEntry | None:
        """The region (not a city) of this name, if the knowledge base knows one."""
        regions = self._regions.get(fold(name))
        return regions[0] if regions else None

    def with_regions(self, records: list[dict]) -> Gazetteer:
        """A copy that also knows the regions ``records`` give (``kb/regions.yaml``);
        the cities are shared, not copied."""
        regions: dict[str, list[GazEntry]] = {}
        for r in records:
            entry = GazEntry(r["name"], r["country"], None, None, 0, False, False,
                             r.get("kind") or "region")
            for n in dict.fromkeys(fold(x) for x in [r["name"], *(r.get("aliases") or [])]):
                if len(n) >= 3:
                    regions.setdefault(n, []).append(entry)
        return Gazetteer(self._places, self._keys, self._fuzzy_keys, regions)

    def __len__(self) -> int:
        return len(self._keys) + len(self._regions)


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
    """The gazetteer shipped with Parley (read once per process), with the knowledge
    base's regions (and a user's, ``PARLEY_USER_KNOWLEDGE``)."""
    from parley.settings import load_settings

    return _with_regions(settings or load_settings())


@lru_cache(maxsize=4)
def _with_regions(settings: Settings) -> Gazetteer:
    """The shipped places with the regions, compiled once into a cache keyed by the
    content of the shipped file and the regions' files (loads in about a third of the
    time of the compressed JSON and the regions' YAML)."""
    import hashlib
    from pathlib import Path

    shipped = hashlib.sha256(resources.files("parley").joinpath("data", DATA_FILE)
                             .read_bytes()).hexdigest()[:16]
    version = f"gazetteer-{FORMAT}-{shipped}"
    path = Path(settings.cache_dir) / (
        f"gazetteer-{loader.fingerprint(('regions',), settings, version)}.pickle")
    cached = loader.read_compiled(path)
    if isinstance(cached, Gazetteer):
        return cached
    records = _region_records(settings)
    gaz = _shipped().with_regions(records) if records else _shipped()
    loader.write_compiled(path, gaz)
    return gaz


def _region_records(settings: Settings) -> list[dict]:
    """The regions of ``kb/regions.yaml`` (and a user's)."""
    records: list[dict] = []
    for layer in loader.layers("regions", settings):
        data = layer.data or []
        if not isinstance(data, list) or not all(
                isinstance(r, dict) and r.get("name") and r.get("country") for r in data):
            raise KnowledgeError("regions must be a list of records with a name and a "
                                 "country", source=layer.source)
        records.extend({"name": r["name"], "country": r["country"], "kind": r.get("kind"),
                        "aliases": list(r.get("aliases") or [])} for r in data)
    return records
