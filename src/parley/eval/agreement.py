"""Inter-annotator agreement on the doubly annotated part of the corpus.

``agreement(first, second)`` compares two annotations of the same articles (corpus
format) the way ``parley eval`` compares Parley with the gold:

* **event-level F1** on asserted, current events: two events agree when one's type is
  the other's type or an annotated alternative and their trigger spans overlap; matching
  is one to one (the first annotation plays the gold, so F1 is symmetric in the two);
* **type kappa**: Cohen's kappa of the PLOVER type over events paired by overlapping
  triggers, whatever their types;
* **factuality kappa**: Cohen's kappa of factuality over the same pairs (all events,
  whatever their factuality);
* agreement on the participants' countries, the date and the background flag of the
  matched events, and on the traps and conflicts.

``python -m parley.eval.agreement corpus/articles corpus/second`` prints the table that
``docs/annotation.md`` quotes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from parley.eval.corpus import load_corpus


def _spans(e: dict) -> list[tuple[int, int]]:
    return [(t["start"], t["end"]) for t in e["triggers"]]


def _overlap(a: dict, b: dict) -> bool:
    return any(s < e2 and s2 < e for s, e in _spans(a) for s2, e2 in _spans(b))


def _types(e: dict) -> set[str]:
    return {e["type"], *e.get("alt", [])}


def _pair(xs: Sequence[dict], ys: Sequence[dict], *, typed: bool) -> list[tuple[dict, dict]]:
    """One-to-one pairs by overlapping triggers (and compatible types when typed), most
    overlapping first."""
    cands = []
    for i, x in enumerate(xs):
        for j, y in enumerate(ys):
            if not _overlap(x, y):
                continue
            if typed and not (x["type"] in _types(y) or y["type"] in _types(x)):
                continue
            same = x["type"] == y["type"]
            size = sum(max(0, min(e, e2) - max(s, s2))
                       for s, e in _spans(x) for s2, e2 in _spans(y))
            cands.append((not same, -size, i, j))
    used_x: set[int] = set()
    used_y: set[int] = set()
    pairs = []
    for _, _, i, j in sorted(cands):
        if i in used_x or j in used_y:
            continue
        used_x.add(i)
        used_y.add(j)
        pairs.append((xs[i], ys[j]))
    return pairs


def kappa(pairs: Sequence[tuple[str, str]]) -> float:
    """Cohen's kappa of two raters' labels."""
    n = len(pairs)
    if not n:
        return 1.0
    observed = sum(a == b for a, b in pairs) / n
    ca = Counter(a for a, _ in pairs)
    cb = Counter(b for _, b in pairs)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def _current(e: dict) -> bool:
    return e["factuality"] == "asserted" and not e.get("background")


def _countries(e: dict) -> set[tuple[str, str]]:
    return {(p["role"], p["country"]) for p in e["participants"] if p.get("country")}


def agreement(first: Sequence[dict], second: Sequence[dict]) -> dict:
    """All agreement figures for the articles both annotations cover."""
    by_id = {a["id"]: a for a in first}
    tp = n1 = n2 = 0
    type_pairs: list[tuple[str, str]] = []
    fact_pairs: list[tuple[str, str]] = []
    bg_pairs: list[tuple[str, str]] = []
    part = Counter[str]()
    date_same = date_n = 0
    trap_same = trap_n1 = trap_n2 = 0
    conf_same = conf_n1 = conf_n2 = 0
    articles = 0
    for b in second:
        a = by_id.get(b["id"])
        if a is None:
            continue
        if a["text"] != b["text"]:
            raise ValueError(f"{b['id']}: the two annotations have different texts")
        articles += 1
        cur_a = [e for e in a["events"] if _current(e)]
        cur_b = [e for e in b["events"] if _current(e)]
        n1 += len(cur_a)
        n2 += len(cur_b)
        matched = _pair(cur_a, cur_b, typed=True)
        tp += len(matched)
        for x, y in matched:
            cx, cy = _countries(x), _countries(y)
            part["same"] += len(cx & cy)
            part["first"] += len(cx)
            part["second"] += len(cy)
            dx, dy = x.get("date"), y.get("date")
            if dx and dy:
                date_n += 1
                date_same += dx["value"] == dy["value"]
        for x, y in _pair(a["events"], b["events"], typed=False):
            type_pairs.append((x["type"], y["type"]))
            fact_pairs.append((x["factuality"], y["factuality"]))
            bg_pairs.append((str(bool(x.get("background"))), str(bool(y.get("background")))))
        ta = {(t["span"]["start"], t["span"]["end"]) for t in a.get("traps", [])}
        tb = {(t["span"]["start"], t["span"]["end"]) for t in b.get("traps", [])}
        trap_n1 += len(ta)
        trap_n2 += len(tb)
        trap_same += sum(any(s < e2 and s2 < e for s2, e2 in tb) for s, e in ta)
        ka = Counter(c["kind"] for c in a.get("conflicts", []))
        kb = Counter(c["kind"] for c in b.get("conflicts", []))
        conf_n1 += sum(ka.values())
        conf_n2 += sum(kb.values())
        conf_same += sum((ka & kb).values())

    def f1(same: int, x: int, y: int) -> dict:
        p = same / y if y else 1.0
        r = same / x if x else 1.0
        return {"first": x, "second": y, "agreed": same, "p": p, "r": r,
                "f1": 2 * p * r / (p + r) if p + r else 0.0}

    return {
        "articles": articles,
        "events": f1(tp, n1, n2),
        "type_kappa": kappa(type_pairs),
        "type_pairs": len(type_pairs),
        "factuality_kappa": kappa(fact_pairs),
        "factuality_pairs": len(fact_pairs),
        "factuality_confusion": {f"{x}/{y}": n for (x, y), n in
                                 sorted(Counter(fact_pairs).items()) if x != y},
        "background_kappa": kappa(bg_pairs),
        "participant_countries": f1(part["same"], part["first"], part["second"]),
        "date_agreement": date_same / date_n if date_n else 1.0,
        "dates_compared": date_n,
        "traps": f1(trap_same, trap_n1, trap_n2),
        "conflicts": f1(conf_same, conf_n1, conf_n2),
    }


def render(result: dict, out=sys.stdout) -> None:
    ev = result["events"]
    rows = [
        ("articles doubly annotated", f"{result['articles']}"),
        ("asserted current events (first / second)", f"{ev['first']} / {ev['second']}"),
        ("event-level F1 (P / R)", f"{ev['f1']:.3f} ({ev['p']:.3f} / {ev['r']:.3f})"),
        ("type kappa", f"{result['type_kappa']:.3f} over {result['type_pairs']} pairs"),
        ("factuality kappa",
         f"{result['factuality_kappa']:.3f} over {result['factuality_pairs']} pairs"),
        ("background kappa", f"{result['background_kappa']:.3f}"),
        ("participant (role, country) F1", f"{result['participant_countries']['f1']:.3f}"),
        ("same date on matched events",
         f"{result['date_agreement']:.3f} of {result['dates_compared']}"),
        ("trap F1", f"{result['traps']['f1']:.3f}"),
        ("conflict F1", f"{result['conflicts']['f1']:.3f}"),
    ]
    print("| measure | value |", file=out)
    print("|---|---|", file=out)
    for k, v in rows:
        print(f"| {k} | {v} |", file=out)
    if result["factuality_confusion"]:
        print("\nFactuality disagreements (first/second: count): " + ", ".join(
            f"{k}: {v}" for k, v in result["factuality_confusion"].items()), file=out)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m parley.eval.agreement",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("first", type=Path)
    ap.add_argument("second", type=Path)
    ap.add_argument("--format", choices=("table", "json"), default="table")
    args = ap.parse_args(argv)
    result = agreement(load_corpus(args.first), load_corpus(args.second))
    if args.format == "json":
        print(json.dumps(result, indent=2))
    else:
        render(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
