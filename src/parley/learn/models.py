"""The learned coder's model files: six forests, the lemma statistics and the
thresholds chosen on the dev split, shipped in ``parley/data/models/``.

``coder.npz`` holds the tree arrays (``event.*``, ``etype.*``, ``fact.*``, ``timing.*``,
``link.*``, ``pair.*``);
``coder.json`` the feature names each model was trained with, the class lists, the
lemma statistics, the calibration map and the thresholds, with a hash of the training
data. ``load_models`` refuses files whose feature names differ from the code's, so a
model and the code that computes its features cannot drift apart silently.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from parley.errors import KnowledgeError
from parley.learn import features as F
from parley.learn.forest import Forest

MODEL_FILES = ("coder.npz", "coder.json")
EVENT_CLASSES: tuple[str, ...] = F.PLOVER_TYPES  # the type model's classes
FEATURE_SETS = {"event": F.EVENT_NAMES, "etype": F.EVENT_NAMES, "fact": F.FACT_NAMES,
                "timing": F.TIMING_NAMES, "link": F.LINK_NAMES, "pair": F.PAIR_NAMES}


@dataclass(frozen=True)
class Calibration:
    """A monotone map from raw scores to observed shares (isotonic, fitted out of fold)."""

    x: tuple[float, ...] = (0.0, 1.0)
    y: tuple[float, ...] = (0.0, 1.0)

    def __call__(self, p: np.ndarray) -> np.ndarray:
        return np.interp(p, self.x, self.y)


@dataclass(frozen=True)
class Models:
    event: Forest  # is the candidate a real, codable event? (binary)
    etype: Forest  # of which PLOVER type? (16 classes, trained on real candidates)
    fact: Forest
    timing: Forest
    link: Forest
    pair: Forest
    stats: F.LemmaStats
    calibration: Calibration
    thresholds: dict[str, float] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def keep(self) -> float:
        """Candidates below this probability of being a real event are dropped."""
        return self.thresholds.get("keep", 0.2)

    @property
    def min_confidence(self) -> float:
        """The default ``--min-confidence`` (chosen on dev)."""
        return self.thresholds.get("min_confidence", 0.0)

    @property
    def same_event(self) -> float:
        """Two mentions whose same-event probability reaches this are one event."""
        return self.thresholds.get("same_event", 0.5)


def save_models(models: Models, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {}
    for name in FEATURE_SETS:
        for k, v in getattr(models, name).arrays().items():
            arrays[f"{name}.{k}"] = v
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]
    (folder / "coder.npz").write_bytes(buf.getvalue())
    meta = {
        "features": {k: list(v) for k, v in FEATURE_SETS.items()},
        "event_classes": list(EVENT_CLASSES),
        "fact_classes": list(F.FACTS),
        "link_classes": list(F.LINK_ROLES),
        "stats": models.stats.to_json(),
        "calibration": {"x": list(models.calibration.x), "y": list(models.calibration.y)},
        "thresholds": models.thresholds,
        "info": models.info,
    }
    (folder / "coder.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n",
                                       "utf-8")


def _read(folder: Path | None) -> tuple[bytes, str] | None:
    if folder is not None:
        npz, js = folder / "coder.npz", folder / "coder.json"
        if not npz.is_file() or not js.is_file():
            return None
        return npz.read_bytes(), js.read_text("utf-8")
    pkg = resources.files("parley").joinpath("data", "models")
    npz_r, js_r = pkg.joinpath("coder.npz"), pkg.joinpath("coder.json")
    if not npz_r.is_file() or not js_r.is_file():
        return None
    return npz_r.read_bytes(), js_r.read_text("utf-8")


def load_models(folder: Path | None = None) -> Models | None:
    """The shipped models (or those in ``folder``); None when there are none (the coder
    then runs its rules alone)."""
    found = _read(folder)
    if found is None:
        return None
    data, text = found
    meta = json.loads(text)
    source = str(folder or "parley/data/models")
    for name, names in FEATURE_SETS.items():
        if tuple(meta["features"].get(name, ())) != names:
            raise KnowledgeError(f"the {name} model was trained with other features than this "
                                 "code computes: run `make train`", source=source)
    if tuple(meta["event_classes"]) != EVENT_CLASSES:
        raise KnowledgeError("model classes differ from the code's", source=source)
    arrays = np.load(io.BytesIO(data))
    forests = {name: Forest.from_arrays(arrays, f"{name}.") for name in FEATURE_SETS}
    cal = meta["calibration"]
    info = dict(meta.get("info") or {})
    info["sha256"] = hashlib.sha256(data).hexdigest()[:16]
    return Models(stats=F.LemmaStats.from_json(meta["stats"]),
                  calibration=Calibration(tuple(cal["x"]), tuple(cal["y"])),
                  thresholds=dict(meta.get("thresholds") or {}), info=info, **forests)
