"""Downloads of the events table: the current filter as CSV or Parquet.

The rows are ``parley.fuse.rows.EventRow`` (what ``parley events --format csv|parquet``
writes), in the order of ``/api/events`` for the same parameters, with the first
report's document id, trigger and sentence filled in. CSV is streamed page by page
inside one read transaction; Parquet needs the whole file (its footer comes last), so
it is written to a temporary file first.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi.responses import Response, StreamingResponse

from parley.fuse.rows import COLUMNS
from parley.store import queries
from parley.store.db import Store
from parley.store.export import event_row, write_parquet
from parley.store.queries import EventFilter

_PAGE = 500


def event_rows(store: Store, flt: EventFilter, *, sort: str = "date",
               descending: bool = True) -> Iterator[dict[str, Any]]:
    """The download's rows, read in one transaction."""
    with store.read() as conn:
        page: list[queries.EventRecord] = []

        def flush() -> Iterator[dict[str, Any]]:
            snippets = queries.event_snippets(conn, [r.id for r in page])
            for record in page:
                row = event_row(record)
                snip = snippets.get(record.id)
                if snip is not None:
                    row.update(doc_id=snip.doc_id, trigger=snip.trigger.text,
                               evidence=snip.sentence.text)
                yield row
            page.clear()

        for record in queries.events_sorted(conn, flt, sort=sort, descending=descending):
            page.append(record)
            if len(page) >= _PAGE:
                yield from flush()
        yield from flush()


def _csv_chunks(rows: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for n, row in enumerate(rows, start=1):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
        if n % _PAGE == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode("utf-8")


def _disposition(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def csv_response(store: Store, flt: EventFilter, *, sort: str, descending: bool
                 ) -> StreamingResponse:
    return StreamingResponse(_csv_chunks(event_rows(store, flt, sort=sort,
                                                    descending=descending)),
                             media_type="text/csv; charset=utf-8",
                             headers=_disposition("parley-events.csv"))


def parquet_response(store: Store, flt: EventFilter, *, sort: str, descending: bool
                     ) -> Response:
    with tempfile.TemporaryDirectory(prefix="parley-dl-") as tmp:
        path = Path(tmp) / "events.parquet"
        write_parquet(event_rows(store, flt, sort=sort, descending=descending), "events",
                      path)
        data = path.read_bytes()
    return Response(data, media_type="application/vnd.apache.parquet",
                    headers=_disposition("parley-events.parquet"))
