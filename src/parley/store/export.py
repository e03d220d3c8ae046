"""Writing query results: table, JSON, CSV, Parquet, GDELT-style TSV, POLECAT-style JSONL.

Writers take iterables of records from ``parley.store.queries`` and stream them, so a
bulk export never holds the archive in memory (Parquet is written in row groups).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import fields, replace
from datetime import date
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection

from parley.fuse.dyads import PeriodRow
from parley.fuse.rows import COLUMNS, EventRow, arrow_schema, participant_text, require_pyarrow
from parley.knowledge import plover_table
from parley.store import queries
from parley.store.queries import DyadRecord, EventFilter, EventRecord

# one event-row schema everywhere (parley.fuse.rows); dyad rows are DyadRecord's fields
EVENT_COLUMNS = COLUMNS
DYAD_COLUMNS = tuple(f.name for f in fields(DyadRecord))
# GDELT 2.0 event-table names, in GDELT's order, for the fields Parley has; then the
# PLOVER coding the CAMEO code was derived from (PloverType, PloverMode, PloverScore)
GDELT_COLUMNS = ("GLOBALEVENTID", "SQLDATE", "Actor1Code", "Actor1Name", "Actor2Code",
                 "Actor2Name", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
                 "GoldsteinScale", "NumMentions", "NumSources", "NumArticles",
                 "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_Lat",
                 "ActionGeo_Long", "SOURCEURL", "PloverType", "PloverMode", "PloverScore")
_ROW_GROUP = 10_000


def event_row(record: EventRecord) -> dict[str, Any]:
    """A fused event as the flat ``EventRow`` of CSV and Parquet files."""
    return EventRow(
        id=str(record.id), date=record.date, date_precision=record.date_precision,
        ref_date=record.ref_date, type=record.type, mode=record.mode,
        quad_class=record.quad_class, score=record.score, factuality=record.factuality,
        participants=participant_text([(p.key, p.name, p.role) for p in record.participants]),
        place_name=record.place_name, place_country=record.place_country, lat=record.lat,
        lon=record.lon, source_count=record.source_count, mention_count=record.mention_count,
        disputed=record.disputed, confidence=record.confidence,
        doc_id=None, trigger=None, evidence=None,
    ).as_dict()


def dyad_row(record: DyadRecord) -> dict[str, Any]:
    d = record.as_dict()
    return {k: d[k] for k in DYAD_COLUMNS}


def write_json(records: Iterable[EventRecord | DyadRecord], out: IO[str]) -> int:
    n = 0
    out.write("[")
    for n, r in enumerate(records, start=1):
        out.write(("\n" if n == 1 else ",\n") + json.dumps(r.as_dict(), ensure_ascii=False))
    out.write("\n]\n" if n else "]\n")
    return n


def write_csv(rows: Iterable[dict[str, Any]], columns: tuple[str, ...], out: IO[str], *,
              delimiter: str = ",", header: bool = True) -> int:
    writer = csv.DictWriter(out, fieldnames=list(columns), delimiter=delimiter,
                            lineterminator="\n", extrasaction="ignore")
    if header:
        writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
        count += 1
    return count


def _arrow_schema(kind: str) -> Any:
    require_pyarrow()
    import pyarrow as pa

    if kind == "events":
        return arrow_schema()
    kinds = {"int": pa.int64(), "str": pa.string(), "str | None": pa.string(),
             "date | None": pa.date32(), "float": pa.float64()}
    return pa.schema([(f.name, kinds[str(f.type)]) for f in fields(DyadRecord)])


def write_parquet(rows: Iterable[dict[str, Any]], kind: str, path: Path) -> int:
    """Write ``rows`` (event or dyad rows) to a Parquet file in row groups."""
    require_pyarrow()
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _arrow_schema(kind)
    n = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        batch: list[dict[str, Any]] = []

        def flush() -> None:
            cols = {name: [r[name] for r in batch] for name in schema.names}
            for name in ("date", "ref_date"):
                if name in cols:
                    cols[name] = [_as_date(v) for v in cols[name]]
            writer.write_table(pa.table(cols, schema=schema))
            batch.clear()

        for row in rows:
            batch.append(row)
            n += 1
            if len(batch) >= _ROW_GROUP:
                flush()
        if batch or n == 0:
            flush()
    return n


def _as_date(value):
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def gdelt_row(record: DyadRecord, url: str | None, *, mentions: int = 0,
              outlets: int = 0, articles: int = 0, lat: float | None = None,
              lon: float | None = None) -> dict[str, Any]:
    """One dyad in GDELT 2.0's terms: the CAMEO code of the PLOVER type and mode
    (``parley.store.cameo``), its Goldstein value, GDELT's QuadClass of the root code,
    and GDELT's counts: NumMentions (sentences mentioning the event, in all its
    articles), NumSources (distinct outlets: URL hosts; an article without a URL is its
    own outlet), NumArticles (distinct articles, syndicated copies included)."""
    from parley.store.cameo import cameo_code

    code = cameo_code(record.type, record.mode)
    return {
        "GLOBALEVENTID": record.event_id,
        "SQLDATE": record.date.strftime("%Y%m%d") if record.date else "",
        "Actor1Code": record.actor1_code or "", "Actor1Name": record.actor1_name,
        "Actor2Code": record.actor2_code or "", "Actor2Name": record.actor2_name or "",
        "EventCode": code.code if code else "",
        "EventBaseCode": code.base if code else "",
        "EventRootCode": code.root if code else "",
        "QuadClass": code.quad_class if code else record.quad_class,
        "GoldsteinScale": code.goldstein if code else "",
        "NumMentions": mentions, "NumSources": outlets, "NumArticles": articles,
        "ActionGeo_FullName": record.place_name or "",
        "ActionGeo_CountryCode": record.place_country or "",
        "ActionGeo_Lat": "" if lat is None else lat, "ActionGeo_Long": "" if lon is None else lon,
        "SOURCEURL": url or "",
        "PloverType": record.type, "PloverMode": record.mode or "",
        "PloverScore": record.score,
    }


def outlet_count(srcs: list[dict[str, Any]]) -> int:
    """Distinct outlets among an event's articles: URL hosts, else one per article."""
    from urllib.parse import urlsplit

    outlets: set[str] = set()
    for s in srcs:
        host = urlsplit(s["url"]).hostname if s.get("url") else None
        outlets.add(host.removeprefix("www.") if host else f"article:{s['article_id']}")
    return len(outlets)


def _pages(records: Iterable[EventRecord], size: int = 500) -> Iterator[list[EventRecord]]:
    page: list[EventRecord] = []
    for r in records:
        page.append(r)
        if len(page) >= size:
            yield page
            page = []
    if page:
        yield page


def export_filter(flt: EventFilter | None, include_background: bool = False) -> EventFilter:
    """Exports and dyad series leave background events out unless asked."""
    base = flt or EventFilter()
    if include_background or base.background is not None:
        return base
    return replace(base, background=False)


def export_gdelt(conn: Connection, out: IO[str], flt: EventFilter | None = None, *,
                 include_background: bool = False) -> int:
    """Tab-separated dyadic rows with a header line, in GDELT 2.0's columns
    (``gdelt_row``), then the PLOVER coding they come from."""

    def rows() -> Iterator[dict[str, Any]]:
        for page in _pages(queries.events(conn, export_filter(flt, include_background))):
            srcs = queries.sources(conn, [r.id for r in page])
            for record in page:
                url = next((s["url"] for s in srcs[record.id] if s["url"]), None)
                for dyad in queries.project(record):
                    yield gdelt_row(dyad, url, mentions=record.mention_count,
                                    outlets=outlet_count(srcs[record.id]),
                                    articles=record.article_count, lat=record.lat,
                                    lon=record.lon)

    return write_csv(rows(), GDELT_COLUMNS, out, delimiter="\t")


def polecat_record(record: EventRecord, srcs: list[dict[str, Any]],
                   found: list[dict[str, Any]]) -> dict[str, Any]:
    """One event in the shape of POLECAT / the PLOVER JSON spec: n-ary actor and
    recipient lists, quad code and intensity, plus Parley's sources and conflicts."""
    table = plover_table()

    def entity(p) -> dict[str, Any]:
        return {"name": p.name, "country": p.country, "kind": p.kind, "key": p.key}

    by_role = {role: [entity(p) for p in record.participants if p.role == role]
               for role in ("actor", "recipient", "participant")}
    return {
        "event_id": record.id,
        "date": record.date.isoformat() if record.date else None,
        "date_precision": record.date_precision,
        "ref_date": record.ref_date.isoformat() if record.ref_date else None,
        "event": record.type,
        "mode": record.mode,
        "context": record.context,
        "quad_code": record.quad_class,
        "quad": table.quads[record.quad_class],
        "event_intensity": record.score,
        "factuality": record.factuality,
        "actor": by_role["actor"],
        "recipient": by_role["recipient"],
        "participant": by_role["participant"],
        "event_loc": None if record.place_name is None else {
            "name": record.place_name, "country": record.place_country,
            "lat": record.lat, "lon": record.lon},
        "source_count": record.source_count,
        "article_count": record.article_count,
        "num_mentions": record.mention_count,
        "story_date": min((x["published"] for x in srcs if x.get("published")), default=None),
        "disputed": record.disputed,
        "confidence": record.confidence,
        "sources": srcs,
        "conflicts": found,
    }


def export_polecat(conn: Connection, out: IO[str], flt: EventFilter | None = None, *,
                   include_background: bool = False) -> int:
    n = 0
    for page in _pages(queries.events(conn, export_filter(flt, include_background))):
        ids = [r.id for r in page]
        srcs, found = queries.sources(conn, ids), queries.event_conflicts(conn, ids)
        for record in page:
            out.write(json.dumps(polecat_record(record, srcs[record.id], found[record.id]),
                                 ensure_ascii=False) + "\n")
            n += 1
    return n


def export_parquet(conn: Connection, directory: Path, flt: EventFilter | None = None, *,
                   include_background: bool = False) -> tuple[int, int]:
    """``events.parquet`` and ``dyads.parquet`` in ``directory``."""
    require_pyarrow()
    flt = export_filter(flt, include_background)
    directory.mkdir(parents=True, exist_ok=True)
    n_events = write_parquet((event_row(r) for r in queries.events(conn, flt)), "events",
                             directory / "events.parquet")
    n_dyads = write_parquet((dyad_row(d) for d in queries.dyads(conn, flt)), "dyads",
                            directory / "dyads.parquet")
    return n_events, n_dyads


def export_tables(conn: Connection, directory: Path, fmt: str,
                  flt: EventFilter | None = None, *,
                  include_background: bool = False) -> tuple[int, int]:
    """``events`` and ``dyads`` in ``directory`` as ``csv`` or Stata ``dta`` files
    (the columns of the Parquet export)."""
    from parley.store.stata import write_dta

    flt = export_filter(flt, include_background)
    directory.mkdir(parents=True, exist_ok=True)
    counts = []
    for name, columns, rows in (
            ("events", EVENT_COLUMNS, (event_row(r) for r in queries.events(conn, flt))),
            ("dyads", DYAD_COLUMNS, (dyad_row(d) for d in queries.dyads(conn, flt)))):
        path = directory / f"{name}.{fmt}"
        if fmt == "csv":
            with open(path, "w", encoding="utf-8", newline="") as fh:
                counts.append(write_csv(rows, columns, fh))
        elif fmt == "dta":
            counts.append(write_dta(path, columns, list(rows), label=f"Parley {name}"))
        else:
            raise ValueError(f"unknown table format {fmt!r}")
    return counts[0], counts[1]


def series_rows(rows: Iterable[PeriodRow]) -> Iterator[dict[str, Any]]:
    names = plover_table().quads
    for r in rows:
        yield {"period": r.start.isoformat(),
               **{names[q]: r.counts[q] for q in (1, 2, 3, 4)},
               "events": r.total, "mean_score": r.mean_score}

