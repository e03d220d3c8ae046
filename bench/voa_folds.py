"""The annotated VOA stories scored out of fold: five coders, each trained without a
fifth of them, each scoring the fifth it did not see (issue 13's VOA line).

    python bench/voa_folds.py [--folds 5] [--work DIR] [--json]

The 65 annotated VOA stories (``corpus/articles/voa-*.json``; the held-out ones are not
in the corpus) are sorted by id and dealt into folds (story i to fold i mod 5). For each
fold, ``parley.learn.train`` trains a coder on the training split without the fold's
stories and chooses its thresholds on the dev split without them; the fold's stories
are then coded with that coder at its chosen floor and scored with ``parley eval``'s
scorer. Needs the training extra (``make train`` installs it); takes one training run
per fold.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    from parley.eval.corpus import code_corpus, load_corpus, score
    from parley.knowledge import Knowledge, default_knowledge
    from parley.learn.train import train
    from parley.pipeline import Pipeline, default_stages

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--work", type=Path, help="keep each fold's models here")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    corpus = ROOT / "corpus"
    voa = sorted((a for a in load_corpus(corpus) if a["source"] == "voa"),
                 key=lambda a: a["id"])
    work = args.work or Path(tempfile.mkdtemp(prefix="parley-voa-folds-"))
    folds = []
    all_arts, all_docs = [], []
    for k in range(args.folds):
        held = [a for i, a in enumerate(voa) if i % args.folds == k]
        out = work / f"fold{k}"
        print(f"fold {k}: training without {len(held)} VOA stories ...", file=sys.stderr,
              flush=True)
        train(corpus, out, exclude={a["id"] for a in held},
              log=lambda *m: print(*m, file=sys.stderr))
        # the fold's models and learned trigger layer, read from its folder
        knowledge = Knowledge(default_knowledge().settings.with_(models_dir=str(out)))
        pipeline = Pipeline(default_stages(), knowledge)
        docs = code_corpus(held, pipeline=pipeline)
        r = score(held, docs)
        folds.append({"fold": k, "stories": len(held), **r.asserted.as_dict()})
        all_arts += held
        all_docs += docs
    total = score(all_arts, all_docs)
    result = {"stories": len(all_arts), "folds": folds, "asserted": total.asserted.as_dict(),
              "date_exact": total.dates.as_dict(), "role_accuracy": total.roles.as_dict(),
              "participant_country": total.participant_country.as_dict()}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for f in folds:
            print(f"fold {f['fold']}: {f['stories']} stories, P {f['precision']:.3f} "
                  f"R {f['recall']:.3f} (tp {f['tp']}, fp {f['fp']}, fn {f['fn']})")
        a = result["asserted"]
        print(f"all {len(all_arts)} out of fold: P {a['precision']:.3f} R {a['recall']:.3f} "
              f"F1 {a['f1']:.3f} (tp {a['tp']}, fp {a['fp']}, fn {a['fn']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
