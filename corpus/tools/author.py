#!/usr/bin/env python3
"""Compile corpus articles from the authoring form (YAML with text anchors) to the
corpus form (JSON with character offsets), checking every label on the way.

    python corpus/tools/author.py SRC.yaml [SRC2.yaml | DIR ...] --out corpus/articles
    python corpus/tools/author.py SRC_DIR --check          # validate only, print stats

The authoring form is described in docs/annotation.md ("Authoring form"). A span is
written as an *anchor*: a piece of the article text that occurs exactly once, with the
labelled part in square brackets ("ministers [met] in Moscow"). Without brackets the
whole anchor is the span. The tool refuses an anchor that is missing or ambiguous and
prints where the nearest candidates are, so every offset in the corpus is exact.

Only the standard library and PyYAML are needed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COUNTRIES_FILE = ROOT / "src" / "parley" / "data" / "kb" / "countries.yaml"
VOA_FILE = ROOT.parent / "shared" / "data" / "voa_stories.jsonl"
# Lines 1, 3, ..., 47 of the VOA file are held out: never annotated, trained or tuned on.
HELD_OUT_LINES = frozenset(range(1, 48, 2))

TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
MODES = {
    "CONSULT": {"visit", "third-party", "multilateral", "phone"},
    "RETREAT": {"withdraw", "release", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": {"assist", "change", "yield", "meet"},
    "REJECT": {"assist", "change", "yield", "meet"},
    "ACCUSE": {"disapprove", "investigate", "allege"},
    "THREATEN": {"restrict", "arrest", "relations", "expel", "territory", "violence"},
    "PROTEST": {"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"},
    "SANCTION": {"convict", "expel", "withdraw", "discontinue"},
    "MOBILIZE": {"troops", "weapons", "police", "militia"},
    "COERCE": {"seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport",
               "withhold", "misinformation", "cyber"},
    "ASSAULT": {"abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive",
                "firearms", "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons",
                "crowd-control", "unconventional"},
}
FACTUALITY = ("asserted", "negated", "hypothetical", "planned", "reported")
ROLES = ("actor", "recipient", "participant")
KINDS = ("country", "person", "organisation", "group", "other")
SECTORS = ("COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "UNK", "AGR",
           "BUS", "CRM", "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL",
           "SOC", "IGO", "NGO")
PRECISIONS = ("day", "week", "month", "year")
TRAP_KINDS = ("non_eventive", "boilerplate", "byline", "generic", "hedge", "background",
              "non_political", "figurative")
CONFLICT_KINDS = ("date", "participants", "place")
SOURCES = ("parley", "voa")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9\-]{2,60}$")
ENTITY_RE = re.compile(
    r"^(country:[A-Z]{3}|per:[a-z0-9\-]+|org:[A-Za-z0-9_\-]+|grp:[A-Za-z0-9_\-]+)$")


class AuthorError(Exception):
    pass


def country_codes() -> set[str]:
    rows = yaml.safe_load(COUNTRIES_FILE.read_text("utf-8"))
    return {r["iso3"] for r in rows} | {"IGO", "NGO"}


def split_of(article_id: str) -> str:
    """train / dev / test, fixed by a hash of the id (about 70/15/15)."""
    h = int(hashlib.sha256(article_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "train" if h < 70 else "dev" if h < 85 else "test"


class Anchors:
    def __init__(self, text: str, where: str):
        self.text = text
        self.where = where

    def span(self, anchor: object, field: str) -> dict:
        if not isinstance(anchor, str) or not anchor.strip():
            raise AuthorError(f"{self.where}: {field}: an anchor must be a non-empty string")
        one_pair = anchor.count("[") == 1 and anchor.count("]") == 1
        if one_pair and anchor.index("[") < anchor.index("]"):
            a, b = anchor.index("["), anchor.index("]")
            context = anchor[:a] + anchor[a + 1 : b] + anchor[b + 1 :]
            inner_start, inner_len = a, b - a - 1
        elif "[" in anchor or "]" in anchor:
            raise AuthorError(
                f"{self.where}: {field}: anchor {anchor!r} needs exactly one [...] pair")
        else:
            context, inner_start, inner_len = anchor, 0, len(anchor)
        if inner_len <= 0:
            raise AuthorError(f"{self.where}: {field}: empty [] in anchor {anchor!r}")
        hits = [m.start() for m in re.finditer(re.escape(context), self.text)]
        if not hits:
            raise AuthorError(f"{self.where}: {field}: anchor {anchor!r} not found in the text"
                              + self._near(context))
        if len(hits) > 1:
            raise AuthorError(f"{self.where}: {field}: anchor {anchor!r} occurs {len(hits)} times;"
                              " add words around it so it is unique")
        start = hits[0] + inner_start
        end = start + inner_len
        piece = self.text[start:end]
        if piece != piece.strip():
            raise AuthorError(f"{self.where}: {field}: span {piece!r} starts or ends with a space")
        return {"start": start, "end": end, "text": piece}

    def _near(self, context: str) -> str:
        words = [w for w in re.findall(r"\w+", context) if len(w) > 3]
        if not words:
            return ""
        w = max(words, key=len)
        spots = [m.start() for m in re.finditer(re.escape(w), self.text)][:3]
        if not spots:
            return f" (the word {w!r} is not in the text either)"
        shown = "; ".join(repr(self.text[max(0, s - 30) : s + 40]) for s in spots)
        return f" (near: {shown})"


def voa_story(article_id: str, where: str) -> dict:
    """The VOA story behind ``voa-<id>``, read verbatim; held-out lines are refused."""
    voa_id = article_id.removeprefix("voa-")
    for n, line in enumerate(VOA_FILE.read_text("utf-8").splitlines(), start=1):
        row = json.loads(line)
        if row["id"] == voa_id:
            if n in HELD_OUT_LINES:
                raise AuthorError(f"{where}: VOA line {n} is held out; it may not be annotated")
            return row
    raise AuthorError(f"{where}: no VOA story with id {voa_id} in {VOA_FILE}")


def _iso(value: object, where: str, field: str) -> str:
    if isinstance(value, date):
        return value.isoformat()
    s = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        date.fromisoformat(s)
        return s
    if re.fullmatch(r"\d{4}(-\d{2}|-W\d{2})?", s):
        return s
    raise AuthorError(f"{where}: {field}: {value!r} is not YYYY-MM-DD, YYYY-MM, YYYY-Www or YYYY")


def _need(d: dict, key: str, where: str):
    if key not in d or d[key] is None:
        raise AuthorError(f"{where}: missing {key!r}")
    return d[key]


def _check_keys(d: dict, allowed: set[str], where: str) -> None:
    extra = set(d) - allowed
    if extra:
        raise AuthorError(f"{where}: unknown keys {sorted(extra)} (allowed: {sorted(allowed)})")


def compile_article(src: dict, codes: set[str], origin: str) -> dict:
    if not isinstance(src, dict):
        raise AuthorError(f"{origin}: the file must hold one mapping (an article)")
    aid = str(_need(src, "id", origin))
    where = f"{origin} [{aid}]"
    if not ID_RE.match(aid):
        raise AuthorError(f"{where}: id must be lower-case letters, digits and hyphens")
    _check_keys(src, {"id", "source", "credit", "url", "title", "published", "region", "topic",
                      "style", "annotator", "text", "events", "traps", "conflicts", "notes",
                      "script"}, where)
    source = src.get("source", "parley")
    if source not in SOURCES:
        raise AuthorError(f"{where}: source must be one of {SOURCES}")
    if source == "voa":
        # VOA text, title, url and date come verbatim from the shared file, never retyped
        if src.get("text"):
            raise AuthorError(f"{where}: a VOA article takes its text from {VOA_FILE.name}; "
                              "leave 'text' out")
        story = voa_story(aid, where)
        src = {**src, "text": story["text"], "title": story["title"], "url": story["url"],
               "published": story["published"][:10]}
    text = _need(src, "text", where)
    if not isinstance(text, str) or len(text.split()) < 40:
        raise AuthorError(f"{where}: text is missing or shorter than 40 words")
    if source == "parley":
        text = text.rstrip("\n") + "\n"
    anchors = Anchors(text, where)
    published = _iso(_need(src, "published", where), where, "published")
    if len(published) != 10:
        raise AuthorError(f"{where}: published must be a full date")
    pub = date.fromisoformat(published)
    out: dict = {
        "id": aid,
        "source": source,
        "credit": src.get("credit") or (
            "Voice of America" if source == "voa" else "Parley project"),
        "licence": "public-domain" if source == "voa" else "CC-BY-4.0",
        "url": src.get("url"),
        "title": _need(src, "title", where),
        "published": published,
        "region": src.get("region"),
        "topic": src.get("topic"),
        "annotator": str(_need(src, "annotator", where)),
        "text": text,
        "events": [],
        "traps": [],
        "conflicts": [],
    }
    if src.get("notes"):
        out["notes"] = str(src["notes"])
    event_ids: set[str] = set()
    for n, ev in enumerate(src.get("events") or [], start=1):
        ew = f"{where} event #{n}"
        if not isinstance(ev, dict):
            raise AuthorError(f"{ew}: must be a mapping")
        _check_keys(ev, {"id", "type", "alt", "mode", "factuality", "key", "background",
                         "triggers", "participants", "date", "place", "note"}, ew)
        eid = str(_need(ev, "id", ew))
        ew = f"{where} event {eid}"
        if eid in event_ids:
            raise AuthorError(f"{ew}: duplicate event id")
        event_ids.add(eid)
        etype = _need(ev, "type", ew)
        if etype not in TYPES:
            raise AuthorError(f"{ew}: type {etype!r} is not a PLOVER type")
        alt = ev.get("alt") or []
        if isinstance(alt, str):
            alt = [alt]
        for a in alt:
            if a not in TYPES or a == etype:
                raise AuthorError(f"{ew}: bad alternative type {a!r}")
        mode = ev.get("mode")
        if mode is not None and mode not in MODES.get(etype, set()):
            raise AuthorError(f"{ew}: mode {mode!r} is not a {etype} mode "
                              f"({sorted(MODES.get(etype, set())) or 'this type has no modes'})")
        fact = _need(ev, "factuality", ew)
        if fact not in FACTUALITY:
            raise AuthorError(f"{ew}: factuality {fact!r} not in {FACTUALITY}")
        triggers = ev.get("triggers")
        if isinstance(triggers, str):
            triggers = [triggers]
        if not triggers:
            raise AuthorError(f"{ew}: at least one trigger anchor is needed")
        trig_spans = [anchors.span(t, f"event {eid} trigger") for t in triggers]
        if len({(s['start'], s['end']) for s in trig_spans}) != len(trig_spans):
            raise AuthorError(f"{ew}: the same trigger span is listed twice")
        parts = []
        for k, p in enumerate(ev.get("participants") or [], start=1):
            pw = f"{ew} participant #{k}"
            if not isinstance(p, dict):
                raise AuthorError(f"{pw}: must be a mapping")
            _check_keys(p, {"role", "span", "name", "kind", "country", "sector", "entity",
                            "disputed", "via"}, pw)
            role = _need(p, "role", pw)
            if role not in ROLES:
                raise AuthorError(f"{pw}: role {role!r} not in {ROLES}")
            kind = _need(p, "kind", pw)
            if kind not in KINDS:
                raise AuthorError(f"{pw}: kind {kind!r} not in {KINDS}")
            country = p.get("country")
            if country is not None and country not in codes:
                raise AuthorError(f"{pw}: country {country!r} is not an ISO 3166 alpha-3 code "
                                  "known to Parley (or IGO/NGO)")
            sector = _need(p, "sector", pw)
            if sector not in SECTORS:
                raise AuthorError(f"{pw}: sector {sector!r} not in {SECTORS}")
            entity = p.get("entity")
            if entity is not None and not ENTITY_RE.match(str(entity)):
                raise AuthorError(
                    f"{pw}: entity {entity!r} is not country:XXX, per:slug, org:X or grp:X")
            if kind == "country" and entity is None and country not in (None, "IGO", "NGO"):
                entity = f"country:{country}"
            rec = {"role": role, "span": anchors.span(_need(p, "span", pw), f"{pw} span"),
                   "name": str(_need(p, "name", pw)), "kind": kind, "country": country,
                   "sector": sector, "entity": entity, "disputed": bool(p.get("disputed", False))}
            if p.get("via"):
                rec["via"] = anchors.span(p["via"], f"{pw} via")
            parts.append(rec)
        if not parts:
            raise AuthorError(f"{ew}: a codable event needs at least one participant")
        roles = {p["role"] for p in parts}
        if "participant" in roles and roles != {"participant"}:
            raise AuthorError(f"{ew}: use 'participant' for all or none of an event's participants")
        dt = None
        if ev.get("date") is not None:
            d = ev["date"]
            dw = f"{ew} date"
            _check_keys(d, {"value", "precision", "evidence", "values"}, dw)
            value = _iso(_need(d, "value", dw), dw, "value")
            precision = _need(d, "precision", dw)
            if precision not in PRECISIONS:
                raise AuthorError(f"{dw}: precision {precision!r} not in {PRECISIONS}")
            shape = {"day": 10, "month": 7, "year": 4, "week": 8}[precision]
            if len(value) != shape:
                raise AuthorError(f"{dw}: value {value!r} does not have precision {precision}")
            ev_anchors = d.get("evidence")
            if isinstance(ev_anchors, str):
                ev_anchors = [ev_anchors]
            if not ev_anchors:
                raise AuthorError(f"{dw}: evidence anchor(s) needed (the date words)")
            dt = {"value": value, "precision": precision,
                  "evidence": [anchors.span(a, f"{dw} evidence") for a in ev_anchors]}
            if d.get("values"):
                dt["values"] = [_iso(v, dw, "values") for v in d["values"]]
            if precision == "day" and date.fromisoformat(value) > pub and fact == "asserted":
                raise AuthorError(
                    f"{dw}: an asserted event dated after publication ({value} > {published})")
        place = None
        if ev.get("place") is not None:
            pl = ev["place"]
            plw = f"{ew} place"
            _check_keys(pl, {"name", "country", "evidence"}, plw)
            pc = pl.get("country")
            if pc is not None and pc not in codes:
                raise AuthorError(f"{plw}: country {pc!r} unknown")
            place = {"name": str(_need(pl, "name", plw)), "country": pc,
                     "evidence": anchors.span(_need(pl, "evidence", plw), f"{plw} evidence")}
        rec = {"id": eid, "type": etype, "alt": list(alt), "mode": mode, "factuality": fact,
               "key": bool(ev.get("key", False)), "background": bool(ev.get("background", False)),
               "triggers": trig_spans, "participants": parts, "date": dt, "place": place}
        if ev.get("note"):
            rec["note"] = str(ev["note"])
        out["events"].append(rec)
    for n, t in enumerate(src.get("traps") or [], start=1):
        tw = f"{where} trap #{n}"
        if not isinstance(t, dict):
            raise AuthorError(f"{tw}: must be a mapping")
        _check_keys(t, {"span", "kind", "invites", "note"}, tw)
        kind = _need(t, "kind", tw)
        if kind not in TRAP_KINDS:
            raise AuthorError(f"{tw}: kind {kind!r} not in {TRAP_KINDS}")
        invites = _need(t, "invites", tw)
        if invites not in TYPES:
            raise AuthorError(f"{tw}: invites {invites!r} is not a PLOVER type")
        rec = {"span": anchors.span(_need(t, "span", tw), f"{tw} span"), "kind": kind,
               "invites": invites}
        if t.get("note"):
            rec["note"] = str(t["note"])
        out["traps"].append(rec)
    for n, c in enumerate(src.get("conflicts") or [], start=1):
        cw = f"{where} conflict #{n}"
        _check_keys(c, {"kind", "event", "about", "sides", "note"}, cw)
        kind = _need(c, "kind", cw)
        if kind not in CONFLICT_KINDS:
            raise AuthorError(f"{cw}: kind {kind!r} not in {CONFLICT_KINDS}")
        event = str(_need(c, "event", cw))
        if event not in event_ids:
            raise AuthorError(f"{cw}: event {event!r} is not an event id of this article")
        sides = _need(c, "sides", cw)
        if not isinstance(sides, list) or len(sides) < 2:
            raise AuthorError(f"{cw}: a conflict has at least two sides")
        side_recs = []
        for k, s in enumerate(sides, start=1):
            _check_keys(s, {"span", "value"}, f"{cw} side {k}")
            sw = f"{cw} side {k}"
            side_recs.append({"span": anchors.span(_need(s, "span", sw), sw),
                              "value": str(_need(s, "value", sw))})
        rec = {"kind": kind, "event": event, "sides": side_recs}
        if kind == "participants":
            rec["about"] = str(_need(c, "about", cw))
        elif c.get("about"):
            rec["about"] = str(c["about"])
        if c.get("note"):
            rec["note"] = str(c["note"])
        out["conflicts"].append(rec)
    return out


def _sources(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")))
        else:
            out.append(path)
    return out


def stats(articles: list[dict]) -> str:
    types: Counter = Counter()
    facts: Counter = Counter()
    traps = conflicts = events = words = 0
    splits: Counter = Counter()
    for a in articles:
        words += len(a["text"].split())
        splits[split_of(a["id"])] += 1
        for e in a["events"]:
            events += 1
            types[e["type"]] += 1
            facts[e["factuality"]] += 1
        traps += len(a["traps"])
        conflicts += 1 if a["conflicts"] else 0
    lines = [f"articles {len(articles)}  words {words}  events {events}  traps {traps}  "
             f"articles with conflicts {conflicts}  splits {dict(splits)}",
             "types: " + ", ".join(f"{t} {types[t]}" for t in TYPES),
             "factuality: " + ", ".join(f"{f} {facts[f]}" for f in FACTUALITY)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sources", nargs="+", help="authoring YAML files or folders of them")
    ap.add_argument("--out", help="folder for the compiled JSON (one file per article)")
    ap.add_argument("--check", action="store_true", help="validate only")
    args = ap.parse_args(argv)
    codes = country_codes()
    compiled, failures = [], 0
    for path in _sources(args.sources):
        try:
            try:
                src = yaml.safe_load(path.read_text("utf-8"))
            except yaml.YAMLError as exc:
                raise AuthorError(f"{path}: YAML error: {exc}") from None
            art = compile_article(src, codes, str(path))
        except AuthorError as exc:
            failures += 1
            print(f"error: {exc}", file=sys.stderr)
            continue
        compiled.append(art)
        if args.out and not args.check:
            out = Path(args.out)
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{art['id']}.json").write_text(
                json.dumps(art, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(stats(compiled))
    if failures:
        print(f"{failures} file(s) failed", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
