"""Parley: political event data from news reports, every fact tied to its evidence."""

from __future__ import annotations

from datetime import date

from parley.model import Article, Document

__version__ = "0.1.0"


def code_text(text: str, *, published: str | date | None = None, title: str | None = None,
              id: str | None = None, min_confidence: float | None = None) -> Document:
    """Code a plain-text report: the one-call library entry point. ``min_confidence``
    overrides the shipped confidence floor (``PARLEY_MIN_CONFIDENCE``, else the models')."""
    from parley.ingest import article_from_text
    from parley.ingest.dates import parse_date

    return _code(article_from_text(text, source="<text>", id=id,
                                   published=parse_date(published), title=title),
                 min_confidence)


def _code(article: Article, min_confidence: float | None = None) -> Document:
    from parley.pipeline import code_article

    return code_article(article, min_confidence=min_confidence)


__all__ = ["Article", "Document", "code_text", "__version__"]
