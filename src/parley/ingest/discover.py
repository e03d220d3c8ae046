"""Input discovery: which files a command reads when given paths and folders.

One rule for every command (``code``, ``ingest``, ``batch``): a file is taken as
given; a folder is walked (sorted) for the inputs Parley reads — plain text, HTML,
JSONL, RSS/Atom feeds, WARC archives and ``parley batch`` Parquet output; a folder that
is itself a batch output (it holds ``documents.parquet``) stands for that file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from parley.errors import InputMissing, ParleyError

INPUT_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".jsonl", ".ndjson",
                  ".rss", ".atom", ".warc", ".warc.gz", ".parquet")
BATCH_DOCUMENTS = "documents.parquet"


def is_input(path: Path) -> bool:
    return path.name.lower().endswith(INPUT_SUFFIXES)


def discover(paths: Iterable[str]) -> Iterator[str | ParleyError]:
    """The input files behind ``paths`` (``-`` and URLs pass through), or an error for a
    folder with nothing to read."""
    for raw in paths:
        p = Path(raw)
        if raw == "-" or "://" in raw or not p.is_dir():
            yield raw
        elif (p / BATCH_DOCUMENTS).is_file():
            yield str(p / BATCH_DOCUMENTS)  # a `parley batch` output: already coded
        else:
            found = sorted(str(f) for f in p.rglob("*") if f.is_file() and is_input(f))
            if not found:
                yield InputMissing("no readable inputs in this directory (text, HTML, JSONL, "
                                   "RSS/Atom, WARC or batch Parquet files)", source=raw)
            yield from found
