"""Fused events (or dyads) as a pandas DataFrame, for analysis in Python.

    from parley.store.frames import events_frame
    df = events_frame("parley.db", EventFilter(actors=("Pakistan",), types=("ASSAULT",)))
    pairs = events_frame("parley.db", dyadic=True)

The columns are those of the CSV / Parquet export (``parley.fuse.rows.EventRow``, or
``DyadRecord`` with ``dyadic=True``), typed: dates are ``datetime64`` columns, counts
and quad classes integers, scores floats, ``disputed`` boolean, and the PLOVER type,
mode, factuality and date precision pandas categoricals. Background events are left
out unless ``include_background=True``, as in every export.

pandas and pyarrow are not installed with Parley: they are the optional ``frames``
extra (``pip install 'parley[frames]'``); without them the call raises
``ExtraMissing``, one line saying so.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from parley.errors import ExtraMissing
from parley.store.queries import EventFilter

_CATEGORIES = ("type", "mode", "factuality", "date_precision")


def events_frame(db: str | Connection, flt: EventFilter | None = None, *,
                 dyadic: bool = False, include_background: bool = False) -> Any:
    """The fused events (``dyadic``: directed dyads) matching ``flt`` as a DataFrame.
    ``db`` is a ``--db`` value (path or URL) or an open connection."""
    try:
        import pandas as pd
        import pyarrow  # noqa: F401
    except ImportError:
        raise ExtraMissing("events_frame", "frames") from None
    if isinstance(db, Connection):
        return _frame(db, flt, dyadic, include_background, pd)
    from parley.store import open_store

    with open_store(db, create=False) as store, store.read() as conn:
        return _frame(conn, flt, dyadic, include_background, pd)


def _frame(conn: Connection, flt: EventFilter | None, dyadic: bool,
           include_background: bool, pd: Any) -> Any:
    import pyarrow as pa

    from parley.store import export, queries

    flt = export.export_filter(flt, include_background)
    if dyadic:
        rows = [export.dyad_row(d) for d in queries.dyads(conn, flt)]
        schema = export._arrow_schema("dyads")
    else:
        rows = [export.event_row(r) for r in queries.events(conn, flt)]
        schema = export._arrow_schema("events")
    for row in rows:  # dyad rows carry ISO date strings (their JSON form)
        for name in ("date", "ref_date"):
            if name in row:
                row[name] = export._as_date(row[name])
    table = pa.Table.from_pylist(rows, schema=schema)
    df = table.to_pandas(date_as_object=False)
    for name in _CATEGORIES:
        if name in df.columns:
            df[name] = df[name].astype("category")
    return df
