"""The learned coder: the training smoke run CI can afford, and the shipped models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parley.learn.models import load_models
from tests.helpers import ROOT


def test_the_shipped_models_load_and_match_the_corpus_they_were_trained_on():
    models = load_models()
    assert models is not None, "no models in src/parley/data/models: run `make train`"
    meta = json.loads((ROOT / "src" / "parley" / "data" / "models" / "coder.json").read_text())
    assert meta["info"]["train_articles"] >= 300
    assert 0.0 < models.thresholds["min_confidence"] < 1.0
    size = sum(p.stat().st_size for p in (ROOT / "src" / "parley" / "data" / "models").iterdir())
    assert size < 25_000_000


def test_a_smoke_training_run_writes_models_that_code_a_report(tmp_path, monkeypatch):
    pytest.importorskip("sklearn", reason="scikit-learn is installed by requirements-train.lock")
    from parley.learn.train import train

    out = tmp_path / "models"
    train(ROOT / "corpus", out, smoke=8, log=lambda *_: None)
    assert {p.name for p in out.iterdir()} >= {"coder.npz", "coder.json",
                                                 "triggers_learned.yaml"}
    assert load_models(out) is not None
    from parley import code_text
    from parley.knowledge import default_knowledge

    monkeypatch.setenv("PARLEY_MODELS_DIR", str(out))
    monkeypatch.setenv("PARLEY_CACHE_DIR", str(tmp_path / "cache"))
    assert default_knowledge().models.info["train_articles"] == 8
    doc = code_text("Kenya and Uganda signed a border agreement in Nairobi on Monday.",
                    published="2024-03-08")
    assert doc.text.startswith("Kenya")


def test_models_trained_with_other_features_are_refused(tmp_path):
    from parley.errors import KnowledgeError

    src = ROOT / "src" / "parley" / "data" / "models"
    for name in ("coder.npz", "coder.json"):
        (tmp_path / name).write_bytes((src / name).read_bytes())
    meta = json.loads((tmp_path / "coder.json").read_text())
    meta["features"]["event"] = meta["features"]["event"][:-1]
    (tmp_path / "coder.json").write_text(json.dumps(meta))
    with pytest.raises(KnowledgeError, match="other features"):
        load_models(Path(tmp_path))
