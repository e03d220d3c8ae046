"""The annotated news corpus: loading, validation and event-level scoring.

``load_corpus(path)`` reads a corpus file, a folder of them, or a split of a folder
(``corpus/test`` when ``corpus/`` holds the articles and ``test`` is a split name); every
file is checked against ``corpus/schema.json`` and every span must slice its text.

``score(articles, docs)`` compares coded documents with the gold annotations
(``docs/annotation.md``, section "Scoring" of ``docs/accuracy.md``):

* **asserted events** (current, not background): a coded event matches a gold event
  when its type is the gold type or an annotated alternative, and one of its mentions'
  triggers or sentences overlaps one of the gold triggers; matching is one to one, so a
  second coded event on the same gold event is a false positive;
* on matched events: participant precision/recall by country and by knowledge-base id,
  role accuracy, date exact match (gold day dates), place match;
* factuality: every coded event matched against every gold event (any factuality),
  with a confusion table;
* traps: coded asserted events whose trigger lies in a trap span, and asserted events
  matching gold background events;
* conflicts: coded conflicts against labelled ones (same kind, same event).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from parley.errors import GoldFormatError
from parley.model import FACTUALITIES, PLOVER_TYPES, Article, Document, Event

SPLITS = ("train", "dev", "test")
_SCHEMA_FILES = ("schema.json",)


def split_of(article_id: str) -> str:
    """train / dev / test, fixed by a hash of the article id (about 70/15/15)."""
    h = int(hashlib.sha256(article_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "train" if h < 70 else "dev" if h < 85 else "test"


# -- loading ------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _validator(schema_path: str) -> Any:
    import jsonschema

    schema = json.loads(Path(schema_path).read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _schema_for(path: Path) -> Path | None:
    for folder in (path if path.is_dir() else path.parent, *path.parents):
        for name in _SCHEMA_FILES:
            if (folder / name).is_file():
                return folder / name
    return None


def _spans(node: object) -> Iterator[dict]:
    if isinstance(node, dict):
        if set(node) >= {"start", "end", "text"} and isinstance(node.get("start"), int):
            yield node
        for v in node.values():
            yield from _spans(v)
    elif isinstance(node, list):
        for v in node:
            yield from _spans(v)


def check_article(data: object, source: str, schema: Path | None) -> dict:
    """The article, or a ``GoldFormatError`` naming the file and the problem."""
    if not isinstance(data, dict) or "events" not in data or "text" not in data:
        raise GoldFormatError("not a corpus article (no 'text' and 'events')", source=source)
    if schema is not None:
        try:
            errors = sorted(_validator(str(schema)).iter_errors(data), key=lambda e: e.path)
        except ImportError:  # pragma: no cover - jsonschema is a test dependency
            errors = []
        if errors:
            where = "/".join(str(p) for p in errors[0].absolute_path)
            raise GoldFormatError(f"does not match {schema.name} at {where or '(root)'}: "
                                  f"{errors[0].message[:200]}", source=source)
    text = data["text"]
    for span in _spans({k: v for k, v in data.items() if k != "text"}):
        if text[span["start"]:span["end"]] != span["text"]:
            raise GoldFormatError(f"span {span['start']}-{span['end']} does not slice the text "
                                  f"({span['text'][:40]!r})", source=source)
    return data


def corpus_files(path: str | Path) -> tuple[list[Path], str | None]:
    """The article files behind ``path`` and the split it names (or None)."""
    p = Path(path)
    split = None
    if not p.exists() and p.name in SPLITS and p.parent.is_dir():
        p, split = p.parent, p.name
    if p.is_file():
        return [p], split
    if p.is_dir():
        root = p / "articles" if (p / "articles").is_dir() else p
        files = sorted(f for f in root.glob("*.json") if f.name not in _SCHEMA_FILES)
        if not files:
            raise GoldFormatError("no corpus articles (*.json) here", source=str(path))
        return files, split
    raise GoldFormatError("no such file or folder", source=str(path))


def load_corpus(path: str | Path, *, split: str | None = None,
                source: str | None = None) -> list[dict]:
    """Every article of a corpus file, folder or split (validated), optionally only those
    of one ``source`` (``voa`` or ``parley``)."""
    files, named = corpus_files(path)
    split = split or named
    if split is not None and split not in SPLITS:
        raise GoldFormatError(f"unknown split {split!r} (train, dev, test)", source=str(path))
    out = []
    for f in files:
        try:
            data = json.loads(f.read_text("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise GoldFormatError(f"not valid JSON ({exc})", source=str(f)) from None
        article = check_article(data, str(f), _schema_for(f))
        if (split is None or split_of(article["id"]) == split) and (
                source is None or article["source"] == source):
            out.append(article)
    if not out:
        raise GoldFormatError(f"no articles in split {split!r} from source {source!r}",
                              source=str(path))
    return out


def corpus_digest(articles: Sequence[dict]) -> str:
    """A fingerprint of the annotations (ids, texts, labels) the gate is pinned to."""
    h = hashlib.sha256()
    for a in sorted(articles, key=lambda a: a["id"]):
        h.update(json.dumps(a, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def as_article(a: dict) -> Article:
    return Article(id=a["id"], text=a["text"], published=date.fromisoformat(a["published"]),
                   title=a.get("title"), url=a.get("url"), source=f"corpus:{a['id']}")


def looks_like_corpus(path: str | Path) -> bool:
    p = Path(path)
    if not p.exists() and p.name in SPLITS:
        return p.parent.is_dir()
    if p.is_dir():
        return True
    if p.suffix == ".json" and p.is_file():
        try:
            head = p.read_text("utf-8")[:2000].lstrip()
        except (OSError, UnicodeDecodeError):
            return False
        return head.startswith("{")
    return False


# -- scoring ------------------------------------------------------------------------------


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
class Ratio:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 0.0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.right += int(ok)

    def as_dict(self) -> dict:
        return {"right": self.right, "total": self.total, "value": round(self.value, 4)}


@dataclass
class CorpusReport:
    articles: int
    gold_events: int
    digest: str
    asserted: PRF = field(default_factory=PRF)
    per_type: dict[str, PRF] = field(default_factory=lambda: {t: PRF() for t in PLOVER_TYPES})
    participant_country: PRF = field(default_factory=PRF)
    participant_id: PRF = field(default_factory=PRF)
    roles: Ratio = field(default_factory=Ratio)
    dates: Ratio = field(default_factory=Ratio)
    places: Ratio = field(default_factory=Ratio)
    factuality: Ratio = field(default_factory=Ratio)
    factuality_confusion: dict[str, Counter] = field(default_factory=dict)
    trap_hits: Counter = field(default_factory=Counter)
    traps: int = 0
    background_hits: int = 0
    conflicts: PRF = field(default_factory=PRF)
    predicted_per_article: float = 0.0
    diffs: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "articles": self.articles, "gold_events": self.gold_events,
            "corpus_sha256": self.digest,
            "asserted_events": self.asserted.as_dict(),
            "per_type": {t: v.as_dict() for t, v in self.per_type.items()
                         if v.tp + v.fp + v.fn},
            "participant_country": self.participant_country.as_dict(),
            "participant_kb_id": self.participant_id.as_dict(),
            "role_accuracy": self.roles.as_dict(),
            "date_exact": self.dates.as_dict(),
            "place_match": self.places.as_dict(),
            "factuality_accuracy": self.factuality.as_dict(),
            "factuality_confusion": {g: dict(c) for g, c in self.factuality_confusion.items()},
            "trap_hits": dict(self.trap_hits), "traps": self.traps,
            "background_hits": self.background_hits,
            "conflicts": self.conflicts.as_dict(),
            "events_per_article": round(self.predicted_per_article, 2),
        }


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _event_spans(event: Event) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    triggers = [(m.trigger.start, m.trigger.end) for m in event.mentions]
    sentences = [(m.start, m.end) for m in event.mentions]
    return triggers, sentences


def _match_quality(event: Event, gold: dict, *, any_type: bool = False) -> int:
    """2: a trigger overlaps a gold trigger; 1: a sentence does; 0: no match."""
    if not any_type and event.type != gold["type"] and event.type not in gold["alt"]:
        return 0
    golds = [(t["start"], t["end"]) for t in gold["triggers"]]
    triggers, sentences = _event_spans(event)
    if any(_overlaps(t, g) for t in triggers for g in golds):
        return 2
    if any(_overlaps(s, g) for s in sentences for g in golds):
        return 1
    return 0


def match_events(events: Sequence[Event], golds: Sequence[dict], *, any_type: bool = False
                 ) -> list[tuple[Event, dict]]:
    """One-to-one pairs, best matches first (trigger overlap, then sentence, then
    confidence); every other coded event on a matched gold event stays unmatched."""
    candidates = []
    for i, e in enumerate(events):
        for j, g in enumerate(golds):
            q = _match_quality(e, g, any_type=any_type)
            if q:
                candidates.append((-q, -e.confidence, i, j))
    pairs: list[tuple[Event, dict]] = []
    used_e: set[int] = set()
    used_g: set[int] = set()
    for _, _, i, j in sorted(candidates):
        if i in used_e or j in used_g:
            continue
        used_e.add(i)
        used_g.add(j)
        pairs.append((events[i], golds[j]))
    return pairs


def _actor_codes(doc: Document, event: Event) -> dict[str, tuple[str, str | None]]:
    """Per participant: its country code (IGO for international organisations) and its
    knowledge-base id, keyed by document actor id."""
    actors = {a.id: a for a in doc.actors}
    out = {}
    for p in event.participants:
        a = actors.get(p.actor)
        if a is None:
            continue
        code = a.country or ("IGO" if a.sector == "IGO" else "NGO" if a.sector == "NGO"
                             else None)
        out[p.actor] = (code or "", getattr(a, "kb_id", None))
    return out


def _gold_ids(gold: dict, kb_lookup: Any) -> set[str]:
    out = set()
    for p in gold["participants"]:
        if p["entity"]:
            out.add(p["entity"])
        elif kb_lookup is not None and p["kind"] != "other":
            found = kb_lookup(p["name"])
            if found:
                out.add(found)
    return out


def _date_ok(event: Event, gold: dict) -> bool | None:
    d = gold.get("date")
    if not d or d["precision"] != "day":
        return None
    allowed = {d["value"], *(d.get("values") or ())}
    got = event.date.value.isoformat() if event.date.value else None
    return got in allowed or any(c.isoformat() in allowed for c in event.date.candidates
                                 if event.date.disputed)


def _place_ok(event: Event, gold: dict) -> bool | None:
    pl = gold.get("place")
    if not pl:
        return None
    if event.place is None:
        return False
    if pl.get("country") and event.place.country:
        return pl["country"] == event.place.country
    return event.place.name.casefold() == pl["name"].casefold()


def _is_background(event: Event) -> bool:
    return bool(getattr(event, "background", False))


def score(articles: Sequence[dict], docs: Sequence[Document], *, kb_lookup: Any = None,
          verbose: bool = False) -> CorpusReport:
    report = CorpusReport(articles=len(articles), digest=corpus_digest(articles),
                          gold_events=sum(len(a["events"]) for a in articles))
    n_pred = 0
    for art, doc in zip(articles, docs, strict=True):
        gold_all = art["events"]
        gold_current = [g for g in gold_all if not g["background"]]
        gold_asserted = [g for g in gold_current if g["factuality"] == "asserted"]
        coded = [e for e in doc.events if not _is_background(e)]
        asserted = [e for e in coded if e.factuality == "asserted"]
        n_pred += len(asserted)
        pairs = match_events(asserted, gold_asserted)
        matched_e = {id(e) for e, _ in pairs}
        matched_g = {id(g) for _, g in pairs}
        report.asserted.tp += len(pairs)
        report.asserted.fp += len(asserted) - len(pairs)
        report.asserted.fn += len(gold_asserted) - len(pairs)
        for _, g in pairs:
            report.per_type[g["type"]].tp += 1
        for e in asserted:
            if id(e) not in matched_e:
                report.per_type[e.type].fp += 1
        for g in gold_asserted:
            if id(g) not in matched_g:
                report.per_type[g["type"]].fn += 1
        for e, g in pairs:
            _score_participants(report, doc, e, g, kb_lookup)
            ok = _date_ok(e, g)
            if ok is not None:
                report.dates.add(ok)
            ok = _place_ok(e, g)
            if ok is not None:
                report.places.add(ok)
        # factuality: any coded event against any gold event, type-aware
        for e, g in match_events(coded, [g for g in gold_current]):
            report.factuality.add(e.factuality == g["factuality"])
            report.factuality_confusion.setdefault(g["factuality"], Counter())[e.factuality] += 1
        # traps and background
        report.traps += len(art["traps"])
        unmatched = [e for e in asserted if id(e) not in matched_e]
        for e in unmatched:
            triggers, _ = _event_spans(e)
            for t in art["traps"]:
                if any(_overlaps(x, (t["span"]["start"], t["span"]["end"])) for x in triggers):
                    report.trap_hits[t["kind"]] += 1
                    break
        background = [g for g in gold_all if g["background"]]
        report.background_hits += len(match_events(unmatched, background))
        _score_conflicts(report, art, doc)
        if verbose:
            report.diffs.append(_diff(art, doc, pairs, asserted, gold_asserted))
    report.predicted_per_article = n_pred / max(1, len(articles))
    return report


def _score_participants(report: CorpusReport, doc: Document, e: Event, g: dict,
                        kb_lookup: Any) -> None:
    codes = _actor_codes(doc, e)
    got_c = {c for c, _ in codes.values() if c}
    want_c = {p["country"] for p in g["participants"] if p["country"]}
    report.participant_country.tp += len(got_c & want_c)
    report.participant_country.fp += len(got_c - want_c)
    report.participant_country.fn += len(want_c - got_c)
    got_i = {i for _, i in codes.values() if i}
    want_i = _gold_ids(g, kb_lookup)
    report.participant_id.tp += len(got_i & want_i)
    report.participant_id.fp += len(got_i - want_i)
    report.participant_id.fn += len(want_i - got_i)
    for ok in role_matches(doc, e, g, codes):
        report.roles.add(ok)


def role_matches(doc: Document, e: Event, g: dict,
                 codes: dict[str, tuple[str, str | None]]) -> list[bool]:
    """Per gold participant paired with a coded one: are their roles the same?

    Pairs are one to one. A gold participant pairs with the coded participant of its
    knowledge-base entity, else the one whose mentions overlap its span, else one of its
    country; among several of one country ("police detained opposition aides": both
    Congolese) the pairing that agrees on roles is taken, as an optimal alignment would.
    """
    roles = {p.actor: p.role for p in e.participants}
    spans = {a.id: [(m.start, m.end) for m in a.mentions] for a in doc.actors}
    used: set[str] = set()
    out: list[bool] = []
    for p in g["participants"]:
        gspan = (p["span"]["start"], p["span"]["end"]) if p.get("span") else None

        options = [(0 if p["entity"] and i == p["entity"] else 1,
                    0 if gspan and any(_overlaps(sp, gspan) for sp in spans.get(aid, ()))
                    else 1,
                    0 if roles[aid] == p["role"] else 1, n, aid)
                   for n, (aid, (c, i)) in enumerate(codes.items())
                   if aid not in used and ((p["entity"] and i == p["entity"])
                                           or (c and c == p["country"]))]
        if not options:
            continue
        hit = min(options)[-1]
        used.add(hit)
        out.append(roles[hit] == p["role"])
    return out


def _score_conflicts(report: CorpusReport, art: dict, doc: Document) -> None:
    gold = art["conflicts"]
    events = {e.id: e for e in doc.events}
    golds = {g["id"]: g for g in art["events"]}
    found = 0
    used: set[int] = set()
    for c in doc.conflicts:
        e = events.get(c.event)
        hit = None
        for k, gc in enumerate(gold):
            if k in used or gc["kind"] != c.kind:
                continue
            ge = golds.get(gc["event"])
            if e is None or ge is None or not _match_quality(e, ge, any_type=True):
                continue
            sides = [(s["span"]["start"], s["span"]["end"]) for s in gc["sides"]]
            if c.evidence and not any(_overlaps((x.start, x.end), s) for x in c.evidence
                                      for s in sides):
                continue
            hit = k
            break
        if hit is None:
            report.conflicts.fp += 1
        else:
            used.add(hit)
            found += 1
    report.conflicts.tp += found
    report.conflicts.fn += len(gold) - found


def _diff(art: dict, doc: Document, pairs, asserted, gold_asserted) -> dict:
    text = art["text"]
    matched_e = {id(e) for e, _ in pairs}
    matched_g = {id(g) for _, g in pairs}

    def trig(e: Event) -> str:
        m = e.mentions[0]
        return text[m.trigger.start:m.trigger.end]

    return {
        "id": art["id"],
        "matched": [(g["id"], g["type"], trig(e)) for e, g in pairs],
        "false_positives": [(e.type, trig(e), text[e.mentions[0].start:e.mentions[0].end][:120])
                            for e in asserted if id(e) not in matched_e],
        "missed": [(g["id"], g["type"], g["triggers"][0]["text"]) for g in gold_asserted
                   if id(g) not in matched_g],
    }


def kb_lookup_from(knowledge: Any) -> Any:
    """A name -> knowledge-base id function over ``knowledge.kb`` (exact names only)."""
    kb = knowledge.kb

    def lookup(name: str) -> str | None:
        refs = kb.refs(name)
        return refs[0].entity if len(refs) == 1 else None

    return lookup


def code_corpus(articles: Iterable[dict], *, pipeline: Any = None,
                min_confidence: float | None = None) -> list[Document]:
    from parley.pipeline import code_articles

    return list(code_articles([as_article(a) for a in articles], pipeline=pipeline,
                              min_confidence=min_confidence))


def render(report: CorpusReport) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    a = report.asserted
    console.print(f"[b]{report.articles} articles, {report.gold_events} gold events[/b] "
                  f"(corpus sha256 {report.digest[:12]})")
    console.print(f"Asserted events: P {a.precision:.3f}  R {a.recall:.3f}  "
                  f"[b]F1 {a.f1:.3f}[/b]  (tp {a.tp}, fp {a.fp}, fn {a.fn}); "
                  f"{report.predicted_per_article:.1f} coded asserted events per article")
    t = Table(title="Per type (asserted events)")
    for col in ("type", "P", "R", "F1", "tp", "fp", "fn"):
        t.add_column(col, justify="left" if col == "type" else "right")
    for name, prf in report.per_type.items():
        if prf.tp + prf.fp + prf.fn:
            t.add_row(name, f"{prf.precision:.2f}", f"{prf.recall:.2f}", f"{prf.f1:.2f}",
                      str(prf.tp), str(prf.fp), str(prf.fn))
    console.print(t)
    for label, prf in (("participant country", report.participant_country),
                       ("participant KB id", report.participant_id),
                       ("conflicts", report.conflicts)):
        console.print(f"{label}: P {prf.precision:.3f}  R {prf.recall:.3f}  F1 {prf.f1:.3f}"
                      f"  (tp {prf.tp}, fp {prf.fp}, fn {prf.fn})")
    for label, r in (("role accuracy", report.roles), ("date exact (day dates)", report.dates),
                     ("place match", report.places), ("factuality accuracy", report.factuality)):
        console.print(f"{label}: {r.value:.3f} ({r.right}/{r.total})")
    ft = Table(title="Factuality (rows gold, columns coded)")
    ft.add_column("gold")
    for f in FACTUALITIES:
        ft.add_column(f[:5], justify="right")
    for g in FACTUALITIES:
        row = report.factuality_confusion.get(g, Counter())
        ft.add_row(g, *[str(row.get(f, "")) for f in FACTUALITIES])
    console.print(ft)
    hits = ", ".join(f"{k} {v}" for k, v in report.trap_hits.most_common()) or "none"
    console.print(f"trap hits: {sum(report.trap_hits.values())} of {report.traps} traps "
                  f"({hits}); background events coded as current: {report.background_hits}")
    for d in report.diffs:
        console.print(f"\n[b]{d['id']}[/b]")
        for gid, typ, trig in d["matched"]:
            console.print(f"  = {gid} {typ} {trig!r}")
        for typ, trig, sent in d["false_positives"]:
            console.print(f"  + {typ} {trig!r}: {sent}", markup=False)
        for gid, typ, trig in d["missed"]:
            console.print(f"  - {gid} {typ} {trig!r}")
