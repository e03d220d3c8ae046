"""Ingest: files, standard input, HTML and JSONL -> ``Article`` records.

``read_inputs`` yields an ``Article`` or a ``ParleyError`` per input record, so one
bad input never stops the others.
"""

from __future__ import annotations

from parley.ingest.readers import article_from_html, article_from_text, read_inputs, read_path

__all__ = ["read_inputs", "read_path", "article_from_html", "article_from_text"]
