"""Coding a pasted report for ``POST /api/code`` and the ``/code`` page (never stored)."""

from __future__ import annotations

import threading
from datetime import date

from parley.errors import InputTooLarge, InputUnreadable
from parley.http.schemas import MAX_CODE_CHARS
from parley.model import Document

# spaCy pipelines are not documented as thread-safe; requests run in a thread pool, so
# one coder at a time (coding is CPU-bound under the GIL anyway)
_CODER = threading.Lock()


def code_pasted(text: str, *, published: date | None = None, title: str | None = None,
                html: bool = False) -> Document:
    """Code ``text`` (or the main text of an HTML page) with the real pipeline.

    Raises ``InputTooLarge`` over ``MAX_CODE_CHARS`` characters and the readers'
    ``ParleyError`` for empty or unreadable input.
    """
    from parley.ingest.readers import article_from_html, article_from_text
    from parley.pipeline import code_article

    if len(text) > MAX_CODE_CHARS:
        raise InputTooLarge(f"text is {len(text):,} characters, over the limit of "
                            f"{MAX_CODE_CHARS:,}", source="<pasted>")
    if "\x00" in text:
        raise InputUnreadable("text contains NUL characters", source="<pasted>")
    if html:
        article = article_from_html(text, source="<pasted>", published=published,
                                    title=title or None)
    else:
        article = article_from_text(text, source="<pasted>", published=published,
                                    title=title or None)
    with _CODER:
        return code_article(article)

