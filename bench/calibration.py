"""Is the confidence of a coded event what it says? A reliability table.

    python bench/calibration.py                 # the dev split, 10 bins
    python bench/calibration.py --split test --bins 5 --json

Codes the corpus split with no confidence floor and, for each asserted current event
(what `parley eval` counts for precision), asks whether it matches an annotated
asserted current event of its type (`parley.eval.corpus.match_events`, the scorer's
own matching). Per confidence bin: how many events, their mean confidence, and the
share of them that are right. A calibrated coder has the share close to the mean
confidence in every bin; the table is in docs/accuracy.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def reliability(split: str, bins: int) -> list[dict]:
    from parley.eval.corpus import code_corpus, load_corpus, match_events

    articles = load_corpus(ROOT / "corpus", split=split)
    docs = code_corpus(articles, min_confidence=0.0)
    rows = [{"lo": k / bins, "hi": (k + 1) / bins, "events": 0, "right": 0, "conf": 0.0}
            for k in range(bins)]
    for art, doc in zip(articles, docs, strict=True):
        gold = [g for g in art["events"]
                if not g["background"] and g["factuality"] == "asserted"]
        coded = [e for e in doc.events if e.factuality == "asserted" and not e.background]
        right = {id(e) for e, _ in match_events(coded, gold)}
        for e in coded:
            row = rows[min(bins - 1, int(e.confidence * bins))]
            row["events"] += 1
            row["conf"] += e.confidence
            row["right"] += id(e) in right
    for row in rows:
        n = row["events"]
        row["mean_confidence"] = round(row.pop("conf") / n, 3) if n else None
        row["share_right"] = round(row["right"] / n, 3) if n else None
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=("train", "dev", "test"), default="dev")
    ap.add_argument("--bins", type=int, default=10)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if args.bins < 1:
        ap.error("--bins must be at least 1")
    rows = reliability(args.split, args.bins)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"| confidence | events | mean confidence | share right ({args.split}) |")
    print("|---|---|---|---|")
    for r in rows:
        if r["events"]:
            print(f"| {r['lo']:.1f}–{r['hi']:.1f} | {r['events']} | {r['mean_confidence']:.3f} "
                  f"| {r['share_right']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
