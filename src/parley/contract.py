"""The JSON Schema of the document contract, generated from ``parley.model.Document``.

``python -m parley.contract`` rewrites ``parley/contract.schema.json``; a test checks the
committed file equals what the model generates, so the two cannot drift apart.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from parley.model import Document

SCHEMA_ID = "https://parley.invalid/contract/v1.schema.json"


def generate() -> dict:
    schema = Document.model_json_schema()
    schema["$id"] = SCHEMA_ID
    schema["title"] = "Parley document contract v1"
    return schema


def committed() -> dict:
    return json.loads(resources.files("parley").joinpath("contract.schema.json").read_text())


if __name__ == "__main__":
    path = Path(__file__).with_name("contract.schema.json")
    path.write_text(json.dumps(generate(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}")
