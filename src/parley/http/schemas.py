"""The API's request and response models: what ``/openapi.json`` describes.

Responses mirror the records of ``parley.store.queries`` (``EventRecord`` is the same
shape ``parley events --format json`` prints); a stored article is the document
contract itself (``parley.model.Document``).
"""

from __future__ import annotations

import datetime as dt
import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from parley.ingest.dates import parse_date
from parley.model import EventType, Factuality

MAX_LIMIT = 200
# offsets and ids beyond these cannot exist; bounding them keeps every value within
# what SQLite and PostgreSQL integers hold (a bigger one is a 422, not a driver error)
MAX_OFFSET = 1_000_000_000
MAX_ID = 2_147_483_647
MAX_CODE_CHARS = 200_000

def _iso_date(value: object) -> object:
    """The date parser the CLI and the pages use too (``parley.ingest.dates``)."""
    day = parse_date(value)
    if day is None:
        raise ValueError("not a date (YYYY-MM-DD)")
    return day


def _upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


def split_list(values: object) -> list[str]:
    """A list parameter as every view reads it: repeated (``actor=USA&actor=CHN``)
    and/or comma-separated (``actor=USA,CHN``), blanks dropped. The pages and the API
    both call this, so ``actor=USA,CHN`` is two actors in both."""
    if values is None:
        return []
    items = [values] if isinstance(values, str) else list(values)  # type: ignore[call-overload]
    return [p.strip() for v in items for p in str(v).split(",") if p.strip()]


def _id_digits(value: object) -> object:
    """An id is written in digits only: ``1.0``, ``+1``, ``1e0`` and ``٣`` are refused
    (pydantic alone would read "1.0" as 1)."""
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{1,19}", value):
        raise ValueError("not a positive integer (digits only)")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
# an actor filter or name: no NUL (PostgreSQL text cannot hold it)
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00]+$")]
TypeParam = Annotated[EventType, BeforeValidator(_upper)]
IdValue = Annotated[int, BeforeValidator(_id_digits)]
# list parameters, split like the pages split them
NameList = Annotated[list[Name], BeforeValidator(split_list)]
TypeList = Annotated[list[TypeParam], BeforeValidator(split_list)]
FactualityOrAny = Literal[Factuality, "any"]
FactualityList = Annotated[list[FactualityOrAny], BeforeValidator(split_list)]
Period = Literal["day", "week", "month"]
SortKey = Literal["date", "type", "sources", "score", "confidence", "id"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(_Out):
    loc: list[str] = Field(description="where: ['query', 'since'], ['path'], ['body'], ...")
    msg: str
    type: str


class ErrorBody(_Out):
    """Every 4xx/5xx answer of the API."""

    error: str = Field(description="A stable code: not_found, invalid_request, "
                       "too_large, unauthorized, ...")
    message: str = Field(description="one line for a person")
    detail: list[ErrorDetail] = Field(description="one entry per invalid field (422), "
                                      "else one entry for the request part at fault")


class PageInfo(_Out):
    total: int
    limit: int
    offset: int
    next_offset: int | None = Field(description="offset of the next page; null on the last")


class ArticleItem(_Out):
    id: int
    doc_id: str
    title: str | None
    published: date | None
    url: str | None
    events: int = Field(description="events of the coded document")
    near_duplicate_of: int | None


class ArticlePage(PageInfo):
    items: list[ArticleItem]


class Quote(_Out):
    article_id: int
    start: int
    end: int
    text: str = Field(description="the article text between start and end")


class Party(_Out):
    key: str = Field(description="country ISO3 code, else the actor's name")
    name: str
    country: str | None
    kind: str
    role: str


class EventItem(_Out):
    id: int
    type: EventType
    mode: str | None
    context: str | None
    quad_class: int
    score: float
    factuality: Factuality
    date: date | None
    date_precision: str | None
    date_disputed: bool
    ref_date: dt.date | None = Field(description="date, else the earliest publication date")
    place_name: str | None
    place_country: str | None
    lat: float | None
    lon: float | None
    disputed: bool
    source_count: int
    report_count: int
    mention_count: int
    confidence: float
    participants: list[Party]
    article_count: int = Field(0, description="distinct articles, syndicated copies "
                               "included (source_count counts originals)")
    background: bool = Field(False, description="every report places the event well "
                             "before it was published")
    trigger: str | None = Field(None, description="the first report's first trigger "
                                "words (lists only)")
    evidence: Quote | None = Field(None, description="the sentence of that mention "
                                   "(lists only)")


class EventPage(PageInfo):
    items: list[EventItem]


class MentionEvidence(_Out):
    sentence: Quote
    trigger: Quote


class Source(_Out):
    article_id: int
    doc_id: str
    url: str | None
    title: str | None
    published: date | None
    near_duplicate_of: int | None
    event: str = Field(description="the event's id in that article's document")
    mentions: list[MentionEvidence]


class ConflictOut(_Out):
    id: int
    scope: Literal["document", "reports"]
    kind: str
    detail: str
    evidence: list[Quote]


class EventDetailOut(_Out):
    event: EventItem
    sources: list[Source]
    conflicts: list[ConflictOut]


class ActorItem(_Out):
    key: str
    name: str
    country: str | None
    kind: str
    events: int = Field(description="fused events it takes part in")
    first_seen: date | None = Field(description="earliest ref_date of those events")
    last_seen: date | None


class Count(_Out):
    value: str
    events: int


class Counterpart(_Out):
    key: str
    name: str
    events: int = Field(description="events both take part in")


class ActorPeriod(_Out):
    start: date
    verbal_cooperation: int
    material_cooperation: int
    verbal_conflict: int
    material_conflict: int
    total: int
    mean_score: float


class ActorProfileOut(_Out):
    key: str
    name: str
    country: str | None
    kind: str
    kb_ids: list[str] = Field(description="knowledge-base entities behind the key")
    sectors: list[Count]
    names: list[Count] = Field(description="names seen under this key")
    events: int
    first_seen: date | None
    last_seen: date | None
    by_type: list[Count]
    by_factuality: list[Count]
    months: list[ActorPeriod]
    counterparts: list[Counterpart]


class MapPointOut(_Out):
    name: str
    country: str | None
    lat: float
    lon: float
    events: int
    quad_class: int = Field(description="the quad class with most events here")
    verbal_cooperation: int
    material_cooperation: int
    verbal_conflict: int
    material_conflict: int


class MapOut(_Out):
    points: list[MapPointOut]
    events: int = Field(description="geolocated events of the filter")


class ActorPage(PageInfo):
    items: list[ActorItem]


class PeriodOut(ActorPeriod):
    """A dyad's period: an actor's period counts, and the events behind them."""

    events: list[int] = Field(description="ids of the fused events in this period")


class DyadOut(_Out):
    a: str
    b: str
    by: Period
    periods: list[PeriodOut]


class ConflictItem(_Out):
    id: int
    event_id: int | None
    scope: Literal["document", "reports"]
    kind: str
    detail: str
    evidence: list[Quote]


class ConflictPage(PageInfo):
    items: list[ConflictItem]


class CodeRequest(BaseModel):
    """A report to code without storing it."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description=f"the report (plain text, or HTML with html=true); "
                      f"over {MAX_CODE_CHARS:,} characters is refused with 413")
    published: IsoDate | None = Field(None, description="publication date (YYYY-MM-DD): "
                                      "resolves 'on Monday'")
    title: Annotated[str, StringConstraints(max_length=1000)] | None = None
    html: bool = Field(False, description="text is an HTML page: extract its main text")
