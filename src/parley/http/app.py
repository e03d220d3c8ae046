"""The application factory behind ``parley serve``: the JSON API and the HTML pages.

``create_app(db_url)`` opens the store once (``parley.store.open_store``; a missing or
foreign database is a ``StoreError`` here, not at the first request) and serves:

- ``/api/...``: the JSON API (``parley.http.api``), described by ``/openapi.json``;
- ``/``, ``/events``, ``/conflicts``, ``/actors``, ``/map``, ``/dyad``, ``/articles``,
  ``/code``: the pages (``parley.http.pages``);
- ``/docs``: Swagger UI over ``/openapi.json``, from the package's own copy (no CDN);
- ``/static/...``: their CSS, JS, the map outline and Swagger UI's files.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from parley import __version__
from parley.http.cache import AggregateCache
from parley.http.errors import install_handlers
from parley.http.security import MAX_BODY_BYTES, BodyLimit, SecurityHeaders, TokenGuard
from parley.store.db import open_store


def create_app(db_url: str | None = None) -> FastAPI:
    """The Parley web app over the store at ``db_url`` (else ``$PARLEY_DB``, else
    ``./parley.db``). With ``PARLEY_TOKEN`` set when it is created, POST requests need
    that token."""
    from parley.http.api import router as api_router
    from parley.http.pages import render_error
    from parley.http.pages import router as web_router

    store = open_store(db_url, create=False)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(title="Parley", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json",
                  description="Political events coded from news reports (PLOVER), every "
                              "fact tied to the words it rests on.")
    app.state.store = store
    app.state.token = os.environ.get("PARLEY_TOKEN") or None
    app.state.cache = AggregateCache()
    app.include_router(api_router, prefix="/api", tags=["api"])
    app.include_router(web_router)
    app.mount("/static", StaticFiles(packages=[("parley.http", "static")]), name="static")
    install_handlers(app, render_error)
    # the last added runs first: the headers go on every answer, the 413 of the limit too
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    # the token before the body: a POST without it is refused before a byte is read
    app.add_middleware(TokenGuard, token=app.state.token)
    app.add_middleware(SecurityHeaders)
    return app
