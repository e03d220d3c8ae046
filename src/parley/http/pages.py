"""The HTML pages: each reads through ``parley.store.queries`` and renders a template.

Form and filter input is parsed here, by hand, so a bad value comes back as the same
page with the message next to the form (status 422) instead of a bare error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse

from parley.errors import InputTooLarge, ParleyError
from parley.http.api import event_filter, factualities, reading
from parley.http.cache import cached
from parley.http.chart import QUADS, coarser, dyad_chart, period_end, period_id, period_label
from parley.http.coding import code_pasted
from parley.http.errors import ApiError
from parley.http.highlight import STYLED, anchor_id, article_view, window_segments
from parley.http.schemas import MAX_CODE_CHARS, MAX_ID, MAX_OFFSET, IdValue, split_list
from parley.http.security import token_ok
from parley.http.templating import templates, url_with
from parley.http.worldmap import HEIGHT as MAP_HEIGHT
from parley.http.worldmap import WIDTH as MAP_WIDTH
from parley.http.worldmap import land_path, project
from parley.ingest.dates import parse_date
from parley.knowledge import plover_table
from parley.model import FACTUALITIES, PLOVER_TYPES, Document
from parley.store import queries
from parley.store.queries import EVENT_SORTS, ConflictFilter, EventFilter

router = APIRouter(default_response_class=HTMLResponse, tags=["html"])

FACTUALITY = FACTUALITIES
PAGE = 50
CONFLICT_PAGE = 25
PER_PERIOD = 10  # events listed under each period of the dyad chart, at most
MAX_LISTED = 300
Id = Annotated[IdValue, Path(ge=1, le=MAX_ID)]
Strs = Annotated[list[str], Query()]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status=status, status_code=status, message=message)


def form_date(value: str | None, name: str, errors: list[str]) -> date | None:
    """A date field of a form, parsed as the CLI and the API parse dates."""
    try:
        return parse_date(value)
    except ValueError:
        errors.append(f"{name}: {(value or '')[:40]!r} is not a date (YYYY-MM-DD)")
        return None


_split = split_list  # the API's splitting: "USA, CHN" is two actors in both


def _clean(value: str, limit: int = 200) -> str:
    return value.replace("\x00", "")[:limit]


@router.get("/", summary="Overview")
def index(request: Request) -> HTMLResponse:
    with reading(request) as conn:
        counts = queries.overview(conn)  # kept by the writer: no table is counted
        recent, _ = queries.articles_page(conn, limit=10, newest_first=True)
        # asserted events, as the dyad page each row links to counts them
        dyads = cached(request, conn, ("top_dyads", 10, ("asserted",)),
                       lambda: queries.top_dyads(conn, 10, EventFilter(factuality=("asserted",))))
        n_actors = queries.participant_count(conn)
    return render(request, "index.html", counts=counts, recent=recent, dyads=dyads,
                  n_actors=n_actors)


@router.get("/articles", summary="Stored articles")
def articles_list(request: Request, offset: Offset = 0) -> HTMLResponse:
    with reading(request) as conn:
        rows, total = queries.articles_page(conn, limit=PAGE, offset=offset,
                                            newest_first=True)
    return render(request, "articles.html", rows=rows, total=total, offset=offset, page=PAGE,
                  params=list(request.query_params.multi_items()))


@router.get("/articles/{article_id}", summary="Article view")
def article_page(request: Request, article_id: Id) -> HTMLResponse:
    with reading(request) as conn:
        meta = queries.article(conn, article_id)
        if meta is None:
            raise ApiError(404, f"There is no article {article_id}.")
        doc = queries.document(conn, article_id)
        assert doc is not None
        fused = queries.article_events(conn, article_id)
        stored = queries.article_conflicts(conn, article_id)
        others = sorted({e["article_id"] for c in stored for e in c.evidence} - {article_id})
        texts = queries.article_texts(conn, others)
        titles = {aid: row.title or row.doc_id
                  for aid, row in queries.article_rows(conn, others).items()}
    view = article_view(doc, article_id=article_id, stored=stored, titles=titles,
                        texts=texts, fused=fused)
    return render(request, "article.html", meta=meta, doc=doc, view=view, kinds=STYLED)


@dataclass(frozen=True)
class EventQuery:
    """The events table's (and the map's) parameters, parsed as the API parses them."""

    flt: EventFilter
    sort: str
    descending: bool
    form: dict[str, Any]
    errors: list[str]
    params: list[tuple[str, str]]  # the query string, for links and downloads

    def api_query(self, **changes: Any) -> str:
        """The same filter as a query string of ``/api/events`` (and its downloads)."""
        return url_with("", self.params, offset=None, **changes)


# what the API's boolean parameter accepts (pydantic's words), so links work in both
DISPUTED = {"": None, **dict.fromkeys(("true", "1", "yes", "y", "on", "t"), True),
            **dict.fromkeys(("false", "0", "no", "n", "off", "f"), False)}


def event_query(request: Request, actor: Strs = [], type: Strs = [],  # noqa: B006
                since: str | None = None, until: str | None = None,
                factuality: Strs = [], place: Strs = [],  # noqa: B006
                disputed: str | None = None, q: str | None = None, sort: str | None = None,
                dir: str | None = None) -> EventQuery:
    """The filters of the events table and the map (a dependency of both routes, so
    they are in the OpenAPI document): repeated or comma-separated values, factuality
    asserted unless given ('any' for all), newest first."""
    qp = request.query_params
    errors: list[str] = []
    actors = [_clean(a) for a in _split(actor)]
    types = [t.upper() for t in _split(type)]
    for t in types:
        if t not in PLOVER_TYPES:
            errors.append(f"type: {t[:40]!r} is not a PLOVER type")
    facts = _split(factuality)
    for f in facts:
        if f not in (*FACTUALITY, "any"):
            errors.append(f"factuality: {f[:40]!r} is not one of {', '.join(FACTUALITY)}, any")
    places = [_clean(p) for p in _split(place)]
    disputed_s = (disputed or "").strip().lower()
    if disputed_s not in DISPUTED:
        errors.append(f"disputed: {disputed_s[:20]!r} is not true or false")
    disputed_s = {True: "true", False: "false", None: ""}[DISPUTED.get(disputed_s)]
    text = _clean((q or "").strip())
    since, until = since or None, until or None
    d_since = form_date(since, "since", errors)
    d_until = form_date(until, "until", errors)
    sort = sort or "date"
    if sort not in EVENT_SORTS:
        errors.append(f"sort: {sort[:20]!r} is not one of {', '.join(EVENT_SORTS)}")
        sort = "date"
    direction = dir or "desc"
    if direction not in ("asc", "desc"):
        errors.append(f"dir: {direction[:20]!r} is not asc or desc")
        direction = "desc"
    flt = event_filter([a for a in actors if a], [t for t in types if t in PLOVER_TYPES],
                       d_since, d_until, [f for f in facts if f in (*FACTUALITY, "any")],
                       place=places, disputed=DISPUTED.get(disputed_s), text=text or None)
    form = {"actor": ", ".join(actors), "type": types, "since": since or "",
            "until": until or "", "factuality": list(flt.factuality) or ["any"],
            "place": ", ".join(places), "disputed": disputed_s, "q": text}
    params = [(k, v) for k, v in qp.multi_items() if k != "offset"]
    return EventQuery(flt=flt, sort=sort, descending=direction == "desc", form=form,
                      errors=errors, params=params)


def _source_links(conn, ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    srcs: dict[int, list[tuple[int, str]]] = {}
    for eid, items in queries.sources(conn, ids).items():
        seen: dict[int, str] = {}
        for item in items:
            seen.setdefault(item["article_id"], item["title"] or item["doc_id"])
        srcs[eid] = list(seen.items())
    return srcs


def snippet_parts(snip: queries.Snippet | None, width: int = 70) -> tuple[str, str, str]:
    """The evidence sentence around its trigger, cut to ``width`` characters a side."""
    if snip is None:
        return "", "", ""
    before, trig, after = _quote_parts(snip.sentence, snip.trigger)
    before = " ".join(before.split())
    after = " ".join(after.split())
    if len(before) > width:
        before = "…" + before[-width:].lstrip()
    if len(after) > width:
        after = after[:width].rstrip() + "…"
    return before + (" " if before and before[-1] != " " and trig else ""), trig, (
        (" " if after and trig and not after.startswith((".", ",", ";", ":")) else "")
        + after)


PageFilters = Annotated[EventQuery, Depends(event_query)]


@router.get("/events", summary="Events table")
def events_table(request: Request, eq: PageFilters, offset: Offset = 0) -> HTMLResponse:
    rows: list[queries.EventRecord] = []
    total = 0
    srcs: dict[int, list[tuple[int, str]]] = {}
    snippets: dict[int, queries.Snippet] = {}
    if not eq.errors:
        with reading(request) as conn:
            rows, total = queries.events_page(conn, eq.flt, limit=PAGE, offset=offset,
                                              sort=eq.sort, descending=eq.descending)
            ids = [r.id for r in rows]
            srcs = _source_links(conn, ids)
            snippets = queries.event_snippets(conn, ids)
    return render(request, "events.html", status=422 if eq.errors else 200, rows=rows,
                  total=total, offset=offset, page=PAGE, srcs=srcs, snippets=snippets,
                  snippet_parts=snippet_parts, form=eq.form, errors=eq.errors, sort=eq.sort,
                  descending=eq.descending, types=PLOVER_TYPES, factualities=FACTUALITY,
                  params=list(request.query_params.multi_items()),
                  api_query=eq.api_query())


def _quote_parts(sentence: queries.Quote, trigger: queries.Quote) -> tuple[str, str, str]:
    """The sentence split around its trigger: (before, trigger, after)."""
    a = max(0, min(len(sentence.text), trigger.start - sentence.start))
    b = max(a, min(len(sentence.text), trigger.end - sentence.start))
    return sentence.text[:a], sentence.text[a:b], sentence.text[b:]


@router.get("/events/{event_id}", summary="Event page")
def event_page(request: Request, event_id: Id) -> HTMLResponse:
    with reading(request) as conn:
        detail = queries.event_detail(conn, event_id)
    if detail is None:
        raise ApiError(404, f"There is no event {event_id}.")
    codes = [p.country for p in detail.event.participants if p.country]
    pairs = [(a, b) for i, a in enumerate(codes) for b in codes[i + 1:] if a != b]
    return render(request, "event.html", d=detail, e=detail.event, quote_parts=_quote_parts,
                  anchor_id=anchor_id, pairs=pairs,
                  quad_name=plover_table().quads.get(detail.event.quad_class, ""))


@router.get("/dyad", summary="Dyad page")
def dyad_page(request: Request, a: str = "", b: str = "", by: str = "month",
              factuality: Strs = []) -> HTMLResponse:  # noqa: B006
    a, b = _clean(a.strip()), _clean(b.strip())
    errors = [] if by in ("day", "week", "month") else [
        f"by: {by[:20]!r} is not day, week or month"]
    facts = _split(factuality)
    errors += [f"factuality: {f[:40]!r} is not one of {', '.join(FACTUALITY)}, any"
               for f in facts if f not in (*FACTUALITY, "any")]
    flt = EventFilter(factuality=factualities(facts))
    periods: list[queries.PeriodEvents] = []
    chart = None
    shown_by = by
    with reading(request) as conn:
        choices = cached(request, conn, ("choices", 300),
                         lambda: queries.participants_page(conn, limit=300)[0])
        pairs = cached(request, conn, ("top_dyads", 12, flt.factuality),
                       lambda: queries.top_dyads(conn, 12, flt)) if not (a and b) else []
        if a and b and not errors:
            records = list(queries.dyad_events(conn, a, b, flt=flt))
            periods = queries.periods_of(records, by)  # type: ignore[arg-type]
            # too many periods to draw one slot each: chart and list by a coarser one
            while (wider := coarser([p.row for p in periods], shown_by)) is not None:
                shown_by = wider
                periods = queries.periods_of(records, shown_by)  # type: ignore[arg-type]
    if periods:
        chart = dyad_chart([p.row for p in periods], shown_by,
                           title=f"{a} – {b}: events per {shown_by} and mean PLOVER score")
    return render(request, "dyad.html", status=422 if errors else 200, a=a, b=b, by=by,
                  shown_by=shown_by, periods=periods, chart=chart, errors=errors,
                  quads=QUADS, period_id=period_id, period_label=period_label,
                  choices=choices, pairs=pairs, factualities=FACTUALITY,
                  # about MAX_LISTED events in all below the chart, at least one a period
                  per_period=max(1, min(PER_PERIOD, MAX_LISTED // max(1, len(periods)))),
                  period_end=period_end,
                  factuality=list(flt.factuality) or ["any"])


# -- conflicts --------------------------------------------------------------------------

@dataclass(frozen=True)
class ConflictSide:
    article: queries.ArticleRow | None
    article_id: int
    start: int
    end: int
    segments: list[Any]
    href: str


@router.get("/conflicts", summary="Conflicts page")
def conflicts_list(request: Request, kind: Strs = [], actor: Strs = [],  # noqa: B006
                   scope: Strs = [], since: str | None = None,  # noqa: B006
                   until: str | None = None,
                   event: Annotated[IdValue | None, Query(ge=1, le=MAX_ID)] = None,
                   offset: Offset = 0) -> HTMLResponse:
    errors: list[str] = []
    kinds = _split(kind)
    scopes = _split(scope)
    errors += [f"scope: {x[:20]!r} is not document or reports" for x in scopes
               if x not in ("document", "reports")]
    actors = [_clean(x) for x in _split(actor)]
    d_since = form_date(since, "since", errors)
    d_until = form_date(until, "until", errors)
    flt = ConflictFilter(kinds=tuple(kinds), scopes=tuple(scopes), actors=tuple(actors),
                         since=d_since, until=d_until, event_id=event)
    items: list[tuple[queries.ConflictRecord, queries.EventRecord | None,
                      list[ConflictSide]]] = []
    total = 0
    with reading(request) as conn:
        all_kinds = queries.conflict_kinds(conn)
        if not errors:
            rows, total = queries.conflicts_page(conn, flt, limit=CONFLICT_PAGE,
                                                 offset=offset)
            ids = sorted({e["article_id"] for c in rows for e in c.evidence})
            docs = queries.documents(conn, ids)
            metas = queries.article_rows(conn, ids)
            events = {}
            for eid in sorted({c.event_id for c in rows if c.event_id is not None}):
                events[eid] = queries.event(conn, eid)
            for c in rows:
                sides = []
                for e in c.evidence:
                    doc = docs.get(e["article_id"])
                    sides.append(ConflictSide(
                        article=metas.get(e["article_id"]), article_id=e["article_id"],
                        start=e["start"], end=e["end"],
                        segments=window_segments(doc, e["start"], e["end"]) if doc else [],
                        href=f"/articles/{e['article_id']}#{anchor_id(e['start'], e['end'])}"))
                items.append((c, events.get(c.event_id) if c.event_id else None, sides))
    form = {"kind": kinds, "actor": ", ".join(actors), "scope": scopes,
            "since": since or "", "until": until or "", "event": event}
    return render(request, "conflicts.html", status=422 if errors else 200, items=items,
                  total=total, offset=offset, page=CONFLICT_PAGE, errors=errors, form=form,
                  kinds=all_kinds, params=list(request.query_params.multi_items()))


# -- actors -----------------------------------------------------------------------------

@router.get("/actors", summary="Actors page")
def actors_list(request: Request, q: str = "", offset: Offset = 0) -> HTMLResponse:
    q = _clean(q.strip())
    with reading(request) as conn:
        rows, total = queries.participants_page(conn, q=q or None, limit=PAGE, offset=offset)
    return render(request, "actors.html", rows=rows, total=total, offset=offset, page=PAGE,
                  q=q, params=list(request.query_params.multi_items()))


@router.get("/actors/{key:path}", summary="Actor page")
def actor_page(request: Request, key: str, factuality: Strs = []  # noqa: B006
               ) -> HTMLResponse:
    key = _clean(key)
    facts = [f for f in _split(factuality) if f in (*FACTUALITY, "any")]
    flt = EventFilter(factuality=factualities(facts))
    with reading(request) as conn:
        profile = queries.actor_profile(conn, key, flt=flt) if key else None
    if profile is None:
        raise ApiError(404, f"There is no participant {key!r}.")
    chart = None
    if profile.periods:
        rows = list(profile.periods)
        by = "month"
        chart = dyad_chart(rows, by, title=f"{profile.name}: events per month and mean "
                                           "PLOVER score")
    return render(request, "actor.html", p=profile, chart=chart, quads=QUADS,
                  factualities=FACTUALITY, factuality=list(flt.factuality) or ["any"])


# -- map ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class MapDot:
    point: queries.MapPoint
    x: float
    y: float
    r: float
    href: str


@router.get("/map", summary="Map of events")
def map_page(request: Request, eq: PageFilters) -> HTMLResponse:
    points: list[queries.MapPoint] = []
    if not eq.errors:
        with reading(request) as conn:
            points = queries.map_points(conn, eq.flt)
    top = max((p.events for p in points), default=1)
    dots = []
    # the largest last, so small points stay clickable on top of big ones
    for p in sorted(points, key=lambda p: -p.events):
        x, y = project(p.lat, p.lon)
        dots.append(MapDot(point=p, x=x, y=y, r=round(0.9 + 3.6 * (p.events / top) ** 0.5, 2),
                           href=url_with("/events", eq.params, place=p.name, offset=None)))
    return render(request, "map.html", status=422 if eq.errors else 200, dots=dots,
                  points=points, land=land_path(), width=MAP_WIDTH, height=MAP_HEIGHT,
                  form=eq.form, errors=eq.errors, types=PLOVER_TYPES,
                  factualities=FACTUALITY, quads=QUADS, api_query=eq.api_query(),
                  n_events=sum(p.events for p in points))


# -- API documentation ----------------------------------------------------------------

DOCS_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
            "frame-ancestors 'none'")


@router.get("/docs", summary="Interactive API documentation")
def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI from the package's own copy (no CDN). Swagger UI sets inline styles,
    so this one page allows them (scripts stay 'self' only)."""
    response = render(request, "docs.html")
    response.headers["Content-Security-Policy"] = DOCS_CSP
    return response


def _code_page(request: Request, status: int = 200, **context: Any) -> HTMLResponse:
    defaults: dict[str, Any] = {"text": "", "published": "", "title": "", "html": False,
                                "errors": [], "doc": None, "view": None, "doc_json": "",
                                "limit": MAX_CODE_CHARS,
                                "need_token": bool(request.app.state.token)}
    return render(request, "code.html", status=status, kinds=STYLED, **{**defaults, **context})


@router.get("/code", summary="Paste-and-code form")
def code_form(request: Request) -> HTMLResponse:
    return _code_page(request)


@router.post("/code", summary="Code pasted text (not stored)")
def code_submit(request: Request, text: Annotated[str, Form()] = "",
                published: Annotated[str, Form()] = "", title: Annotated[str, Form()] = "",
                html: Annotated[str, Form()] = "",
                token: Annotated[str, Form()] = "") -> HTMLResponse:
    form: dict[str, Any] = {"text": text, "published": published, "title": title,
                            "html": bool(html)}
    if not token_ok(request.app.state.token, token or None):
        return _code_page(request, 401, errors=["The API token is missing or wrong."],
                          **form)
    errors: list[str] = []
    day = form_date(published.strip(), "published", errors)
    if errors:
        return _code_page(request, 422, errors=errors, **form)
    try:
        doc: Document = code_pasted(text, published=day,
                                    title=title.strip() or None, html=bool(html))
    except InputTooLarge as exc:
        return _code_page(request, 413, errors=[exc.message], **{**form, "text": ""})
    except ParleyError as exc:
        return _code_page(request, 422, errors=[exc.message], **form)
    return _code_page(request, doc=doc, view=article_view(doc),
                      doc_json=json.dumps(doc.model_dump(mode="json"), indent=1,
                                          ensure_ascii=False), **form)
