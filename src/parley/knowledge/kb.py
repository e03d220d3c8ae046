"""The actor knowledge base: countries, organisations, groups and office holders.

Knowledge is data: ``parley/data/kb/*.yaml`` are hand-written files, read through
``parley.knowledge.loader``; a user's file adds records or overrides only the keys it
sets on records with the same ``id``. Every record has a source-independent id
(``country:KEN``, ``org:NATO``, ``grp:HAMAS``, ``per:sergey-lavrov``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path

from parley.errors import KnowledgeError
from parley.knowledge import loader
from parley.knowledge.names import fold
from parley.settings import Settings

_CODE = re.compile(r"^[A-Z]{3}$")
_CACHE_VERSION = "kb-6"


@dataclass(frozen=True, slots=True)
class Office:
    office: str
    country: str | None
    sector: str
    start: date
    end: date | None
    org: str | None = None
    about: str | None = None  # the country an international post concerns (a UN envoy's)

    __reduce__ = loader.by_constructor

    def held_on(self, day: date | None) -> bool:
        if day is None:
            return self.end is None
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    kind: str  # country | organisation | group | person
    country: str | None
    sector: str | None
    aliases: tuple[str, ...] = ()
    offices: tuple[Office, ...] = ()
    capital: str | None = None

    __reduce__ = loader.by_constructor

    def office_on(self, day: date | None) -> Office | None:
        """The office held on ``day`` (one in the person's own country first; the latest
        one if none is held that day)."""
        if not self.offices:
            return None
        held = [o for o in self.offices if o.held_on(day)]
        if held:
            return min(held, key=lambda o: o.country != self.country)
        if day is None:
            return max(self.offices, key=lambda o: o.start)
        before = [o for o in self.offices if o.start <= day]
        return max(before, key=lambda o: o.start) if before else min(
            self.offices, key=lambda o: o.start)


@dataclass(frozen=True, slots=True)
class NameRef:
    """What a surface form refers to, and how (name, demonym, capital, seat...)."""

    entity: str
    how: str
    acronym: bool = False  # the alias is an acronym ("ANA"): it matches only in capitals

    __reduce__ = loader.by_constructor


@dataclass
class KnowledgeBase:
    entities: dict[str, Entity] = field(default_factory=dict)
    names: dict[str, list[NameRef]] = field(default_factory=dict)
    # the records as read from the files: kept out of the compiled cache (coding never
    # reads them) and read again from the files when asked for (``raw``)
    _raw: dict[str, list[dict]] | None = None
    settings: Settings | None = None

    @property
    def raw(self) -> dict[str, list[dict]]:
        if self._raw is None:
            self._raw = load_raw(self.settings) if self.settings is not None else {}
        return self._raw

    def refs(self, surface: str) -> list[NameRef]:
        return self.names.get(fold(surface), [])

    def country(self, iso3: str | None) -> Entity | None:
        return self.entities.get(f"country:{iso3}") if iso3 else None

    @cached_property
    def first_words(self) -> frozenset[str]:
        """First words of every KB name: a cheap filter before trying longer matches."""
        return frozenset(key.split(" ")[0] for key in self.names)

    @cached_property
    def person_names(self) -> tuple[list[str], list[str], dict[str, list[str]]]:
        """For spelling variants of people: (folded full names, their person ids, folded
        surname -> person ids)."""
        keys: list[str] = []
        ids: list[str] = []
        surnames: dict[str, list[str]] = {}
        for e in self.entities.values():
            if e.kind != "person":
                continue
            for n in e.aliases:
                key = fold(n)
                if " " in key:
                    keys.append(key)
                    ids.append(e.id)
            last = fold(e.name).split(" ")[-1]
            if len(last) > 2 and e.id not in surnames.get(last, []):
                surnames.setdefault(last, []).append(e.id)
        return keys, ids, surnames

    @cached_property
    def country_names(self) -> dict[str, str]:
        """Folded country names, demonyms and adjectives -> country id (fuzzy matching)."""
        out: dict[str, str] = {}
        for key, refs in self.names.items():
            for r in refs:
                if r.entity.startswith("country:") and r.how in ("name", "demonym", "adjective"):
                    out.setdefault(key, r.entity)
        return out

    def counts(self) -> dict[str, int]:
        return {
            "countries": len(self.raw.get("countries", [])),
            "organisations": len(self.raw.get("organisations", [])),
            "groups": len(self.raw.get("groups", [])),
            "people": len(self.raw.get("people", [])),
            "office_records": sum(len(p.get("roles") or []) for p in self.raw.get("people", [])),
        }


def _as_date(value: object, source: str, rid: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise KnowledgeError(f"{rid}: bad date {value!r}", source=source) from None


def load_raw(settings: Settings) -> dict[str, list[dict]]:
    """The KB records of every section, built-in files first, then the user's."""
    return {section: loader.records(section, settings) for section in loader.KB_SECTIONS}


def build(raw: dict[str, list[dict]]) -> KnowledgeBase:
    kb = KnowledgeBase(_raw=raw)

    def name(surface: str | None, entity: str, how: str) -> None:
        if not surface or len(surface) < 2:
            return
        key = fold(surface)
        refs = kb.names.setdefault(key, [])
        letters = surface.replace(".", "").replace("-", "")
        acronym = letters.isupper() and len(letters) <= 7 and " " not in surface
        for n, r in enumerate(refs):
            if r.entity == entity:
                if r.acronym and not acronym:  # also written as a word: matches any case
                    refs[n] = NameRef(entity, r.how)
                return
        refs.append(NameRef(entity, how, acronym))

    for c in raw.get("countries", []):
        eid = c["id"]
        kb.entities[eid] = Entity(
            id=eid, name=c["name"], kind="country", country=c["iso3"], sector=None,
            aliases=tuple(dict.fromkeys([c["name"], *(c.get("names") or []),
                                         *(c.get("former") or [])])),
            capital=c.get("capital"),
        )
        for n in [c["name"], c.get("official"), *(c.get("names") or []), *(c.get("former") or [])]:
            name(n, eid, "name")
        for n in c.get("demonyms") or []:
            name(n, eid, "demonym")
        for n in c.get("adjectives") or []:
            name(n, eid, "adjective")
        name(c.get("capital"), eid, "capital")
        for n in c.get("seats") or []:
            name(n, eid, "seat")
    for o in raw.get("organisations", []):
        eid = o["id"]
        kb.entities[eid] = Entity(
            id=eid, name=o["name"], kind="organisation", country=o.get("country"),
            sector=o.get("sector") or "IGO",
            aliases=tuple(dict.fromkeys([o["name"], *(o.get("aliases") or [])])),
        )
        for n in [o["name"], o.get("acronym"), *(o.get("aliases") or [])]:
            name(n, eid, "name")
    for g in raw.get("groups", []):
        eid = g["id"]
        kb.entities[eid] = Entity(
            id=eid, name=g["name"], kind="group", country=g.get("country"),
            sector=g.get("sector"),
            aliases=tuple(dict.fromkeys([g["name"], *(g.get("aliases") or [])])),
        )
        for n in [g["name"], *(g.get("aliases") or [])]:
            name(n, eid, "name")
    for p in raw.get("people", []):
        eid, source = p["id"], "people"
        offices = tuple(sorted((
            Office(
                office=r.get("office", "other"), country=r.get("country"),
                sector=r.get("sector") or "GOV",
                start=_as_date(r.get("start"), source, eid) or date.min,
                end=_as_date(r.get("end"), source, eid), org=r.get("org"),
                about=r.get("about"),
            )
            for r in p.get("roles") or []
        ), key=lambda o: o.start))
        # the person's country: given ("where they held office longest"), else the last
        # office's
        country = p.get("country") or (offices[-1].country if offices else None)
        home = [o for o in offices if o.country == country] or list(offices)
        kb.entities[eid] = Entity(
            id=eid, name=p["name"], kind="person", country=country,
            sector=home[-1].sector if home else None,
            aliases=tuple(dict.fromkeys([p["name"], *(p.get("aliases") or [])])),
            offices=offices,
        )
        for n in [p["name"], *(p.get("aliases") or [])]:
            name(n, eid, "name")
    # derived indexes, computed now so that the compiled cache holds them
    _ = kb.first_words, kb.country_names, kb.person_names
    return kb


def validate(kb: KnowledgeBase) -> list[str]:
    """Problems in the KB: bad ids, unknown country codes, inverted date ranges."""
    problems: list[str] = []
    countries = {c["iso3"] for c in kb.raw.get("countries", [])}
    patterns = {
        "countries": re.compile(r"^country:[A-Z]{3}$"),
        "organisations": re.compile(r"^org:[A-Z0-9_]+$"),
        "groups": re.compile(r"^grp:[A-Z0-9_]+$"),
        "people": re.compile(r"^per:[a-z0-9\-]+$"),
    }
    for section, records in kb.raw.items():
        seen: set[str] = set()
        for r in records:
            rid = r.get("id", "?")
            if not patterns[section].match(str(rid)):
                problems.append(f"{section}: bad id {rid!r}")
            if rid in seen:
                problems.append(f"{section}: duplicate id {rid}")
            seen.add(rid)
            codes = [r.get("country")] if section == "groups" else []
            if section == "people":
                codes = [x.get("country") for x in r.get("roles") or [] if x.get("country")]
                for x in r.get("roles") or []:
                    s, e = x.get("start"), x.get("end")
                    if s and e and str(s) > str(e):
                        problems.append(f"{rid}: role starts after it ends")
            for code in codes:
                if not (isinstance(code, str) and _CODE.match(code) and code in countries):
                    problems.append(f"{rid}: invalid country code {code!r}")
    return problems


def load_kb(settings: Settings) -> KnowledgeBase:
    """The knowledge base, built from the YAML files once and then cached (pickle, keyed
    by the files' content) under ``settings.cache_dir``: start-up stays short."""
    digest = loader.fingerprint(loader.KB_SECTIONS, settings, _CACHE_VERSION)
    path = Path(settings.cache_dir) / f"kb-{digest}.pickle"
    cached = loader.read_compiled(path)
    if isinstance(cached, KnowledgeBase):
        cached.settings = settings
        return cached
    kb = build(load_raw(settings))
    kb.settings = settings
    compiled = replace(kb, _raw=None, settings=None)
    compiled.__dict__.update({k: v for k, v in kb.__dict__.items()
                              if k not in ("_raw", "settings")})  # the cached indexes
    loader.write_compiled(path, compiled)
    return kb
