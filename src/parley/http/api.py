"""The JSON API under ``/api``: views over ``parley.store.queries``.

Handlers are plain functions (FastAPI runs them in its thread pool): they validate
input through the typed parameters, open one read transaction, call the query layer and
turn its records into the response models of ``parley.http.schemas``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BeforeValidator
from sqlalchemy import Connection

from parley.errors import ParleyError
from parley.http import download
from parley.http import schemas as s
from parley.http.coding import code_pasted
from parley.http.errors import ApiError, from_parley
from parley.http.security import token_ok
from parley.model import Document
from parley.store import queries
from parley.store.queries import EventFilter

_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": s.ErrorBody, "description": "Invalid input"}}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": s.ErrorBody, "description": "No such record"}, **_ERRORS}

router = APIRouter(responses=_ERRORS)

Limit = Annotated[int, Query(ge=1, le=s.MAX_LIMIT, description="page size")]
Offset = Annotated[int, Query(ge=0, le=s.MAX_OFFSET, description="rows to skip")]
Id = Annotated[s.IdValue, Path(ge=1, le=s.MAX_ID, description="a positive integer")]
Actors = Annotated[s.NameList, Query(
    description="ISO3 code, participant key or name; repeat or separate with commas: "
                "all must take part")]
Types = Annotated[s.TypeList, Query(
    description="PLOVER type; repeat or separate with commas for any of several")]
Facts = Annotated[s.FactualityList, Query(
    description="repeat or separate with commas for any of several; default asserted; "
                "'any' for all")]
Places = Annotated[s.NameList, Query(
    description="place name or country code; repeat or separate with commas for any")]
Since = Annotated[s.IsoDate | None, Query(description="YYYY-MM-DD")]
Until = Annotated[s.IsoDate | None, Query(description="YYYY-MM-DD")]
Disputed = Annotated[bool | None, Query(
    description="true: only events whose reports disagree; false: only the others")]
Text = Annotated[s.Name | None, Query(
    description="case-insensitive substring of a report's sentence, a participant's "
                "name or the place")]


@contextmanager
def reading(request: Request) -> Iterator[Connection]:
    """One read transaction on the app's store."""
    with request.app.state.store.read() as conn:
        yield conn


def page_info(total: int, limit: int, offset: int, n: int) -> dict[str, Any]:
    nxt = offset + n
    return {"total": total, "limit": limit, "offset": offset,
            "next_offset": nxt if n and nxt < total else None}


DEFAULT_FACTUALITY = ("asserted",)


def factualities(values: Sequence[str]) -> tuple[str, ...]:
    """The factuality filter of every view: asserted when none is given, none at all
    when 'any' is among them."""
    if not values:
        return DEFAULT_FACTUALITY
    if "any" in values:
        return ()
    return tuple(dict.fromkeys(values))


def event_filter(actor: Sequence[str] = (), type: Sequence[str] = (),
                 since: date | None = None, until: date | None = None,
                 factuality: Sequence[str] = (), *, place: Sequence[str] = (),
                 disputed: bool | None = None, text: str | None = None) -> EventFilter:
    """The ``EventFilter`` of the API's and the pages' parameters (already split)."""
    return EventFilter(actors=tuple(actor), types=tuple(t.upper() for t in type),
                       since=since, until=until, factuality=factualities(factuality),
                       places=tuple(place), disputed=disputed, text=text or None)


def event_item(record: queries.EventRecord,
               snippet: queries.Snippet | None = None) -> s.EventItem:
    item = s.EventItem.model_validate(record.as_dict())
    if snippet is not None:
        item.trigger = snippet.trigger.text
        item.evidence = _quote(snippet.sentence)
    return item


_bearer = HTTPBearer(auto_error=False, description="Needed only when the server runs "
                     "with PARLEY_TOKEN set.")


def require_token(request: Request, credentials: Annotated[
        HTTPAuthorizationCredentials | None, Depends(_bearer)] = None) -> None:
    """With ``PARLEY_TOKEN`` set, a POST needs ``Authorization: Bearer <token>``."""
    given = credentials.credentials if credentials else None
    if not token_ok(request.app.state.token, given):
        raise ApiError(401, "missing or wrong API token (Authorization: Bearer <token>)",
                       headers={"WWW-Authenticate": "Bearer"})


@router.get("/articles", response_model=s.ArticlePage, summary="Stored articles")
def list_articles(request: Request, limit: Limit = 50, offset: Offset = 0) -> s.ArticlePage:
    """Stored articles by id, with the number of events in each coded document."""
    with reading(request) as conn:
        rows, total = queries.articles_page(conn, limit=limit, offset=offset)
    return s.ArticlePage(items=[s.ArticleItem.model_validate(r.__dict__) for r in rows],
                         **page_info(total, limit, offset, len(rows)))


@router.get("/articles/{article_id}", response_model=Document, responses=_NOT_FOUND,
            summary="A stored article's coded document")
def get_article(request: Request, article_id: Id) -> Document:
    """The document contract of a stored article, as ``parley code`` printed it."""
    with reading(request) as conn:
        doc = queries.document(conn, article_id)
    if doc is None:
        raise ApiError(404, f"no article {article_id}")
    return doc


Dir = Annotated[str, Query(pattern="^(asc|desc)$", description="desc (default): newest, "
                           "most or highest first")]


def _event_params(actor: Actors = [], type: Types = [],  # noqa: B006 - FastAPI copies
                  since: Since = None, until: Until = None,
                  factuality: Facts = [], place: Places = [],  # noqa: B006
                  disputed: Disputed = None, q: Text = None) -> EventFilter:
    return event_filter(actor, type, since, until, factuality, place=place,
                        disputed=disputed, text=q)


EventParams = Annotated[EventFilter, Depends(_event_params)]


@router.get("/events", response_model=s.EventPage, summary="Fused events")
def list_events(request: Request, flt: EventParams, sort: s.SortKey = "date",
                dir: Dir = "desc", limit: Limit = 50, offset: Offset = 0) -> s.EventPage:
    """The filters of ``parley events`` and of the events table (asserted events
    unless ``factuality`` says otherwise), newest first; an undated event is filtered
    and sorted by the date its first report was published. Each item carries the
    trigger and sentence of its first report."""
    with reading(request) as conn:
        rows, total = queries.events_page(conn, flt, limit=limit, offset=offset, sort=sort,
                                          descending=dir == "desc")
        snippets = queries.event_snippets(conn, [r.id for r in rows])
    return s.EventPage(items=[event_item(r, snippets.get(r.id)) for r in rows],
                       **page_info(total, limit, offset, len(rows)))


@router.get("/events.csv", summary="The events of a filter as CSV",
            response_class=StreamingResponse,
            responses={200: {"content": {"text/csv": {}}, "description": "CSV file"}})
def events_csv(request: Request, flt: EventParams, sort: s.SortKey = "date",
               dir: Dir = "desc") -> StreamingResponse:
    """Every event of the filter (no paging), in the order of ``/api/events``, with the
    columns of ``parley events --format csv`` (trigger and evidence of the first
    report filled in)."""
    return download.csv_response(request.app.state.store, flt, sort=sort,
                                 descending=dir == "desc")


@router.get("/events.parquet", summary="The events of a filter as Parquet",
            response_class=Response,
            responses={200: {"content": {"application/vnd.apache.parquet": {}},
                             "description": "Parquet file"}})
def events_parquet(request: Request, flt: EventParams, sort: s.SortKey = "date",
                   dir: Dir = "desc") -> Response:
    """The rows of ``/api/events.csv`` as a Parquet file (``parley.fuse.rows`` schema);
    501 when the 'parquet' extra (pyarrow) is not installed."""
    try:
        return download.parquet_response(request.app.state.store, flt, sort=sort,
                                         descending=dir == "desc")
    except ParleyError as exc:
        raise from_parley(exc) from None


def _quote(q: queries.Quote) -> s.Quote:
    return s.Quote(article_id=q.article_id, start=q.start, end=q.end, text=q.text)


def event_detail_out(detail: queries.EventDetail) -> s.EventDetailOut:
    return s.EventDetailOut(
        event=event_item(detail.event),
        sources=[s.Source(
            article_id=src.article_id, doc_id=src.doc_id, url=src.url, title=src.title,
            published=src.published, near_duplicate_of=src.near_duplicate_of,
            event=src.event,
            mentions=[s.MentionEvidence(sentence=_quote(sent), trigger=_quote(trig))
                      for sent, trig in src.mentions]) for src in detail.sources],
        conflicts=[s.ConflictOut(id=c.id, scope=c.scope, kind=c.kind, detail=c.detail,
                                 evidence=[_quote(q) for q in c.evidence])
                   for c in detail.conflicts])


@router.get("/events/{event_id}", response_model=s.EventDetailOut, responses=_NOT_FOUND,
            summary="A fused event with its evidence")
def get_event(request: Request, event_id: Id) -> s.EventDetailOut:
    """The fused event, each source article with the sentence and trigger of every
    mention (offsets and the quoted text), and the conflicts between its reports."""
    with reading(request) as conn:
        detail = queries.event_detail(conn, event_id)
    if detail is None:
        raise ApiError(404, f"no event {event_id}")
    return event_detail_out(detail)


@router.get("/map", response_model=s.MapOut, summary="Geolocated events per place")
def event_map(request: Request, flt: EventParams) -> s.MapOut:
    """One point per place (name, country, coordinates) of the filter's events that
    have coordinates, with their count per quad class; the filters of ``/api/events``."""
    with reading(request) as conn:
        points = queries.map_points(conn, flt)
    return s.MapOut(events=sum(p.events for p in points), points=[s.MapPointOut(
        name=p.name, country=p.country, lat=p.lat, lon=p.lon, events=p.events,
        quad_class=p.quad, verbal_cooperation=p.quads.get(1, 0),
        material_cooperation=p.quads.get(2, 0), verbal_conflict=p.quads.get(3, 0),
        material_conflict=p.quads.get(4, 0)) for p in points])


@router.get("/actors", response_model=s.ActorPage, summary="Participants of fused events")
def list_actors(request: Request,
                q: Annotated[s.Name | None, Query(description="substring of the key or "
                                                  "name (case-insensitive)")] = None,
                limit: Limit = 50, offset: Offset = 0) -> s.ActorPage:
    """Distinct participants, most events first."""
    with reading(request) as conn:
        rows, total = queries.participants_page(conn, q=q, limit=limit, offset=offset)
    return s.ActorPage(items=[s.ActorItem.model_validate(r.__dict__) for r in rows],
                       **page_info(total, limit, offset, len(rows)))


def profile_out(p: queries.ActorProfile) -> s.ActorProfileOut:
    return s.ActorProfileOut(
        key=p.key, name=p.name, country=p.country, kind=p.kind, kb_ids=list(p.kb_ids),
        sectors=[s.Count(value=v, events=n) for v, n in p.sectors],
        names=[s.Count(value=v, events=n) for v, n in p.names], events=p.events,
        first_seen=p.first_seen, last_seen=p.last_seen,
        by_type=[s.Count(value=v, events=n) for v, n in p.by_type],
        by_factuality=[s.Count(value=v, events=n) for v, n in p.by_factuality],
        months=[s.ActorPeriod(start=r.start, verbal_cooperation=r.counts.get(1, 0),
                              material_cooperation=r.counts.get(2, 0),
                              verbal_conflict=r.counts.get(3, 0),
                              material_conflict=r.counts.get(4, 0), total=r.total,
                              mean_score=r.mean_score) for r in p.periods],
        counterparts=[s.Counterpart(key=k, name=n, events=c) for k, n, c in p.counterparts])


@router.get("/actors/{key:path}", response_model=s.ActorProfileOut, responses=_NOT_FOUND,
            summary="One participant's profile")
def get_actor(request: Request, key: Annotated[s.Name, Path(description="participant key "
                                                            "(ISO3 code or name)")],
              factuality: Facts = []) -> s.ActorProfileOut:  # noqa: B006
    """Names, KB ids, sectors, event counts by type, factuality and month (asserted
    events unless ``factuality`` says otherwise), first and last seen, and the keys it
    shares most events with."""
    with reading(request) as conn:
        profile = queries.actor_profile(conn, key, flt=EventFilter(
            factuality=factualities(factuality)))
    if profile is None:
        raise ApiError(404, f"no participant {key!r}")
    return profile_out(profile)


@router.get("/dyad", response_model=s.DyadOut, summary="Cooperation-conflict series")
def dyad(request: Request,
         a: Annotated[s.Name, Query(description="ISO3 code or actor name")],
         b: Annotated[s.Name, Query(description="ISO3 code or actor name")],
         by: s.Period = "month", since: Since = None, until: Until = None,
         factuality: Facts = [],  # noqa: B006
         ) -> s.DyadOut:
    """Per period, the pair's events per quad class, their mean PLOVER score and the ids
    of the events behind them (either direction; undated events by publication;
    asserted events unless ``factuality`` says otherwise). Only periods with events
    are listed."""
    flt = event_filter(since=since, until=until, factuality=factuality)
    with reading(request) as conn:
        periods = queries.dyad_periods(conn, a, b, by=by, flt=flt)
    return s.DyadOut(a=a, b=b, by=by, periods=[period_out(p) for p in periods])


def period_out(p: queries.PeriodEvents) -> s.PeriodOut:
    c = p.row.counts
    return s.PeriodOut(start=p.row.start, verbal_cooperation=c.get(1, 0),
                       material_cooperation=c.get(2, 0), verbal_conflict=c.get(3, 0),
                       material_conflict=c.get(4, 0), total=p.row.total,
                       mean_score=p.row.mean_score, events=[e.id for e in p.events])


@router.get("/conflicts", response_model=s.ConflictPage, summary="Recorded disagreements")
def list_conflicts(
        request: Request,
        kind: Annotated[s.NameList, Query(description="date, participants, ...; any of "
                                          "several")] = [],  # noqa: B006
        scope: Annotated[Annotated[list[Literal["document", "reports"]],
                                   BeforeValidator(s.split_list)],
                         Query(description="document or reports")] = [],  # noqa: B006
        actor: Actors = [], since: Since = None, until: Until = None,  # noqa: B006
        event: Annotated[s.IdValue | None, Query(ge=1, le=s.MAX_ID,
                                                 description="a fused event's id")] = None,
        limit: Limit = 50, offset: Offset = 0) -> s.ConflictPage:
    """Disagreements within a report (scope ``document``) and between reports
    (``reports``), with the quoted evidence from each side. ``actor`` and the dates
    filter by the conflict's fused event."""
    flt = queries.ConflictFilter(kinds=tuple(kind), scopes=tuple(scope), actors=tuple(actor),
                                 since=since, until=until, event_id=event)
    with reading(request) as conn:
        rows, total = queries.conflicts_page(conn, flt, limit=limit, offset=offset)
        texts = queries.article_texts(
            conn, sorted({e["article_id"] for c in rows for e in c.evidence}))
    return s.ConflictPage(items=[s.ConflictItem(
        id=c.id, event_id=c.event_id, scope=c.scope, kind=c.kind, detail=c.detail,
        evidence=[s.Quote(article_id=e["article_id"], start=e["start"], end=e["end"],
                          text=texts.get(e["article_id"], "")[e["start"]:e["end"]])
                  for e in c.evidence]) for c in rows],
        **page_info(total, limit, offset, len(rows)))


@router.post("/code", response_model=Document, summary="Code a report without storing it",
             dependencies=[Depends(require_token)],
             responses={401: {"model": s.ErrorBody, "description": "Token required"},
                        413: {"model": s.ErrorBody, "description": "Text or body too large"},
                        **_ERRORS})
def code(body: s.CodeRequest) -> Document:
    """Run the coding pipeline on the text (or HTML page) and return the document
    contract. Nothing is stored."""
    try:
        return code_pasted(body.text, published=body.published, title=body.title,
                           html=body.html)
    except ParleyError as exc:
        raise from_parley(exc) from None
