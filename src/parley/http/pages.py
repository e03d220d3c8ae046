"""The HTML pages: each reads through ``parley.store.queries`` and renders a template.

Form and filter input is parsed here, by hand, so a bad value comes back as the same
page with the message next to the form (status 422) instead of a bare error.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse

from parley.errors import InputTooLarge, ParleyError
from parley.http.api import reading
from parley.http.chart import QUADS, dyad_chart, period_id, period_label
from parley.http.coding import code_pasted
from parley.http.errors import ApiError
from parley.http.highlight import STYLED, anchor_id, article_view
from parley.http.schemas import MAX_CODE_CHARS, MAX_ID, MAX_OFFSET
from parley.http.security import token_ok
from parley.http.templating import templates
from parley.ingest.dates import parse_date
from parley.knowledge import plover_table
from parley.model import FACTUALITIES, PLOVER_TYPES, Document
from parley.store import queries
from parley.store.queries import EVENT_SORTS, EventFilter

router = APIRouter(default_response_class=HTMLResponse, tags=["html"])

FACTUALITY = FACTUALITIES
PAGE = 50
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Strs = Annotated[list[str], Query()]


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


def _split(values: list[str]) -> list[str]:
    """Repeated parameters, each also split on commas ("USA, CHN")."""
    return [p.strip() for v in values for p in v.split(",") if p.strip()]


def _clean(value: str, limit: int = 200) -> str:
    return value.replace("\x00", "")[:limit]


@router.get("/", summary="Overview")
def index(request: Request) -> HTMLResponse:
    with reading(request) as conn:
        counts = queries.counts(conn)
        recent, _ = queries.articles_page(conn, limit=10, newest_first=True)
        dyads = queries.top_dyads(conn, 10)
        _, n_actors = queries.participants_page(conn, limit=1)
    return render(request, "index.html", counts=counts, recent=recent, dyads=dyads,
                  n_actors=n_actors)


@router.get("/articles", summary="Stored articles")
def articles_list(request: Request, offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0
                  ) -> HTMLResponse:
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
        titles = {}
        for other in others:
            row = queries.article(conn, other)
            if row is not None:
                titles[other] = row.title or row.doc_id
    view = article_view(doc, article_id=article_id, stored=stored, titles=titles,
                        texts=texts, fused=fused)
    return render(request, "article.html", meta=meta, doc=doc, view=view, kinds=STYLED)


def _event_query(request: Request, actor: list[str], type: list[str], since: str | None,
                 until: str | None, factuality: list[str], sort: str | None,
                 dir: str | None) -> tuple[EventFilter, str, bool, dict[str, Any], list[str]]:
    errors: list[str] = []
    actors = [_clean(a) for a in _split(actor)]
    types = [t.upper() for t in _split(type)]
    for t in types:
        if t not in PLOVER_TYPES:
            errors.append(f"type: {t[:40]!r} is not a PLOVER type")
    facts = _split(factuality)
    for f in facts:
        if f not in FACTUALITY:
            errors.append(f"factuality: {f[:40]!r} is not one of {', '.join(FACTUALITY)}")
    d_since = form_date(since, "since", errors)
    d_until = form_date(until, "until", errors)
    sort_key = sort if sort in EVENT_SORTS else "date"
    descending = dir == "desc"
    form = {"actor": ", ".join(actors), "type": types, "since": since or "",
            "until": until or "", "factuality": facts}
    flt = EventFilter(actors=tuple(actors), types=tuple(t for t in types if t in PLOVER_TYPES),
                      since=d_since, until=d_until,
                      factuality=tuple(f for f in facts if f in FACTUALITY))
    return flt, sort_key, descending, form, errors


@router.get("/events", summary="Events table")
def events_table(request: Request, actor: Strs = [], type: Strs = [],  # noqa: B006
                 since: str | None = None, until: str | None = None,
                 factuality: Strs = [], sort: str | None = None,  # noqa: B006
                 dir: str | None = None,
                 offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> HTMLResponse:
    flt, sort_key, descending, form, errors = _event_query(
        request, actor, type, since, until, factuality, sort, dir)
    rows: list[queries.EventRecord] = []
    total = 0
    srcs: dict[int, list[tuple[int, str]]] = {}
    if not errors:
        with reading(request) as conn:
            rows, total = queries.events_page(conn, flt, limit=PAGE, offset=offset,
                                              sort=sort_key, descending=descending)
            for eid, items in queries.sources(conn, [r.id for r in rows]).items():
                seen: dict[int, str] = {}
                for item in items:
                    seen.setdefault(item["article_id"], item["title"] or item["doc_id"])
                srcs[eid] = list(seen.items())
    return render(request, "events.html", status=422 if errors else 200, rows=rows,
                  total=total, offset=offset, page=PAGE, srcs=srcs, form=form, errors=errors,
                  sort=sort_key, descending=descending, types=PLOVER_TYPES,
                  factualities=FACTUALITY, params=list(request.query_params.multi_items()))


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
def dyad_page(request: Request, a: str = "", b: str = "", by: str = "month") -> HTMLResponse:
    a, b = _clean(a.strip()), _clean(b.strip())
    errors = [] if by in ("day", "week", "month") else [
        f"by: {by[:20]!r} is not day, week or month"]
    periods: list[queries.PeriodEvents] = []
    chart = None
    if a and b and not errors:
        with reading(request) as conn:
            periods = queries.dyad_periods(conn, a, b, by=by)  # type: ignore[arg-type]
        if periods:
            chart = dyad_chart([p.row for p in periods], by,
                               title=f"{a} – {b}: events per {by} and mean PLOVER score")
    return render(request, "dyad.html", status=422 if errors else 200, a=a, b=b, by=by,
                  periods=periods, chart=chart, errors=errors, quads=QUADS,
                  period_id=period_id, period_label=period_label)


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
