"""API errors: one JSON shape, ``{"error": code, "message": text, "detail": [...]}``.

``detail`` is always a list of ``{"loc": [...], "msg": text, "type": code}``: one entry
per invalid field for a 422, one entry naming the request part for every other error
(``["path"]`` for a 404, ``["method"]`` for a 405, ``["body"]`` for a 413, ``["header",
"authorization"]`` for a 401), so a client reads every error the same way.

Route handlers raise ``ApiError``; ``install_handlers`` turns it, FastAPI's validation
errors and Starlette's HTTP errors into that shape for ``/api`` and into the HTML error
page for the web views. A ``ParleyError`` from coding keeps its own code (E002, ...).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from parley.errors import (
    ExtraMissing,
    InputTooLarge,
    KnowledgeError,
    ModelUnavailable,
    ParleyError,
)

log = logging.getLogger("parley.http")

_STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type",
                 422: "invalid_request", 503: "unavailable"}


# the request part an error is about, by status (the ``loc`` of its one detail entry)
_LOCS = {401: ["header", "authorization"], 404: ["path"], 405: ["method"], 413: ["body"],
         400: ["header", "content-length"]}


def error_detail(status: int, error: str, message: str,
                 loc: list[str] | None = None) -> list[dict[str, Any]]:
    """The one-entry ``detail`` of an error that is not a field validation."""
    return [{"loc": loc if loc is not None else _LOCS.get(status, []), "msg": message,
             "type": error}]


def error_body(status: int, error: str, message: str,
               detail: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The JSON body of every API error (the middleware's 401/413 use it too)."""
    return {"error": error, "message": message,
            "detail": detail if detail is not None else error_detail(status, error, message)}


class ApiError(Exception):
    def __init__(self, status: int, message: str, *, error: str | None = None,
                 headers: dict[str, str] | None = None, loc: list[str] | None = None):
        super().__init__(message)
        self.status = status
        self.error = error or _STATUS_CODES.get(status, "error")
        self.message = message
        self.headers = headers
        self.loc = loc


def from_parley(exc: ParleyError) -> ApiError:
    """The HTTP answer to a coding error: too large 413, no model 503, an optional
    feature whose extra is not installed 501, else 422."""
    if isinstance(exc, InputTooLarge):
        status = 413
    elif isinstance(exc, ExtraMissing):
        status = 501
    elif isinstance(exc, ModelUnavailable | KnowledgeError):
        status = 503
    else:
        status = 422
    return ApiError(status, exc.message, error=exc.code)


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path == "/api" or path.startswith("/api/") or path == "/openapi.json"


def _loc(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(p) for p in loc)


def validation_message(errors: list[dict[str, Any]]) -> str:
    """One readable line: 'query.since: not a date (YYYY-MM-DD); ...'."""
    parts = []
    for e in errors[:5]:
        msg = str(e.get("msg", "invalid"))
        msg = msg.removeprefix("Value error, ")
        parts.append(f"{_loc(e.get('loc', ()))}: {msg}")
    if len(errors) > 5:
        parts.append(f"... {len(errors) - 5} more")
    return "; ".join(parts)


def _json(status: int, error: str, message: str, detail: list | None = None,
          headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, error, message, detail), status_code=status,
                        headers=headers)


def install_handlers(app: FastAPI, render_error) -> None:
    """``render_error(request, status, title, message) -> Response`` draws HTML errors."""

    def answer(request: Request, status: int, error: str, message: str,
               detail: list | None = None, headers: dict[str, str] | None = None) -> Response:
        if wants_json(request):
            return _json(status, error, message, detail, headers)
        response = render_error(request, status, message)
        if headers:
            response.headers.update(headers)
        return response

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        detail = error_detail(exc.status, exc.error, exc.message, exc.loc)
        return answer(request, exc.status, exc.error, exc.message, detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = list(exc.errors())
        detail = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")),
                   "type": str(e.get("type", ""))} for e in errors]
        return answer(request, 422, "invalid_request", validation_message(errors), detail)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path[:200]}"
        elif exc.status_code == 405 and message == "Method Not Allowed":
            message = f"{request.method} is not allowed on {request.url.path[:200]}"
        return answer(request, exc.status_code, _STATUS_CODES.get(exc.status_code, "error"),
                      message, headers=dict(exc.headers) if exc.headers else None)

    @app.exception_handler(DBAPIError)
    async def _db(request: Request, exc: DBAPIError) -> Response:
        log.error("database error on %s: %s", request.url.path, exc.orig)
        return answer(request, 503, "unavailable", "the database is unavailable")

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        # a bug: log the traceback, never send it
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return answer(request, 500, "internal_error", "internal error (see the server log)")
