"""The output folder of ``parley batch``: ``documents.parquet`` and ``events.parquet``.

``documents.parquet`` holds one row per coded article, with the full document JSON
(the contract of ``docs/contract.md``) so nothing is lost; ``events.parquet`` flattens
each event for analysis with pandas, DuckDB or Arrow, in the one event-row schema of
``parley.fuse.rows`` (the same columns ``parley export`` writes). ``read_batch_output`` turns the
folder back into ``Document`` records for ``parley ingest``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parley.errors import InputMissing, InputUnreadable
from parley.fuse.rows import arrow_schema, document_rows, require_pyarrow
from parley.knowledge.plover import PloverTable
from parley.model import Article, Document

DOCUMENTS = "documents.parquet"
EVENTS = "events.parquet"
_ROW_GROUP = 512


def _document_schema() -> Any:
    import pyarrow as pa

    return pa.schema([
        ("id", pa.string()),
        ("published", pa.date32()),
        ("title", pa.string()),
        ("url", pa.string()),
        ("source", pa.string()),
        ("text", pa.string()),
        ("n_events", pa.int32()),
        ("document", pa.string()),  # Document.model_dump_json()
    ])


def document_row(article: Article, doc: Document) -> dict:
    return {
        "id": doc.id,
        "published": doc.published,
        "title": doc.title,
        "url": article.url,
        "source": article.source,
        "text": doc.text,
        "n_events": len(doc.events),
        "document": doc.model_dump_json(),
    }


@dataclass
class BatchSummary:
    documents: int = 0
    events: int = 0


class BatchWriter:
    """Streams documents into the two Parquet files, in row groups.

    Files are written under temporary names and renamed by ``close()``, so a run that
    dies leaves no half-written ``documents.parquet`` to be mistaken for a result.
    """

    def __init__(self, out_dir: str | Path, plover: PloverTable) -> None:
        require_pyarrow("Batch output (Parquet)")
        import pyarrow.parquet as pq

        self.plover = plover
        self.dir = Path(out_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self._doc_schema, self._event_schema = _document_schema(), arrow_schema()
        self._docs_tmp = self.dir / f".{DOCUMENTS}.partial"
        self._events_tmp = self.dir / f".{EVENTS}.partial"
        self._docs = pq.ParquetWriter(self._docs_tmp, self._doc_schema, compression="zstd")
        self._events = pq.ParquetWriter(self._events_tmp, self._event_schema,
                                        compression="zstd")
        self._doc_rows: list[dict] = []
        self._event_rows: list[dict] = []
        self.summary = BatchSummary()

    def add(self, article: Article, doc: Document) -> None:
        self._doc_rows.append(document_row(article, doc))
        rows = [r.as_dict() for r in document_rows(doc, self.plover)]
        self._event_rows.extend(rows)
        self.summary.documents += 1
        self.summary.events += len(rows)
        if len(self._doc_rows) >= _ROW_GROUP:
            self._flush_docs()
        if len(self._event_rows) >= _ROW_GROUP * 8:
            self._flush_events()

    def _flush_docs(self) -> None:
        import pyarrow as pa

        if self._doc_rows:
            self._docs.write_table(pa.Table.from_pylist(self._doc_rows, self._doc_schema))
            self._doc_rows = []

    def _flush_events(self) -> None:
        import pyarrow as pa

        if self._event_rows:
            self._events.write_table(
                pa.Table.from_pylist(self._event_rows, self._event_schema))
            self._event_rows = []

    def close(self) -> BatchSummary:
        self._flush_docs()
        self._flush_events()
        self._docs.close()
        self._events.close()
        self._docs_tmp.replace(self.dir / DOCUMENTS)
        self._events_tmp.replace(self.dir / EVENTS)
        return self.summary

    def abort(self) -> None:
        for writer in (self._docs, self._events):
            try:
                writer.close()
            except Exception:  # noqa: BLE001, S110 - best effort while already failing
                pass
        for tmp in (self._docs_tmp, self._events_tmp):
            tmp.unlink(missing_ok=True)


def write_batch_output(pairs: Iterable[tuple[Article, Document]],
                       out_dir: str | Path, plover: PloverTable) -> BatchSummary:
    """Write ``(article, document)`` pairs to ``out_dir``; return the counts."""
    writer = BatchWriter(out_dir, plover)
    try:
        for article, doc in pairs:
            writer.add(article, doc)
    except BaseException:
        writer.abort()
        raise
    return writer.close()


def _documents_file(path: str | Path) -> Path:
    p = Path(path)
    if p.is_dir():
        p = p / DOCUMENTS
    if not p.is_file():
        raise InputMissing(f"no {DOCUMENTS} here (is it a `parley batch` output?)",
                           source=str(path))
    return p


def read_batch_records(path: str | Path) -> Iterator[tuple[Article, Document]]:
    """``(article, document)`` pairs from a batch output folder or its documents.parquet."""
    require_pyarrow("Reading batch output (Parquet)")
    import pyarrow.parquet as pq

    p = _documents_file(path)
    try:
        pf = pq.ParquetFile(p)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several kinds for bad files
        raise InputUnreadable(f"not a readable Parquet file ({exc})", source=str(p)) from None
    columns = ["url", "source", "document"]
    missing = [c for c in columns if c not in pf.schema_arrow.names]
    if missing:
        raise InputUnreadable(f"missing column(s) {', '.join(missing)}", source=str(p))
    for batch in pf.iter_batches(columns=columns, batch_size=256):
        for row in batch.to_pylist():
            doc = Document.model_validate_json(row["document"])
            article = Article(id=doc.id, text=doc.text, published=doc.published,
                              title=doc.title, url=row["url"], source=row["source"] or "-")
            yield article, doc


def read_batch_output(path: str | Path) -> Iterator[Document]:
    """The documents of a ``parley batch`` output folder (or its documents.parquet)."""
    for _, doc in read_batch_records(path):
        yield doc
