"""Parse: the offline spaCy pipeline over the codable text (same offsets as the text).

The ``parse`` stage assigns ``doc``. Batches go through ``nlp.pipe`` (``Parse.pipe``),
which is how spaCy is fastest; very long texts are parsed in pieces (``parse_long``).
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from parley.model import Work
from parley.parse.nlp import CHUNK_CHARS, get_nlp, parse_long

# Texts per spaCy batch (``nlp.pipe``). Memory grows with it and speed does not: on the
# 89 VOA stories (about 700 words each), spaCy alone reached a peak of 605 MB at 32 and
# Parley 680 MB, against 372 MB for Parley at 8, at the same articles per second within
# noise at 1, 4, 8 and 32 (docs/performance.md).
BATCH_SIZE = 8
# ... and at most this many characters per batch, so a batch of long texts (or of the
# pieces of one very long text, parley.pieces) stays bounded in memory too.
BATCH_CHARS = 60_000


class Parse:
    name = "parse"
    requires: tuple[str, ...] = ("codable",)
    assigns: tuple[str, ...] = ("doc",)

    def __init__(self, *, batch_size: int = BATCH_SIZE, n_process: int = 1):
        self.batch_size = batch_size
        self.n_process = n_process

    def __call__(self, work: Work) -> Work:
        nlp = get_nlp(work.knowledge.settings.spacy_model)
        return replace(work, doc=parse_long(nlp, work.codable or ""))

    def pipe(self, works: Iterable[Work]) -> Iterator[Work]:
        """Parse many texts with spaCy batching, in input order."""
        it = iter(works)
        first = next(it, None)
        if first is None:
            return
        # one pipe codes with one pipeline, hence one model
        nlp = get_nlp(first.knowledge.settings.spacy_model)
        held: deque[Work] = deque()

        def texts() -> Iterator[str]:
            for w in itertools.chain([first], it):
                held.append(w)
                text = w.codable or ""
                # very long texts are parsed separately, in pieces (see parse_long)
                yield text if len(text) <= CHUNK_CHARS else ""

        if self.n_process > 1:  # spaCy's worker processes take the whole stream
            for doc in nlp.pipe(texts(), batch_size=self.batch_size,
                                n_process=self.n_process):
                yield self._parsed(nlp, held.popleft(), doc)
            return
        for group in _batches(texts(), self.batch_size, BATCH_CHARS):
            for doc in nlp.pipe(group, batch_size=len(group)):
                yield self._parsed(nlp, held.popleft(), doc)

    @staticmethod
    def _parsed(nlp: Any, work: Work, doc: Any) -> Work:
        text = work.codable or ""
        if len(text) > CHUNK_CHARS:
            doc = parse_long(nlp, text)
        return replace(work, doc=doc)


def _batches(texts: Iterable[str], size: int, chars: int) -> Iterator[list[str]]:
    """Texts in groups of at most ``size`` texts and (unless one text is longer)
    ``chars`` characters."""
    group: list[str] = []
    total = 0
    for text in texts:
        if group and (len(group) >= size or total + len(text) > chars):
            yield group
            group, total = [], 0
        group.append(text)
        total += len(text)
    if group:
        yield group


__all__ = ["BATCH_CHARS", "BATCH_SIZE", "Parse", "get_nlp", "parse_long"]
