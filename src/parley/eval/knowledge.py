"""Knowledge test sets: who an actor mention is, and when a date expression puts an event.

Two JSONL formats, written for Parley independently of its knowledge files (they are not
used to compile the knowledge base) and kept in ``bench/knowledge/``:

* **actors** — ``{"id", "published", "text", "mention", "country", "sector", "kind",
  "category"}``: the mention (exact words of ``text``) must resolve to the country (ISO3,
  ``IGO``/``NGO`` for international bodies) and PLOVER sector of the actor on the
  publication date. Scored: country accuracy and sector accuracy, overall and per
  category (heads of state, ministers, titles, spellings, agencies, forces, parties,
  armed groups, IGOs, metonyms, role nouns, ambiguous names ...).
* **dates** — ``{"id", "published", "text", "trigger", "expression", "value",
  "precision"}``: the event the trigger names must get that date. Scored: exact (value
  and precision), and precision-aware (the value falls within the gold period, or the
  gold day within a coarser coded period).

``parley eval FILE`` recognises both by their keys.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from parley.errors import GoldFormatError
from parley.model import Article, Work

# sectors a test set may use that the knowledge base does not tell apart: a party is PTY
# whether it is in government or in opposition
SAME_SECTOR = {"OPP": "PTY"}
INTERNATIONAL = ("IGO", "NGO")


def read_jsonl(path: str | Path) -> list[dict]:
    p = Path(path)
    try:
        lines = p.read_text("utf-8").splitlines()
    except OSError as exc:
        raise GoldFormatError(f"cannot read ({exc.strerror})", source=str(p)) from None
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise GoldFormatError(f"not valid JSON ({exc.msg})", source=str(p), line=n
                                  ) from None
    return out


def kind_of_file(rows: list[dict]) -> str | None:
    if rows and all("mention" in r and "sector" in r for r in rows):
        return "actors"
    if rows and all("expression" in r and "trigger" in r for r in rows):
        return "dates"
    return None


@dataclass
class Tally:
    n: int = 0
    right: int = 0

    @property
    def share(self) -> float:
        return self.right / self.n if self.n else 0.0


@dataclass
class KnowledgeReport:
    kind: str
    measures: dict[str, Tally] = field(default_factory=dict)
    by_category: dict[str, dict[str, Tally]] = field(default_factory=dict)
    misses: list[dict] = field(default_factory=list)

    def add(self, category: str, measure: str, ok: bool) -> None:
        for t in (self.measures.setdefault(measure, Tally()),
                  self.by_category.setdefault(category, {}).setdefault(measure, Tally())):
            t.n += 1
            t.right += int(ok)

    def to_json(self) -> dict:
        return {"kind": self.kind,
                "measures": {k: {"n": v.n, "right": v.right, "share": round(v.share, 4)}
                             for k, v in self.measures.items()},
                "by_category": {c: {k: round(v.share, 4) for k, v in m.items()} | {
                    "n": next(iter(m.values())).n} for c, m in sorted(self.by_category.items())},
                "misses": self.misses}


def _works(rows: list[dict], stage_names: tuple[str, ...]) -> list[Work]:
    from parley.knowledge import default_knowledge
    from parley.pipeline import _through, default_stages

    k = default_knowledge()
    stages = [s for s in default_stages() if s.name in stage_names]
    works: Any = (Work(article=Article(id=r["id"], text=r["text"],
                                       published=date.fromisoformat(r["published"])),
                       knowledge=k) for r in rows)
    for st in stages:
        works = _through(st, works)
    return list(works)


def _span(text: str, words: str, source: str, rid: str) -> tuple[int, int]:
    at = text.find(words)
    if at < 0:
        raise GoldFormatError(f"{rid}: {words!r} is not in the text", source=source)
    return at, at + len(words)


def actor_refs(work: Work) -> list[Any]:
    """Every actor reference the coder makes in the text: named mentions and role nouns."""
    from parley.actors import resolver

    res = resolver(work)
    refs = []
    table = work.actors
    # role nouns first: "Nigeria's army chief" is the army (MIL) more than Nigeria
    for tok in work.doc:
        if tok.pos_ in ("NOUN", "PROPN") and (table is None or tok.i not in table.by_token):
            refs.extend(res.refs_for(tok) or res.role_refs(tok))
    return refs + list(res.all_refs())


def _country_code(ref: Any) -> str | None:
    """The country a reference gives, IGO / NGO for international bodies and officials."""
    if ref is None:
        return None
    if ref.country:
        return ref.country
    if ref.sector in INTERNATIONAL:
        return ref.sector
    if ref.kind == "organisation" and ref.kb_id:
        # a KB organisation without a country is international: an NGO or an IGO
        return "NGO" if _kinds().get(ref.kb_id) == "ngo" else "IGO"
    return None


def _kinds() -> dict[str, str]:
    from parley.knowledge import default_knowledge

    raw = default_knowledge().kb.raw
    return {o["id"]: str(o.get("kind")) for o in raw.get("organisations", [])}


def score_actors(rows: list[dict], source: str = "actors") -> KnowledgeReport:
    report = KnowledgeReport("actors")
    works = _works(rows, ("clean", "parse", "actors"))
    for r, w in zip(rows, works, strict=True):
        start, end = _span(r["text"], r["mention"], source, r["id"])
        best, rank = None, (0, 0)
        for ref in actor_refs(w):
            o = min(end, ref.end) - max(start, ref.start)
            # the reference that ends where the mention ends names its head noun
            # ("Polish police": the police, not Poland)
            here = (int(o > 0 and ref.start < end <= ref.end + 1), o)
            if o > 0 and here > rank:
                best, rank = ref, here
        gold_country = r.get("country")
        got_country = _country_code(best)
        country_ok = best is not None and got_country == gold_country
        gold_sector = SAME_SECTOR.get(r["sector"], r["sector"])
        got_sector = SAME_SECTOR.get(best.sector, best.sector) if best is not None else None
        sector_ok = best is not None and got_sector == gold_sector
        cat = r.get("category", "all")
        report.add(cat, "found", best is not None)
        report.add(cat, "country", country_ok)
        report.add(cat, "sector", sector_ok)
        if not (country_ok and sector_ok):
            report.misses.append({"id": r["id"], "mention": r["mention"], "category": cat,
                                  "gold": [gold_country, r["sector"]],
                                  "got": [got_country, best.sector if best else None,
                                          best.name if best else None]})
    return report


def _period(value: date, precision: str) -> tuple[date, date]:
    if precision == "day":
        return value, value
    if precision == "week":
        return value, value + timedelta(days=6)
    if precision == "month":
        nxt = date(value.year + (value.month == 12), value.month % 12 + 1, 1)
        return value, nxt - timedelta(days=1)
    return value, date(value.year, 12, 31)


def score_dates(rows: list[dict], source: str = "dates") -> KnowledgeReport:
    from parley.resolve import date_for_token

    report = KnowledgeReport("dates")
    works = _works(rows, ("clean", "parse"))
    for r, w in zip(rows, works, strict=True):
        start, end = _span(r["text"], r["trigger"], source, r["id"])
        span = w.doc.char_span(start, end, alignment_mode="expand")
        got = date_for_token(w, span.root) if span is not None and len(span) else None
        gold = date.fromisoformat(r["value"])
        exact = got is not None and got.value == gold and got.precision == r["precision"]
        aware = exact
        if got is not None and not exact:
            g0, g1 = _period(gold, r["precision"])
            c0, c1 = _period(got.value, got.precision)
            aware = (g0 <= got.value <= g1 and c1 <= g1) or (c0 <= gold <= c1 and (
                r["precision"] != "day" or got.precision == "day"))
        cat = r.get("category", "all")
        report.add(cat, "exact", exact)
        report.add(cat, "precision_aware", aware)
        if not exact:
            report.misses.append({"id": r["id"], "expression": r["expression"],
                                  "category": cat, "gold": [r["value"], r["precision"]],
                                  "got": [got.value.isoformat(), got.precision] if got else None})
    return report


def score_file(path: str | Path) -> KnowledgeReport:
    rows = read_jsonl(path)
    kind = kind_of_file(rows)
    if kind == "actors":
        return score_actors(rows, str(path))
    if kind == "dates":
        return score_dates(rows, str(path))
    raise GoldFormatError("neither an actor nor a date test set (see parley.eval.knowledge)",
                          source=str(path))


def render(report: KnowledgeReport) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    names = list(report.measures)
    t = Table(title=f"{report.kind} test set")
    t.add_column("category")
    t.add_column("n", justify="right")
    for n in names:
        t.add_column(n, justify="right")
    for cat, m in sorted(report.by_category.items()):
        t.add_row(cat, str(next(iter(m.values())).n), *(f"{m[n].share:.3f}" for n in names))
    t.add_row("all", str(next(iter(report.measures.values())).n),
              *(f"{report.measures[n].share:.3f}" for n in names), style="bold")
    console.print(t)
    by_cat = defaultdict(list)
    for miss in report.misses:
        by_cat[miss["category"]].append(miss)
    counts = Counter(m["category"] for m in report.misses)
    console.print("misses by category: " + ", ".join(f"{k} {v}" for k, v in
                                                      counts.most_common()))


__all__ = ["KnowledgeReport", "kind_of_file", "read_jsonl", "render", "score_actors",
           "score_dates", "score_file"]
