#!/usr/bin/env python3
"""Merge independent compilations of the knowledge base: keep only what they agree on.

    python kbsrc/merge.py people  OUT.yaml  A_DIR B_DIR [C_FILE ...]  [--report R.md]
    python kbsrc/merge.py orgs    OUT.yaml  A_DIR B_DIR               [--report R.md]

Each part of Parley's knowledge base (office holders of a group of countries, state
institutions, armed groups, parties, international organisations) was compiled twice,
independently, from the compilers' own knowledge (``kbsrc/README.md``). This tool keeps
a record only where two compilations agree:

* **office terms** agree when they are for the same country and office, name the same
  person (same name or alias after folding case and diacritics, or the same surname with
  a near-identical given name), and their terms overlap; the kept term is the span both
  assert (the later start, the earlier end), so no one is placed in office on a day only
  one compilation vouches for. Where both give a ``sector`` (the notable-people part:
  spokespeople, opposition figures, party and armed-group leaders) it must be the same.
  ``none: true`` records (an office that does not exist)
  agree when both say so for overlapping periods;
* **organisations** agree when they have the same country (or both IGO / NGO) and the
  same name or a shared alias; the kept aliases are both names plus the aliases both give.

Everything only one compilation gives is written to the report, not to the KB.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import defaultdict
from datetime import date
from pathlib import Path

import yaml

FAR = date(9999, 12, 31)


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").lower()
    text = re.sub(r"[.\u2019'`]", "", text)
    return re.sub(r"[\s\-]+", " ", text).strip()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def _day(value: object, end: bool = False) -> date | None:
    """YYYY-MM-DD, YYYY-MM (first or last day of the month) or YYYY; None for open."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    s = str(value).strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            return date.fromisoformat(s)
        if re.fullmatch(r"\d{4}-\d{2}", s):
            y, m = int(s[:4]), int(s[5:7])
            if not end:
                return date(y, m, 1)
            nxt = date(y + (m == 12), m % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
        if re.fullmatch(r"\d{4}", s):
            return date(int(s), 12, 31) if end else date(int(s), 1, 1)
    except ValueError:
        return None
    return None


def load_records(paths: list[Path]) -> list[dict]:
    out = []
    for p in paths:
        files = sorted(p.glob("*.yaml")) if p.is_dir() else [p]
        for f in files:
            data = yaml.safe_load(f.read_text("utf-8")) or []
            if isinstance(data, dict):  # a {section: records} file
                data = [r for v in data.values() if isinstance(v, list) for r in v]
            for r in data:
                if isinstance(r, dict):
                    r["_file"] = f.name
                    out.append(r)
    return out


# -- office terms -------------------------------------------------------------------------


def _names(rec: dict) -> set[str]:
    return {fold(n) for n in [rec.get("name"), *(rec.get("aliases") or [])] if n}


def same_person(a: dict, b: dict) -> bool:
    na, nb = fold(a.get("name", "")), fold(b.get("name", ""))
    if not na or not nb:
        return False
    if na == nb or (_names(a) & _names(b) and len(na.split()) > 1 and len(nb.split()) > 1):
        return True
    ta, tb = na.split(), nb.split()
    if ta[-1] != tb[-1]:
        return False
    # same surname: the given names must agree too (initial, prefix or near spelling)
    ga, gb = ta[0], tb[0]
    if ga == gb or ga.startswith(gb) or gb.startswith(ga):
        return True
    from difflib import SequenceMatcher

    return SequenceMatcher(None, ga, gb).ratio() >= 0.8


def _term(rec: dict) -> tuple[date, date]:
    start = _day(rec.get("start")) or date(1900, 1, 1)
    end = _day(rec.get("end"), end=True) or FAR
    return start, end


def merge_terms(a_recs: list[dict], b_recs: list[dict]) -> tuple[list[dict], list[dict]]:
    """Agreed terms (with both sources) and the records only one side gives."""
    by_key: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in b_recs:
        by_key[(str(r.get("country")), str(r.get("office")))].append(r)
    agreed, unmatched = [], []
    used: set[int] = set()
    for r in a_recs:
        key = (str(r.get("country")), str(r.get("office")))
        match = None
        for cand in by_key.get(key, []):
            if id(cand) in used:
                continue
            sa, ea = _term(r)
            sb, eb = _term(cand)
            if sa > eb or sb > ea:
                continue
            if r.get("none") or cand.get("none"):
                if r.get("none") and cand.get("none"):
                    match = cand
                    break
                continue
            if r.get("sector") and cand.get("sector") and r["sector"] != cand["sector"]:
                continue  # the same name in another kind of role (a party or group leader)
            if same_person(r, cand):
                match = cand
                break
        if match is None:
            unmatched.append({**r, "_side": "a"})
            continue
        used.add(id(match))
        sa, ea = _term(r)
        sb, eb = _term(match)
        start, end = max(sa, sb), min(ea, eb)
        names = [r["name"]] if r.get("none") else _agreed_names(r, match)
        agreed.append({
            "country": key[0], "office": key[1], "none": bool(r.get("none")),
            "name": None if r.get("none") else r["name"], "aliases": names[1:],
            "start": start, "end": None if end == FAR else end,
            "acting": bool(r.get("acting")) and bool(match.get("acting")),
            "approximate": abs((sa - sb).days) > 62 or abs((ea - eb).days) > 62,
            "note": r.get("note") or match.get("note"),
            "org": r.get("org") or match.get("org"),
            "sector": r.get("sector") or match.get("sector"),
            "_pair": (id(r), id(match)),
        })
    unmatched.extend({**r, "_side": "b"} for rs in by_key.values() for r in rs
                     if id(r) not in used)
    return agreed, unmatched


def _agreed_names(a: dict, b: dict) -> list[str]:
    """Both canonical names, then the aliases both give (first spelling kept)."""
    out: dict[str, str] = {}
    for n in (a.get("name"), b.get("name")):
        if n:
            out.setdefault(fold(n), n)
    both = {fold(x) for x in a.get("aliases") or []} & {fold(x) for x in b.get("aliases") or []}
    for n in a.get("aliases") or []:
        if fold(n) in both:
            out.setdefault(fold(n), n)
    return list(out.values())


def people_records(terms: list[dict], source: str) -> list[dict]:
    """Agreed terms grouped into people records of the KB's ``people`` shape."""
    people: dict[str, dict] = {}
    for t in sorted(terms, key=lambda t: (t["country"], t["start"])):
        if t["none"]:
            continue
        pid = None
        for p in people.values():
            # one name in one country is one person (people co-holding offices in two
            # countries are joined by kbsrc/build.py)
            if fold(p["name"]) == fold(t["name"]) and p["_country"] == t["country"]:
                pid = p["id"]
                break
        if pid is None:
            pid = "per:" + slug(t["name"])
            if pid in people:
                pid = f"{pid}-{t['country'].lower()}"
            people[pid] = {"id": pid, "name": t["name"], "aliases": [], "roles": [],
                           "_country": t["country"]}
        p = people[pid]
        for n in t["aliases"]:
            if fold(n) not in {fold(x) for x in [p["name"], *p["aliases"]]}:
                p["aliases"].append(n)
        role = {"office": t["office"], "country": t["country"],
                "sector": t.get("sector") or _sector(t["office"]),
                "start": t["start"].isoformat(), "end": t["end"].isoformat() if t["end"] else None}
        if t.get("org") and t["country"] not in ("IGO", "NGO"):
            role["org"] = t["org"]  # the party or group a leader leads
        if t["country"] in ("IGO", "NGO"):
            # an international post: no country of its own; the organisation, and the
            # country the post concerns ("special_rapporteur_afghanistan")
            role.update(country=None, sector=t["country"], org=t.get("org"))
            about = _about(t["office"])
            if about:
                role["about"] = about
        if t["acting"]:
            role["acting"] = True
        if t["approximate"]:
            role["approximate"] = True
        p["roles"].append(role)
    out = list(people.values())
    for p in out:
        p["roles"].sort(key=lambda r: r["start"])
        p["source"] = source
        del p["_country"]
    return out


_NAMES: dict[str, str] = {}


def _about(office: str) -> str | None:
    """The country an international post's name mentions (envoy for Syria -> SYR)."""
    if not _NAMES:
        path = Path(__file__).resolve().parents[1] / "src/parley/data/kb/countries.yaml"
        for c in yaml.safe_load(path.read_text("utf-8")):
            for n in [c["name"], *(c.get("names") or [])]:
                _NAMES[fold(n).replace(" ", "_")] = c["iso3"]
    text = "_" + fold(office).replace(" ", "_") + "_"
    best = None
    for name, iso in _NAMES.items():
        if f"_{name}_" in text and (best is None or len(name) > len(best[0])):
            best = (name, iso)
    return best[1] if best else None


def _sector(office: str) -> str:
    return {"army_chief": "MIL", "intelligence_chief": "SPY", "speaker": "LEG",
            "justice_minister": "GOV"}.get(office, "GOV")


def absent_offices(terms: list[dict]) -> list[dict]:
    return [{"country": t["country"], "office": t["office"], "start": t["start"].isoformat(),
             "end": t["end"].isoformat() if t["end"] else None, "note": t["note"]}
            for t in terms if t["none"]]


# -- organisations ------------------------------------------------------------------------


def _org_key(r: dict) -> str:
    return str(r.get("country") or "")


_COUNTRY_WORDS: dict[str, set[str]] = {}


def _country_words(iso3: str) -> set[str]:
    """The words of a country's names and adjectives ("burundi", "burundian")."""
    if not _COUNTRY_WORDS:
        path = Path(__file__).resolve().parents[1] / "src/parley/data/kb/countries.yaml"
        for c in yaml.safe_load(path.read_text("utf-8")):
            words: set[str] = set()
            for n in [c["name"], *(c.get("names") or []), *(c.get("adjectives") or []),
                      *(c.get("demonyms") or [])]:
                words.update(fold(n).split())
            _COUNTRY_WORDS[c["iso3"]] = words - {"of", "the", "and", "republic"}
    return _COUNTRY_WORDS.get(iso3, set())


def core_name(name: str, country: str | None) -> str:
    """The name without the country's own words and articles: "National Police of
    Burundi" and "Burundi National Police" are both "national police"."""
    skip = _country_words(country or "") | {"of", "the", "s"}
    words = [w for w in re.split(r"[\s,'’]+", fold(name)) if w and w not in skip]
    return " ".join(sorted(words))


def same_org(a: dict, b: dict) -> bool:
    na, nb = fold(a.get("name", "")), fold(b.get("name", ""))
    if na == nb:
        return True
    full_a = {fold(x) for x in [a.get("name"), *(a.get("aliases") or [])] if x}
    full_b = {fold(x) for x in [b.get("name"), *(b.get("aliases") or [])] if x}
    # a shared long name (not a bare acronym) identifies the organisation
    if any(len(x) > 6 or " " in x for x in full_a & full_b):
        return True
    # the same name once the country's own words are set aside, within one country
    country = a.get("country")
    if country in ("IGO", "NGO", None):
        return False
    core_a = {core_name(x, country) for x in full_a if " " in x}
    core_b = {core_name(x, country) for x in full_b if " " in x}
    return any(len(x) > 3 for x in (core_a & core_b) - {""})


def merge_orgs(a_recs: list[dict], b_recs: list[dict]) -> tuple[list[dict], list[dict]]:
    by_key: dict[str, list[dict]] = defaultdict(list)
    for r in b_recs:
        by_key[_org_key(r)].append(r)
    agreed, unmatched = [], []
    used: set[int] = set()
    for r in a_recs:
        match = next((c for c in by_key.get(_org_key(r), []) if id(c) not in used
                      and same_org(r, c)), None)
        if match is None:
            unmatched.append({**r, "_side": "a"})
            continue
        used.add(id(match))
        agreed.append({"name": r["name"], "aliases": _agreed_names(r, match)[1:],
                       "country": r.get("country"), "kind": r.get("kind") or match.get("kind"),
                       "sector": r.get("sector") if r.get("sector") == match.get("sector")
                       else (r.get("sector") or match.get("sector")),
                       "sector_agreed": r.get("sector") == match.get("sector"),
                       "active": r.get("active") or match.get("active"),
                       "note": r.get("note") or match.get("note"),
                       "_id": r.get("_id") or match.get("_id"),
                       "_pair": (id(r), id(match))})
    unmatched.extend({**r, "_side": "b"} for rs in by_key.values() for r in rs
                     if id(r) not in used)
    return agreed, unmatched


def _dump(path: Path, data: object, header: str) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(header + text, "utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("kind", choices=["people", "orgs"])
    ap.add_argument("out", type=Path)
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    ap.add_argument("--source", default="", help="source note written into the output")
    ap.add_argument("--report", type=Path, help="write what only one side gives here")
    args = ap.parse_args(argv)
    a, b = load_records([args.a]), load_records([args.b])
    if args.kind == "people":
        agreed, unmatched = merge_terms(a, b)
        data: object = people_records(agreed, args.source)
        absent = absent_offices(agreed)
        summary = (f"{len(a)} + {len(b)} terms -> {len(agreed)} agreed "
                   f"({len(data)} people, {len(absent)} absent offices), "
                   f"{len(unmatched)} not agreed")
        if absent:
            data = {"people": data, "absent_offices": absent}
    else:
        agreed, unmatched = merge_orgs(a, b)
        data = agreed
        summary = (f"{len(a)} + {len(b)} records -> {len(agreed)} agreed, "
                   f"{len(unmatched)} not agreed")
    header = (f"# {args.source}\n# Merged by kbsrc/merge.py from two independent "
              f"compilations ({args.a.name}, {args.b.name}): only records both give "
              "are kept.\n"
              f"# {summary}\n")
    _dump(args.out, data, header)
    if args.report:
        lines = [f"# Not agreed ({len(unmatched)})", ""]
        for r in sorted(unmatched, key=lambda r: (str(r.get("country")), str(r.get("office")),
                                                   str(r.get("start")))):
            lines.append(f"- {r['_side']}: {r.get('country')} {r.get('office') or r.get('kind')}"
                         f" {r.get('name')} {r.get('start', '')}–{r.get('end', '')}")
        args.report.write_text("\n".join(lines) + "\n", "utf-8")
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
