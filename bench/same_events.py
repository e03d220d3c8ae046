"""Do two versions of Parley give the same events? Compare coded documents.

    python bench/same_events.py code OUT.jsonl             # code the 89 VOA stories
    python bench/same_events.py compare OLD.jsonl NEW.jsonl  # list every difference

``code`` writes one document a line (``parley code --format jsonl`` does the same);
``compare`` matches documents by id and events by their first trigger span, and prints
for every difference the story, the event and what changed (type, factuality,
participants by name, date, place, mentions, confidence, conflicts). A refactoring is
behaviour-neutral when the count of differences is zero or each is explained.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PARLEY_SHARED", ROOT.parent / "shared"))


def code(out: Path) -> None:
    from parley.ingest import read_inputs
    from parley.pipeline import code_articles

    articles = [a for a in read_inputs([str(SHARED / "data" / "voa_stories.jsonl")])
                if not isinstance(a, Exception)]
    with out.open("w", encoding="utf-8") as fh:
        for doc in code_articles(articles):
            fh.write(doc.model_dump_json() + "\n")
    print(f"coded {len(articles)} stories -> {out}")


def _events(doc: dict) -> dict[tuple[int, int], dict]:
    actors = {a["id"]: a for a in doc["actors"]}
    out = {}
    for e in doc["events"]:
        m = e["mentions"][0]["trigger"]
        out[(m["start"], m["end"], e["type"])] = {
            "type": e["type"], "factuality": e["factuality"], "mode": e["mode"],
            "participants": sorted((actors[p["actor"]]["name"], actors[p["actor"]]["country"],
                                    p["role"], p["disputed"]) for p in e["participants"]),
            "date": (e["date"]["value"], e["date"]["precision"], e["date"]["disputed"]),
            "place": e["place"]["name"] if e["place"] else None,
            "mentions": [(x["trigger"]["start"], x["trigger"]["end"]) for x in e["mentions"]],
            "confidence": e["confidence"],
        }
    return out


def compare(old_path: Path, new_path: Path) -> int:
    old = {d["id"]: d for d in map(json.loads, old_path.read_text("utf-8").splitlines())}
    new = {d["id"]: d for d in map(json.loads, new_path.read_text("utf-8").splitlines())}
    kinds: Counter = Counter()
    lines = []
    for doc_id in sorted(set(old) | set(new)):
        if doc_id not in old or doc_id not in new:
            kinds["document missing"] += 1
            lines.append(f"{doc_id}: only in {'new' if doc_id in new else 'old'}")
            continue
        a, b = _events(old[doc_id]), _events(new[doc_id])
        text = new[doc_id]["text"]
        for key in sorted(set(a) | set(b)):
            where = f"{doc_id} {key[2]} {text[key[0]:key[1]]!r}@{key[0]}"
            if key not in a or key not in b:
                kinds["event only in " + ("new" if key in b else "old")] += 1
                lines.append(f"{where}: only in {'new' if key in b else 'old'}")
                continue
            for field in a[key]:
                if a[key][field] != b[key][field]:
                    kinds[field] += 1
                    lines.append(f"{where}: {field} {a[key][field]} -> {b[key][field]}")
        ca = sorted((c["kind"], c["detail"]) for c in old[doc_id]["conflicts"])
        cb = sorted((c["kind"], c["detail"]) for c in new[doc_id]["conflicts"])
        if ca != cb:
            kinds["conflicts"] += 1
            lines.append(f"{doc_id}: conflicts {ca} -> {cb}")
    n_old = sum(len(d["events"]) for d in old.values())
    n_new = sum(len(d["events"]) for d in new.values())
    print(f"documents {len(old)} / {len(new)}; events {n_old} / {n_new}")
    for line in lines:
        print("  " + line)
    print("differences:", dict(kinds) or "none")
    return 1 if lines else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("code")
    c.add_argument("out", type=Path)
    d = sub.add_parser("compare")
    d.add_argument("old", type=Path)
    d.add_argument("new", type=Path)
    args = ap.parse_args(argv)
    if args.cmd == "code":
        code(args.out)
        return 0
    return compare(args.old, args.new)


if __name__ == "__main__":
    sys.exit(main())
