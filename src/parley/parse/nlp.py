"""Load the pinned English spaCy pipeline and parse articles.

The text handed to spaCy has exactly the article's length: removed boilerplate is
blanked with spaces so every token offset is an offset into ``Document.text``.
Paragraph breaks start a new sentence; without this, a one-line "Also Read: ..."
or a headline gets glued to the next sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from parley.errors import ModelUnavailable
from parley.model import Removed
from parley.settings import load_settings

_DISABLE: tuple[str, ...] = ()


@lru_cache(maxsize=2)
def get_nlp(name: str | None = None):  # -> spacy.Language
    import spacy
    from spacy.language import Language

    name = name or load_settings().spacy_model
    try:
        nlp = spacy.load(name, disable=list(_DISABLE))
    except OSError as exc:
        raise ModelUnavailable(
            f"spaCy pipeline {name!r} is not installed ({exc}); run `make install`",
            source=name,
        ) from None

    if not Language.has_factory("parley_paragraphs"):

        @Language.component("parley_paragraphs")
        def paragraphs(doc):
            for tok in doc[1:]:
                if "\n" in doc[tok.i - 1].text:
                    tok.is_sent_start = True
            return doc

    nlp.add_pipe("parley_paragraphs", before="parser")
    return nlp


def codable_text(text: str, removed: Sequence[Removed]) -> str:
    """The article text with removed spans blanked out (same length, same offsets)."""
    if not removed:
        return text
    chars = list(text)
    for r in removed:
        for i in range(r.start, r.end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def parse_article(text: str, removed: Sequence[Removed] = ()):
    return get_nlp()(codable_text(text, removed))


def pipe_articles(items: Iterable[tuple[str, Sequence[Removed]]], *, batch_size: int = 16,
                  n_process: int = 1) -> Iterator:
    nlp = get_nlp()
    texts = (codable_text(t, r) for t, r in items)
    yield from nlp.pipe(texts, batch_size=batch_size, n_process=n_process)
