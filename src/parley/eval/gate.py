"""The accuracy gate: floors pinned in ``eval/baseline.json``, tied to fingerprints of
the gold data, which the build may not fall below.

Two gold sets are pinned: the PLOVER gold records (by the file's sha256) and the
annotated corpus splits (by ``corpus_digest`` of the split's articles). Raising a floor
is free; lowering one, or changing the gold data, is a visible change of this file.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

# what the corpus gate checks, as (name in baseline.json, value from the report)
CORPUS_MEASURES: dict[str, str] = {
    "asserted_precision": "asserted_events.precision",
    "asserted_recall": "asserted_events.recall",
    "asserted_f1": "asserted_events.f1",
    "participant_country_f1": "participant_country.f1",
    "factuality_accuracy": "factuality_accuracy.value",
    "role_accuracy": "role_accuracy.value",
    "date_exact": "date_exact.value",
}


def baseline() -> dict:
    text = resources.files("parley").joinpath("eval", "baseline.json").read_text("utf-8")
    return json.loads(text)


def _value(report: dict, dotted: str) -> float:
    node: Any = report
    for part in dotted.split("."):
        node = node[part]
    return float(node)


def check_corpus_gate(report: Any, split: str) -> list[str]:
    """Problems with a corpus report against the pinned floors of ``split``."""
    pinned = baseline().get("corpus", {}).get(split)
    if pinned is None:
        return [f"no floors are pinned for corpus split {split!r} in eval/baseline.json"]
    problems = []
    if report.digest != pinned["sha256"]:
        problems.append(f"corpus {split} fingerprint {report.digest[:12]} differs from the "
                        f"pinned {pinned['sha256'][:12]}: re-measure and update "
                        "eval/baseline.json deliberately")
    data = report.to_dict()
    for name, floor in pinned["floors"].items():
        got = _value(data, CORPUS_MEASURES[name])
        if got < floor:
            problems.append(f"corpus {split}: {name} {got:.3f} < floor {floor}")
    return problems
