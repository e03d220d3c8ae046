"""A hand check of coded output, GDELT-style: draw events, let a person judge them.

``parley eval --sample N CODED.jsonl`` draws N random asserted events from coded
documents (``parley code --format jsonl`` output) and writes one JSON record each, with
the event, its sentence and the sentences around it, and an empty ``judgement``:

    {"real": null, "type": null, "actor": null, "recipient": null, "date": null,
     "place": null, "factuality": null}

A person sets each to true or false (``null`` where a field does not apply, e.g. no
recipient in the text and none coded) and ``parley eval --judged FILE`` reports the
shares. ``real`` is a real, current, codable event of the article; the other fields are
judged on real events only; an event is **fully right** when it is real and every field
that applies is right.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from parley.errors import GoldFormatError
from parley.model import Document

FIELDS = ("type", "actor", "recipient", "date", "place", "factuality")
JUDGED = ("real", *FIELDS)


def _documents(path: Path) -> Iterator[Document]:
    for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield Document.model_validate_json(line)
        except ValueError as exc:
            raise GoldFormatError(f"not a coded document ({str(exc)[:120]})", source=str(path),
                                  line=n) from None


def _sentences(doc: Document) -> list[tuple[int, int]]:
    spans = sorted({(m.start, m.end) for e in doc.events for m in e.mentions})
    return spans


def sample(coded: str | Path, n: int, *, seed: int = 0) -> list[dict]:
    """``n`` random asserted events of the coded documents, ready to be judged."""
    path = Path(coded)
    if not path.is_file():
        raise GoldFormatError("no such file", source=str(path))
    pool = []
    for doc in _documents(path):
        for e in doc.events:
            if e.factuality == "asserted" and not getattr(e, "background", False):
                pool.append((doc, e))
    rng = random.Random(seed)
    picked = rng.sample(pool, min(n, len(pool)))
    out = []
    for doc, e in picked:
        actors = {a.id: a for a in doc.actors}
        m = e.mentions[0]
        sents = _sentences(doc)
        k = next((i for i, s in enumerate(sents) if s == (m.start, m.end)), 0)
        before = doc.text[sents[k - 1][0]:sents[k - 1][1]] if k > 0 else ""
        after = doc.text[sents[k + 1][0]:sents[k + 1][1]] if k + 1 < len(sents) else ""
        out.append({
            "doc_id": doc.id, "event_id": e.id, "published": str(doc.published or ""),
            "type": e.type, "mode": e.mode, "factuality": e.factuality,
            "participants": [{"name": actors[p.actor].name, "country": actors[p.actor].country,
                              "role": p.role} for p in e.participants if p.actor in actors],
            "date": str(e.date.value) if e.date.value else None,
            "place": e.place.name if e.place else None,
            "trigger": doc.text[m.trigger.start:m.trigger.end],
            "sentence": doc.text[m.start:m.end],
            "context": {"before": before, "after": after},
            "judgement": dict.fromkeys(JUDGED),
        })
    return out


@dataclass
class JudgedReport:
    events: int = 0
    real: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    applicable: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    fully_right: int = 0

    def shares(self) -> dict[str, float]:
        out = {"real": self.real / self.events if self.events else 0.0}
        for f in FIELDS:
            out[f] = self.right[f] / self.applicable[f] if self.applicable[f] else 0.0
        out["fully_right"] = self.fully_right / self.events if self.events else 0.0
        return {k: round(v, 4) for k, v in out.items()}

    def to_dict(self) -> dict:
        return {"events": self.events, "real": self.real, "fully_right": self.fully_right,
                "applicable": self.applicable, "right": self.right, "shares": self.shares()}


def judged(path: str | Path) -> JudgedReport:
    """The shares of a judged sample (every record's ``judgement`` filled in)."""
    p = Path(path)
    if not p.is_file():
        raise GoldFormatError("no such file", source=str(p))
    report = JudgedReport()
    for n, line in enumerate(p.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            j = json.loads(line)["judgement"]
        except (json.JSONDecodeError, KeyError, TypeError):
            raise GoldFormatError("each line needs a 'judgement' object", source=str(p),
                                  line=n) from None
        if j.get("real") is None:
            raise GoldFormatError("'real' is not judged (true or false)", source=str(p),
                                  line=n)
        report.events += 1
        if not j["real"]:
            continue
        report.real += 1
        ok = True
        for f in FIELDS:
            v = j.get(f)
            if v is None:
                continue
            report.applicable[f] += 1
            report.right[f] += int(bool(v))
            ok = ok and bool(v)
        report.fully_right += int(ok)
    if not report.events:
        raise GoldFormatError("no judged events", source=str(p))
    return report
