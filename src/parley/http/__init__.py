"""HTTP: the JSON API (``http.api``) and the HTML pages (``http.pages``) as one app.

Both are thin views over ``parley.store.queries``; ``create_app`` assembles them with
the security middleware and error handlers.
"""

from __future__ import annotations

from parley.http.app import create_app

__all__ = ["create_app"]
