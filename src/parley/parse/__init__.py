"""Parse: the offline spaCy pipeline over the codable text (same offsets as the text).

The ``parse`` stage assigns ``doc``. Batches go through ``nlp.pipe`` (``Parse.pipe``),
which is how spaCy is fastest; very long texts are parsed in pieces (``parse_long``).
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import replace

from parley.model import Work
from parley.parse.nlp import CHUNK_CHARS, get_nlp, parse_long


class Parse:
    name = "parse"
    requires: tuple[str, ...] = ("codable",)
    assigns: tuple[str, ...] = ("doc",)

    def __init__(self, *, batch_size: int = 32, n_process: int = 1):
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

        for doc in nlp.pipe(texts(), batch_size=self.batch_size, n_process=self.n_process):
            work = held.popleft()
            text = work.codable or ""
            if len(text) > CHUNK_CHARS:
                doc = parse_long(nlp, text)
            yield replace(work, doc=doc)


__all__ = ["Parse", "get_nlp", "parse_long"]
