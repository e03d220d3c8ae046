"""Settings: one typed object, read from defaults.toml and overridden by PARLEY_* variables."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Settings:
    max_input_bytes: int
    max_jsonl_line_bytes: int
    max_html_depth: int
    max_piece_chars: int
    max_seconds_per_document: float
    max_feed_bytes: int
    feed_timeout_seconds: float
    feed_retries: int
    feed_backoff_seconds: float
    spacy_model: str
    user_kb: str | None
    user_lexicon: str | None
    user_knowledge: str | None
    models_dir: str | None
    min_confidence: float | None
    cache_dir: str

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)


# settings naming optional user files: empty means none
_OPTIONAL_PATHS = ("user_kb", "user_lexicon", "user_knowledge", "models_dir")


def _defaults() -> dict[str, object]:
    text = resources.files("parley").joinpath("defaults.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def load_settings() -> Settings:
    values = _defaults()
    for f in fields(Settings):
        env = os.environ.get("PARLEY_" + f.name.upper())
        if env is not None:
            values[f.name] = {"int": int, "float": float}.get(str(f.type), str)(env)
    for key in _OPTIONAL_PATHS:
        if not values.get(key):
            values[key] = None
    confidence = values.get("min_confidence")
    values["min_confidence"] = None if confidence in ("", None) else float(str(confidence))
    if not values.get("cache_dir"):
        values["cache_dir"] = str(Path.home() / ".cache" / "parley")
    return Settings(**values)  # type: ignore[arg-type]
