"""One flat row per event: the single CSV / Parquet schema of every event table.

``parley batch`` (document events), ``parley events --format csv|parquet`` and
``parley export --format parquet`` (fused events) all write ``EventRow`` records, so
the files they produce have the same columns with the same meaning. The columns are
the fields of ``EventRow``, in order; ``arrow_schema()`` gives their Parquet types.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from parley.knowledge.plover import PloverTable
from parley.model import Document


@dataclass(frozen=True)
class EventRow:
    id: str  # a fused event's number, or "<document id>#<event id>" for a document event
    date: date | None
    date_precision: str | None
    ref_date: dt.date | None  # ``date``, else the (earliest) publication date
    type: str
    mode: str | None
    quad_class: int
    score: float
    factuality: str
    participants: str  # "Name (KEY):role; ..." (just "KEY:role" when the name is the key)
    place_name: str | None
    place_country: str | None
    lat: float | None
    lon: float | None
    source_count: int
    mention_count: int
    disputed: bool
    confidence: float
    doc_id: str | None  # the (first) report's document
    trigger: str | None  # the first mention's trigger words
    evidence: str | None  # the first mention's sentence

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(EventRow))


def participant_text(parts: Sequence[tuple[str, str, str]]) -> str:
    """``(key, name, role)`` triples as the ``participants`` column."""
    return "; ".join(f"{key}:{role}" if key == name else f"{name} ({key}):{role}"
                     for key, name, role in parts)


def require_pyarrow(feature: str = "Parquet export") -> None:
    """Raise ``ExtraMissing`` (one line naming the 'parquet' extra) without pyarrow."""
    from parley.errors import ExtraMissing

    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise ExtraMissing(feature, "parquet") from None


def arrow_schema() -> Any:
    require_pyarrow()
    import pyarrow as pa

    kinds = {"str": pa.string(), "str | None": pa.string(), "date | None": pa.date32(),
             "dt.date | None": pa.date32(), "int": pa.int32(), "float": pa.float64(),
             "float | None": pa.float64(), "bool": pa.bool_()}
    return pa.schema([(f.name, kinds[str(f.type)]) for f in fields(EventRow)])


def document_rows(doc: Document, plover: PloverTable) -> Iterator[EventRow]:
    """The events of one coded document (each one report, one source)."""
    actors = {a.id: a for a in doc.actors}
    for event in doc.events:
        first = event.mentions[0] if event.mentions else None
        parts = []
        for p in event.participants:
            a = actors.get(p.actor)
            if a is not None:
                parts.append((a.country or a.name, a.name, p.role))
        place = event.place
        yield EventRow(
            id=f"{doc.id}#{event.id}", date=event.date.value,
            date_precision=event.date.precision, ref_date=event.date.value or doc.published,
            type=event.type, mode=event.mode, quad_class=plover.quad(event.type),
            score=plover.score(event.type, event.mode), factuality=event.factuality,
            participants=participant_text(parts),
            place_name=place.name if place else None,
            place_country=place.country if place else None,
            lat=place.lat if place else None, lon=place.lon if place else None,
            source_count=1, mention_count=len(event.mentions),
            disputed=event.date.disputed or any(p.disputed for p in event.participants),
            confidence=event.confidence, doc_id=doc.id,
            trigger=doc.text[first.trigger.start:first.trigger.end] if first else None,
            evidence=doc.text[first.start:first.end] if first else None,
        )
