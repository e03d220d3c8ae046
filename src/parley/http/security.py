"""Security settings of the server: headers, the request-size limit and the API token.

- Every response carries a Content-Security-Policy that allows scripts, styles and
  images from the server itself only: no inline script runs (the pages' data travels in
  ``<script type="application/json">`` blocks, which browsers never execute), nothing
  loads from elsewhere, the pages cannot be framed.
- A request body over ``MAX_BODY_BYTES`` is refused with 413 before any handler reads it.
- With ``PARLEY_TOKEN`` set, POST requests to the API need ``Authorization: Bearer
  <token>``, checked by ``TokenGuard`` before any byte of the body is read (so a request
  without the token gets 401 whatever its body); the paste-and-code form sends the token
  as a field. Tokens are compared in constant time.
"""

from __future__ import annotations

import hmac
import json

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from parley.http.errors import error_body

MAX_BODY_BYTES = 1_048_576  # 1 MiB

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def token_ok(expected: str | None, given: str | None) -> bool:
    """Is ``given`` the configured token? Always true when none is configured."""
    if not expected:
        return True
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def bearer(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header."""
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


class SecurityHeaders:
    """Add ``HEADERS`` to every HTTP response (a handler's own value wins)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413.

    A declared ``Content-Length`` over the limit is refused at once; otherwise the body
    is read here (up to the limit) and replayed to the application, so a chunked upload
    that never declares its size is cut off too.
    """

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES):
        self.app = app
        self.limit = limit

    async def _refuse(self, scope: Scope, send: Send, status: int, message: str) -> None:
        path = scope.get("path", "")
        if path.startswith("/api"):
            body = json.dumps(error_body(status, "too_large" if status == 413
                                         else "bad_request", message)).encode()
            kind = b"application/json"
        else:
            body = (f"<!doctype html><title>{status}</title><p>{message}</p>").encode()
            kind = b"text/html; charset=utf-8"
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", kind),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_big = f"request body over the limit of {self.limit:,} bytes"
        declared = Headers(scope=scope).get("content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await self._refuse(scope, send, 400, "invalid Content-Length")
                return
            if int(declared) > self.limit:
                await self._refuse(scope, send, 413, too_big)
                return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await self._refuse(scope, send, 413, too_big)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class TokenGuard:
    """With a token configured, refuse a POST under ``/api/`` that lacks it with 401,
    before the body is read or validated (``api.require_token`` checks again, and puts
    the scheme in the OpenAPI document)."""

    def __init__(self, app: ASGIApp, token: str | None):
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (self.token and scope["type"] == "http" and scope.get("method") == "POST"
                and scope.get("path", "").startswith("/api/")):
            given = bearer(Headers(scope=scope).get("authorization"))
            if not token_ok(self.token, given):
                message = "missing or wrong API token (Authorization: Bearer <token>)"
                body = json.dumps(error_body(401, "unauthorized", message)).encode()
                await send({"type": "http.response.start", "status": 401,
                            "headers": [(b"content-type", b"application/json"),
                                        (b"content-length", str(len(body)).encode()),
                                        (b"www-authenticate", b"Bearer")]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
