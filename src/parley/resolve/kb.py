"""The actor knowledge base: countries, organisations, groups and office holders.

Knowledge is data: ``parley/data/kb/*.yaml`` are hand-written files; a user file
(``PARLEY_USER_KB`` or ``Settings.user_kb``) adds records or overrides only the keys
it sets on records with the same ``id``. Every record has a source-independent id
(``country:KEN``, ``org:NATO``, ``grp:HAMAS``, ``per:sergey-lavrov``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from parley.errors import KnowledgeError
from parley.resolve.gazetteer import fold
from parley.settings import load_settings

try:  # libyaml is several times faster; the pure-Python loader is the fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

FILES = {
    "countries": ("countries.yaml",),
    "organisations": ("organisations.yaml",),
    "groups": ("groups.yaml",),
    "people": ("people_g20.yaml", "people_regions.yaml"),
}
_CODE = re.compile(r"^[A-Z]{3}$")
_CACHE_VERSION = "kb-1"


@dataclass(frozen=True, slots=True)
class Office:
    office: str
    country: str | None
    sector: str
    start: date
    end: date | None
    org: str | None = None

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

    def office_on(self, day: date | None) -> Office | None:
        """The office held on ``day`` (the latest one if none matches exactly)."""
        if not self.offices:
            return None
        held = [o for o in self.offices if o.held_on(day)]
        if held:
            return held[0]
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


@dataclass
class KnowledgeBase:
    entities: dict[str, Entity] = field(default_factory=dict)
    names: dict[str, list[NameRef]] = field(default_factory=dict)
    raw: dict[str, list[dict]] = field(default_factory=dict)

    def refs(self, surface: str) -> list[NameRef]:
        return self.names.get(fold(surface), [])

    def country(self, iso3: str | None) -> Entity | None:
        return self.entities.get(f"country:{iso3}") if iso3 else None

    def counts(self) -> dict[str, int]:
        return {
            "countries": len(self.raw.get("countries", [])),
            "organisations": len(self.raw.get("organisations", [])),
            "groups": len(self.raw.get("groups", [])),
            "office_records": sum(len(p.get("roles") or []) for p in self.raw.get("people", [])),
        }


def _read_yaml(path: str, text: str) -> object:
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"not valid YAML: {exc}".replace("\n", " "), source=path) from None


def _merge(base: list[dict], extra: list[dict], source: str,
           union: tuple[str, ...] = ()) -> list[dict]:
    """Records of ``extra`` override the keys they set on same-id records of ``base``.

    ``union`` keys are combined instead: the built-in people files each hold part of a
    person's career (Kaja Kallas: Estonian PM in one, EU post in the other)."""
    by_id = {r["id"]: r for r in base}
    for rec in extra:
        if not isinstance(rec, dict) or "id" not in rec:
            raise KnowledgeError("every record needs an 'id'", source=source)
        old = by_id.get(rec["id"])
        if old is None:
            by_id[rec["id"]] = rec
            continue
        merged = {**old, **rec}
        for key in union:
            if key in old and key in rec:
                known = list(old[key] or [])
                merged[key] = known + [x for x in rec[key] or [] if x not in known]
        by_id[rec["id"]] = merged
    return list(by_id.values())


def _as_date(value: object, source: str, rid: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise KnowledgeError(f"{rid}: bad date {value!r}", source=source) from None


def load_raw(user_file: str | None = None) -> dict[str, list[dict]]:
    raw: dict[str, list[dict]] = {}
    pkg = resources.files("parley").joinpath("data", "kb")
    for section, names in FILES.items():
        records: list[dict] = []
        for name in names:
            res = pkg.joinpath(name)
            if not res.is_file():
                continue
            data = _read_yaml(f"parley/data/kb/{name}", res.read_text(encoding="utf-8")) or []
            if not isinstance(data, list):
                raise KnowledgeError("expected a list of records", source=name)
            records = _merge(records, data, name, union=("roles", "aliases"))
        raw[section] = records
    if user_file:
        path = Path(user_file)
        if not path.is_file():
            raise KnowledgeError("user knowledge-base file not found", source=user_file)
        data = _read_yaml(user_file, path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise KnowledgeError(
                "expected a mapping with any of: " + ", ".join(FILES), source=user_file)
        for section, records in data.items():
            if section not in FILES or not isinstance(records, list):
                raise KnowledgeError(f"unknown or invalid section {section!r}", source=user_file)
            raw[section] = _merge(raw.get(section, []), records, user_file)
    return raw


def build(raw: dict[str, list[dict]]) -> KnowledgeBase:
    kb = KnowledgeBase(raw=raw)

    def name(surface: str | None, entity: str, how: str) -> None:
        if not surface or len(surface) < 2:
            return
        key = fold(surface)
        refs = kb.names.setdefault(key, [])
        if not any(r.entity == entity for r in refs):
            refs.append(NameRef(entity, how))

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
            id=eid, name=o["name"], kind="organisation", country=None,
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
            )
            for r in p.get("roles") or []
        ), key=lambda o: o.start))
        country = offices[-1].country if offices else p.get("country")
        kb.entities[eid] = Entity(
            id=eid, name=p["name"], kind="person", country=country,
            sector=offices[-1].sector if offices else None,
            aliases=tuple(dict.fromkeys([p["name"], *(p.get("aliases") or [])])),
            offices=offices,
        )
        for n in [p["name"], *(p.get("aliases") or [])]:
            name(n, eid, "name")
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


def _fingerprint(user_file: str | None) -> str:
    digest = hashlib.sha256(_CACHE_VERSION.encode())
    pkg = resources.files("parley").joinpath("data", "kb")
    for names in FILES.values():
        for name in names:
            res = pkg.joinpath(name)
            if res.is_file():
                digest.update(res.read_bytes())
    if user_file and Path(user_file).is_file():
        digest.update(Path(user_file).read_bytes())
    return digest.hexdigest()[:20]


@lru_cache(maxsize=4)
def get_kb(user_file: str | None = None) -> KnowledgeBase:
    """The knowledge base, built from the YAML files once and then cached (pickle, keyed
    by the files' content) under ``settings.cache_dir``: start-up stays short."""
    settings = load_settings()
    user_file = user_file if user_file is not None else settings.user_kb
    path = Path(settings.cache_dir) / f"kb-{_fingerprint(user_file)}.pickle"
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    kb = build(load_raw(user_file))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(kb, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass  # a read-only cache directory only costs start-up time
    return kb
