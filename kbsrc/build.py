#!/usr/bin/env python3
"""Build the package's knowledge-base files from the independent compilations.

    python kbsrc/build.py            # writes src/parley/data/kb/{people,organisations,groups}/

``kbsrc/parts.yaml`` lists the parts of the KB (office holders of a group of countries,
state institutions, parties, armed groups, international organisations), each with the
compilations made for it (``kbsrc/raw/<compiler>/``, every one made independently from
its compiler's own knowledge, see ``docs/kb.md``). A record enters the KB only when at
least two compilations agree on it (``kbsrc/merge.py`` says what agreeing means); for an
office term, the kept dates are those at least two compilations assert. Each output
record names its part (``source``); what only one compilation gives is written to
``kbsrc/reports/<part>.md`` for a person to check, never to the KB.
"""

from __future__ import annotations

import re
import sys
from datetime import date
from itertools import combinations
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from merge import (  # noqa: E402
    FAR,
    fold,
    load_records,
    merge_orgs,
    merge_terms,
    people_records,
    same_org,
    same_person,
    slug,
)

ROOT = Path(__file__).resolve().parents[1]
KB = ROOT / "src" / "parley" / "data" / "kb"
RAW = ROOT / "kbsrc" / "raw"
REPORTS = ROOT / "kbsrc" / "reports"


# -- office terms: agreement of any two compilations ----------------------------------------


def agreed_terms(sources: list[list[dict]]) -> tuple[list[dict], list[dict]]:
    """Terms at least two compilations agree on (coalesced), and the records no other
    compilation confirms."""
    agreed: list[dict] = []
    confirmed: set[int] = set()
    for a, b in combinations(sources, 2):
        terms, _ = merge_terms(a, b)
        agreed.extend(terms)
        confirmed.update(x for t in terms for x in t["_pair"])
    out: list[dict] = []
    for t in sorted(agreed, key=lambda t: (t["country"], t["office"], t["start"])):
        same = next((o for o in out if o["country"] == t["country"]
                     and o["office"] == t["office"] and o["none"] == t["none"]
                     and (t["none"] or same_person(o, t))
                     and t["start"] <= (o["end"] or date.max)
                     and o["start"] <= (t["end"] or date.max)), None)
        if same is None:
            out.append(dict(t))
            continue
        same["start"] = min(same["start"], t["start"])
        ends = [same["end"] or FAR, t["end"] or FAR]
        same["end"] = None if max(ends) == FAR else max(ends)
        for n in [t["name"], *t["aliases"]]:
            if n and fold(n) not in {fold(x) for x in [same["name"], *same["aliases"]] if x}:
                same["aliases"].append(n)
        same["approximate"] = same["approximate"] or t["approximate"]
    lone = [r for src in sources for r in src if id(r) not in confirmed]
    return out, lone


def hand_terms(path: Path, countries: set[str]) -> list[dict]:
    """The earlier hand-written people files as one more compilation (one term per
    role), limited to the part's countries."""
    out = []
    for p in yaml.safe_load(path.read_text("utf-8")) or []:
        for r in p.get("roles") or []:
            if r.get("country") in countries and r.get("office") != "other":
                out.append({"country": r["country"], "office": r["office"], "name": p["name"],
                            "aliases": list(p.get("aliases") or []),
                            "start": r.get("start"), "end": r.get("end"),
                            "acting": r.get("acting", False), "_file": path.name})
    return out


# -- regions ----------------------------------------------------------------------------


def agreed_regions(a: list[dict], b: list[dict], source: str) -> tuple[list[dict], list[dict]]:
    """Regions both compilations give: the same country and the same name (or one's name
    among the other's aliases). Kept names: both names and the aliases both give; the kind
    when both agree, else "region"."""
    def names(r: dict) -> set[str]:
        return {fold(n) for n in [r.get("name"), *(r.get("aliases") or [])] if n}

    by_country: dict[str, list[dict]] = {}
    for r in b:
        by_country.setdefault(str(r.get("country")), []).append(r)
    used: set[int] = set()
    out: list[dict] = []
    lone: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for r in a:
        na = fold(r.get("name") or "")
        match = next((c for c in by_country.get(str(r.get("country")), [])
                      if id(c) not in used and (fold(c.get("name") or "") == na
                                                or na in names(c)
                                                or fold(c.get("name") or "") in names(r))), None)
        if match is None:
            lone.append(r)
            continue
        used.add(id(match))
        if (r["country"], na) in seen:
            continue
        seen.add((r["country"], na))
        common = {fold(x) for x in r.get("aliases") or []} & {
            fold(x) for x in match.get("aliases") or []}
        aliases = [n for n in dict.fromkeys([match["name"], *(r.get("aliases") or [])])
                   if fold(n) != na and (n == match["name"] or fold(n) in common)]
        out.append({"country": r["country"], "name": r["name"],
                    "kind": r.get("kind") if r.get("kind") == match.get("kind") else "region",
                    "aliases": aliases, "source": source})
    lone.extend(r for rs in by_country.values() for r in rs if id(r) not in used)
    return out, lone


def unambiguous_regions(recs: list[dict], generic: set[str]) -> list[dict]:
    """Names that could mislead are dropped: one name given to regions of two countries
    ("Punjab", "Central", "Adamawa"), and ordinary words ("Delta", "Lakes", "Coast"), which
    stay only in their forms with the kind word ("Delta State"). A region left with no
    name is dropped."""
    countries: dict[str, set[str]] = {}
    for r in recs:
        for n in [r["name"], *r["aliases"]]:
            countries.setdefault(fold(n), set()).add(r["country"])
    out = []
    for r in recs:
        names = [n for n in [r["name"], *r["aliases"]]
                 if len(countries[fold(n)]) == 1 and fold(n) not in generic]
        if names:
            out.append({**r, "name": names[0], "aliases": names[1:]})
    return out


# -- organisations ------------------------------------------------------------------------


def agreed_orgs(sources: list[list[dict]]) -> tuple[list[dict], list[dict]]:
    agreed: list[dict] = []
    confirmed: set[int] = set()
    for a, b in combinations(sources, 2):
        recs, _ = merge_orgs(a, b)
        confirmed.update(x for r in recs for x in r["_pair"])
        for rec in recs:
            same = next((o for o in agreed if o["country"] == rec["country"]
                         and same_org(o, rec)), None)
            if same is None:
                agreed.append(rec)
            elif rec.get("_id") and not same.get("_id"):
                same["_id"] = rec["_id"]
            else:
                for n in rec["aliases"]:
                    if fold(n) not in {fold(x) for x in [same["name"], *same["aliases"]]}:
                        same["aliases"].append(n)
    lone_recs = [r for src in sources for r in src if id(r) not in confirmed]
    return agreed, lone_recs


def hand_orgs(path: Path, section: str) -> list[dict]:
    out = []
    for r in yaml.safe_load(path.read_text("utf-8")) or []:
        aliases = list(r.get("aliases") or [])
        if r.get("acronym") and r["acronym"] not in aliases:
            aliases.append(r["acronym"])
        out.append({"name": r["name"], "aliases": aliases,
                    "country": r.get("country") or ("IGO" if section == "organisations"
                                                    and r.get("kind") == "igo" else
                                                    "NGO" if r.get("kind") == "ngo" else None),
                    "kind": r.get("kind"), "sector": r.get("sector"), "_id": r.get("id"),
                    "_file": path.name})
    return out


_ID_CHARS = re.compile(r"[^A-Z0-9]+")


def org_id(prefix: str, rec: dict, taken: set[str]) -> str:
    if rec.get("_id") and rec["_id"] not in taken:
        return rec["_id"]
    country = rec.get("country")
    stem = _ID_CHARS.sub("_", slug(rec["name"]).upper()).strip("_")
    base = f"{prefix}:{stem}" if country in (None, "IGO", "NGO") else f"{prefix}:{country}_{stem}"
    rid, n = base, 2
    while rid in taken:
        rid, n = f"{base}_{n}", n + 1
    return rid


# -- the parts ----------------------------------------------------------------------------


def build_part(part: dict) -> tuple[str, int, int]:
    kind = part["kind"]
    sources: list[list[dict]] = []
    for s in part["sources"]:
        if s.startswith("hand:"):
            path = ROOT / "kbsrc" / "raw" / "hand" / s.split(":", 1)[1]
            if kind == "people":
                sources.append(hand_terms(path, set(part["countries"])))
            else:
                sources.append(hand_orgs(path, part["section"]))
        else:
            records = load_records([RAW / s])
            if kind == "people" and part["countries"] != "any":
                # a gap-filling compilation spans several parts
                records = [r for r in records if r.get("country") in set(part["countries"])]
            sources.append(records)
    out = KB / part["out"]
    out.parent.mkdir(parents=True, exist_ok=True)
    header = (f"# {part['title']}\n"
              f"# Built by kbsrc/build.py from {len(sources)} independent compilations "
              f"({', '.join(part['sources'])}):\n"
              "# a record is kept only where at least two of them agree (docs/kb.md).\n")
    if kind == "regions":
        recs, lone = agreed_regions(sources[0], sources[1], part["title"])
        recs = unambiguous_regions(recs, {fold(n) for n in part.get("generic_names") or []})
        result = {"regions": recs, "header": header, "out": out}
        n = len(recs)
    elif kind == "people":
        terms, lone = agreed_terms(sources)
        people = people_records(terms, part["title"])
        # a nickname that names a better-known person the KB does not hold ("Idi Amin",
        # Guinea's defence minister Camara) would take that person's mentions
        reserved = {fold(n) for n in part.get("reserved_names") or []}
        for person in people:
            person["aliases"] = [a for a in person["aliases"] if fold(a) not in reserved]
        absent = [{"country": t["country"], "office": t["office"],
                   "start": t["start"].isoformat(),
                   "end": t["end"].isoformat() if t["end"] else None,
                   "source": part["title"]}
                  for t in terms if t["none"]]
        result: dict = {"people": people, "absent": absent, "header": header, "out": out}
        n = len(people)
    else:
        recs, lone = agreed_orgs(sources)
        taken = TAKEN.setdefault(part["section"], set())
        emitted = EMITTED.setdefault(part["section"], [])
        prefix = "grp" if part["section"] == "groups" else "org"
        items = []
        for r in recs:
            # one organisation in two parts (the Taliban in both lists of groups): the
            # first part keeps it, with the other part's aliases
            earlier = next((x for x in emitted if (x["country"] or "IGO") == r["country"]
                            and same_org(x, r)), None)
            if earlier is not None:
                for n in [r["name"], *r["aliases"]]:
                    if fold(n) not in {fold(x) for x in [earlier["name"], *earlier["aliases"]]}:
                        earlier["aliases"].append(n)
                continue
            rid = org_id(prefix, r, taken)
            taken.add(rid)
            item = {"id": rid, "name": r["name"], "aliases": r["aliases"],
                    "country": None if r["country"] in ("IGO", "NGO") else r["country"],
                    "kind": r["kind"], "sector": r["sector"]}
            if not r.get("sector_agreed", True):
                item["sector_uncertain"] = True
            if r.get("active"):
                item["active"] = str(r["active"])
            item["source"] = part["title"]
            items.append(item)
            emitted.append(item)
        result = {"items": items, "header": header, "out": out}
        n = len(items)
    REPORTS.mkdir(parents=True, exist_ok=True)
    lines = [f"# {part['title']}: given by one compilation only ({len(lone)})", "",
             "Not in the KB. Check against a reliable source before adding by hand.", ""]
    for r in sorted(lone, key=lambda r: (str(r.get("country")), str(r.get("office") or
                                                                      r.get("kind")),
                                         str(r.get("start")))):
        lines.append(f"- {r.get('_file', '?')}: {r.get('country')} "
                     f"{r.get('office') or r.get('kind')} {r.get('name')} "
                     f"{r.get('start') or ''}–{r.get('end') or ''}")
    (REPORTS / f"{Path(part['out']).stem}.md").write_text("\n".join(lines) + "\n", "utf-8")
    return part["out"], n, len(lone), result


TAKEN: dict[str, set[str]] = {}
EMITTED: dict[str, list[dict]] = {}


def _write(path: Path, header: str, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False,
                                            width=100), "utf-8")


def _home(role: dict) -> str:
    return role["country"] or role.get("sector") or "IGO"


def _days(role: dict) -> int:
    start = date.fromisoformat(role["start"])
    end = date.fromisoformat(role["end"]) if role.get("end") else date(2026, 11, 30)
    return max(0, (end - start).days)


def _co_held(a: dict, b: dict) -> bool:
    """Two records of one name are one person when they hold offices at the same time
    in two countries from (almost) the same day: a French president is co-prince of
    Andorra, a British monarch the head of state of each realm."""
    return any(abs((date.fromisoformat(x["start"]) - date.fromisoformat(y["start"])).days)
               <= 31 for x in a["roles"] for y in b["roles"] if _home(x) != _home(y))


def assign_people_ids(parts: list[dict]) -> None:
    """Ids unique across every part: one name in two countries is two people unless
    they co-hold offices (``_co_held``); then one record per person, and the person's
    ``country`` is where they spent the most days in office (ties: the country with more
    office records in the KB)."""
    weight: dict[str, int] = {}
    for part in parts:
        for p in part["people"]:
            for r in p["roles"]:
                weight[_home(r)] = weight.get(_home(r), 0) + 1
    groups: dict[str, list[dict]] = {}
    for part in parts:
        kept = []
        for p in part["people"]:
            same = next((q for q in groups.get(fold(p["name"]), [])
                         if {_home(r) for r in q["roles"]} & {_home(r) for r in p["roles"]}
                         or _co_held(q, p)), None)
            if same is not None:
                known = {(r["office"], r["country"], r["start"]) for r in same["roles"]}
                same["roles"].extend(r for r in p["roles"]
                                     if (r["office"], r["country"], r["start"]) not in known)
                same["roles"].sort(key=lambda r: r["start"])
                for n in p["aliases"]:
                    if fold(n) not in {fold(x) for x in [same["name"], *same["aliases"]]}:
                        same["aliases"].append(n)
                continue
            groups.setdefault(fold(p["name"]), []).append(p)
            kept.append(p)
        part["people"] = kept
    for same_name in groups.values():
        for p in same_name:
            days: dict[str, int] = {}
            for r in p["roles"]:
                days[_home(r)] = days.get(_home(r), 0) + _days(r)
            home = max(days, key=lambda c: (days[c], weight.get(c, 0)))
            base = "per:" + slug(p["name"])
            p["id"] = base if len(same_name) == 1 else f"{base}-{home.lower()}"
            p["country"] = None if home in ("IGO", "NGO") else home
    seen: set[str] = set()
    for part in parts:
        for p in part["people"]:
            n, rid = 2, p["id"]
            while p["id"] in seen:
                p["id"], n = f"{rid}-{n}", n + 1
            seen.add(p["id"])
            order = ["id", "name", "aliases", "country", "roles", "source"]
            for k in list(p):
                if k not in order:
                    order.append(k)
            p.update({k: p.pop(k) for k in order if k in p})


def main(argv: list[str] | None = None) -> int:
    parts = yaml.safe_load((ROOT / "kbsrc" / "parts.yaml").read_text("utf-8"))
    people_parts: list[dict] = []
    org_parts: list[dict] = []
    for part in parts:
        out, n, lone, result = build_part(part)
        print(f"{out}: {n} records ({lone} given by one compilation only)")
        if "people" in result:
            people_parts.append(result)
        elif "regions" in result:
            _write(result["out"], result["header"], result["regions"])
        else:
            org_parts.append(result)
    for result in org_parts:
        _write(result["out"], result["header"], result["items"])
    assign_people_ids(people_parts)
    absent = []
    for result in people_parts:
        _write(result["out"], result["header"], result["people"])
        absent.extend(result["absent"])
    _write(KB / "absent_offices.yaml",
           "# Offices that do not exist in a country for a period (no armed forces, no\n"
           "# defence ministry), agreed by two compilations like every office term.\n", absent)
    print(f"people: {sum(len(r['people']) for r in people_parts)}; "
          f"absent offices: {len(absent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["agreed_orgs", "agreed_terms", "build_part"]
