"""Ingest: files, standard input, HTML, JSONL, feeds and WARC -> ``Article`` records.

``read_inputs`` yields an ``Article`` or a ``ParleyError`` per input record, so one
bad input never stops the others; ``discover`` turns paths and folders into inputs.
"""

from __future__ import annotations

from parley.ingest.dates import parse_date
from parley.ingest.discover import discover
from parley.ingest.readers import article_from_html, article_from_text, read_inputs, read_path

__all__ = ["article_from_html", "article_from_text", "discover", "parse_date", "read_inputs",
           "read_path"]
