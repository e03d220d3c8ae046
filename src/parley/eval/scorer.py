"""`parley eval`: score the coder against PLOVER gold-standard records.

Each gold record is one sentence with one event (type, source and target actors).
Parley codes the sentence; its *primary* event is the one a human coder would pick:
an asserted/reported event before a hypothetical, planned or negated one, then
the highest confidence (triggers near the clause root score higher), then the
earliest. Scores:

* event type: per type and micro/macro precision, recall, F1 over records
  (a record with no predicted event counts as a miss, not a false positive);
* participant countries: micro P/R/F1 of the set of country codes of the primary
  event's participants against the gold source+target codes (international
  organisations count as the code ``IGO``, as in the gold file).

Older (0.5b1) type names are mapped: DEMAND->REQUEST, DISAPPROVE->ACCUSE,
FIGHT->ASSAULT, INVESTIGATE->ACCUSE (the manual's ACCUSE mode "investigate").
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from parley.errors import GoldFormatError
from parley.ingest.dates import parse_date
from parley.model import PLOVER_TYPES, Article, Document, Event

TYPE_MAP = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT",
            "INVESTIGATE": "ACCUSE"}
_REALIS = {"asserted": 0, "reported": 0, "negated": 1, "planned": 2, "hypothetical": 2}


@dataclass(frozen=True)
class GoldRecord:
    id: str
    text: str
    type: str
    countries: frozenset[str]
    date: str | None


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4)}


@dataclass
class Report:
    gold_sha256: str
    records: int
    type_micro: PRF
    type_macro_f1: float
    per_type: dict[str, PRF]
    country_micro: PRF
    confusion: dict[str, dict[str, int]]
    errors: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "gold_sha256": self.gold_sha256,
            "records": self.records,
            "event_type": {"micro": self.type_micro.as_dict(),
                           "macro_f1": round(self.type_macro_f1, 4),
                           "per_type": {k: v.as_dict() for k, v in self.per_type.items()}},
            "participant_country": {"micro": self.country_micro.as_dict()},
            "confusion": self.confusion,
        }


def sha256_file(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_gold(path: str) -> list[GoldRecord]:
    p = Path(path)
    if not p.is_file():
        raise GoldFormatError("no such file", source=path)
    try:
        data = json.loads(p.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GoldFormatError(f"not a JSON gold file ({exc})", source=path) from None
    if not isinstance(data, list):
        raise GoldFormatError("expected a JSON list of PLOVER records", source=path)
    records = []
    for n, rec in enumerate(data):
        if not isinstance(rec, dict) or rec.get("event") in (None, "DOCUMENT"):
            continue
        if not rec.get("text"):
            continue
        etype = TYPE_MAP.get(rec["event"], rec["event"])
        if etype not in PLOVER_TYPES:
            raise GoldFormatError(f"record {n}: unknown event type {rec['event']!r}", source=path)
        codes = set()
        for side in ("source", "target"):
            actors = rec.get(side)
            if not isinstance(actors, list):  # a few records hold "" or a stray word here
                continue
            for actor in actors:
                code = actor.get("code") if isinstance(actor, dict) else None
                if code:
                    codes.add(code)
        records.append(GoldRecord(str(rec.get("id", n)), rec["text"], etype, frozenset(codes),
                                  rec.get("date")))
    if not records:
        raise GoldFormatError("no event records found", source=path)
    return records


def primary_event(doc: Document) -> Event | None:
    if not doc.events:
        return None
    ranked = sorted(enumerate(doc.events),
                    key=lambda ie: (_REALIS[ie[1].factuality], -ie[1].confidence, ie[0]))
    return ranked[0][1]


def event_countries(doc: Document, event: Event | None) -> set[str]:
    if event is None:
        return set()
    actors = {a.id: a for a in doc.actors}
    codes = set()
    for p in event.participants:
        a = actors.get(p.actor)
        if a is None:
            continue
        if a.country:
            codes.add(a.country)
        elif a.kind == "organisation":
            codes.add("IGO")
    return codes


def _day(value: str | None) -> date | None:
    try:
        return parse_date(value)
    except ValueError:
        return None


def evaluate(records: list[GoldRecord], *, progress: bool = False,
             gold_path: str | None = None) -> Report:
    from parley.pipeline import code_articles

    articles = [Article(id=r.id, text=r.text, published=_day(r.date), source="gold")
                for r in records]
    # Every gold record is an event by construction, so what is scored is the type and
    # the participants of the sentence's primary event, not whether the confidence floor
    # (an output choice, tuned for whole articles) lets it through: no floor here.
    docs_iter: Iterable[Document] = code_articles(articles, batch_size=64,
                                                  min_confidence=0.0)
    if progress:
        from rich.progress import track

        docs_iter = track(docs_iter, total=len(articles), description="coding gold sentences",
                          transient=True)
    docs = list(docs_iter)
    per_type = {t: PRF() for t in PLOVER_TYPES}
    micro = PRF()
    countries = PRF()
    confusion: dict[str, Counter] = {}
    errors = []
    for rec, doc in zip(records, docs):
        ev = primary_event(doc)
        pred = ev.type if ev else "none"
        confusion.setdefault(rec.type, Counter())[pred] += 1
        if pred == rec.type:
            micro.tp += 1
            per_type[rec.type].tp += 1
        else:
            micro.fn += 1
            per_type[rec.type].fn += 1
            if ev is not None:
                micro.fp += 1
                per_type[pred].fp += 1
        got = event_countries(doc, ev)
        countries.tp += len(got & rec.countries)
        countries.fp += len(got - rec.countries)
        countries.fn += len(rec.countries - got)
        if pred != rec.type or got != rec.countries:
            errors.append({"id": rec.id, "gold": rec.type, "pred": pred,
                           "gold_countries": sorted(rec.countries), "pred_countries": sorted(got),
                           "text": rec.text})
    gold_types = {r.type for r in records}
    macro = sum(per_type[t].f1 for t in gold_types) / len(gold_types)
    digest = sha256_file(gold_path) if gold_path else ""
    return Report(digest, len(records), micro, macro,
                  {t: v for t, v in per_type.items() if v.tp + v.fp + v.fn},
                  countries, {g: dict(c) for g, c in sorted(confusion.items())}, errors)


def check_gate(report: Report, gold_path: str) -> list[str]:
    """Floors pinned in eval/baseline.json, tied to the gold file's hash."""
    from parley.eval.gate import baseline

    base = baseline()
    problems = []
    digest = sha256_file(gold_path)
    if digest != base["gold_sha256"]:
        problems.append(f"gold file hash {digest[:12]} differs from the pinned "
                        f"{base['gold_sha256'][:12]}: update eval/baseline.json deliberately")
    floors = base["floors"]
    if report.type_micro.f1 < floors["event_type_micro_f1"]:
        problems.append(f"event-type micro-F1 {report.type_micro.f1:.3f} < floor "
                        f"{floors['event_type_micro_f1']}")
    if report.country_micro.f1 < floors["participant_country_micro_f1"]:
        problems.append(f"participant-country micro-F1 {report.country_micro.f1:.3f} < floor "
                        f"{floors['participant_country_micro_f1']}")
    return problems


def render_report(report: Report) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    t = Table(title=f"Event type ({report.records} gold records)")
    for col in ("type", "P", "R", "F1", "tp", "fp", "fn"):
        t.add_column(col, justify="right" if col != "type" else "left")
    for name, prf in report.per_type.items():
        t.add_row(name, f"{prf.precision:.2f}", f"{prf.recall:.2f}", f"{prf.f1:.2f}",
                  str(prf.tp), str(prf.fp), str(prf.fn))
    m = report.type_micro
    t.add_row("[b]micro[/b]", f"{m.precision:.3f}", f"{m.recall:.3f}", f"[b]{m.f1:.3f}[/b]",
              str(m.tp), str(m.fp), str(m.fn))
    t.add_row("[b]macro F1[/b]", "", "", f"{report.type_macro_f1:.3f}", "", "", "")
    console.print(t)
    c = report.country_micro
    console.print(f"Participant countries: P {c.precision:.3f}  R {c.recall:.3f}  "
                  f"[b]F1 {c.f1:.3f}[/b]  (tp {c.tp}, fp {c.fp}, fn {c.fn})")
    order = [t for t in PLOVER_TYPES if t in report.confusion] + ["none"]
    preds = [p for p in order if any(p in row for row in report.confusion.values())]
    ct = Table(title="Confusion (rows gold, columns predicted; first 4 letters)",
               padding=(0, 0), pad_edge=False)
    ct.add_column("gold", no_wrap=True)
    for p in preds:
        ct.add_column(p[:4], justify="right", no_wrap=True, min_width=4)
    for g in order[:-1]:
        row = report.confusion[g]
        ct.add_row(g[:4], *[str(row.get(p, "")) for p in preds])
    Console(width=max(console.width, 120)).print(ct)


__all__ = ["GoldRecord", "Report", "asdict", "check_gate", "evaluate", "load_gold"]
