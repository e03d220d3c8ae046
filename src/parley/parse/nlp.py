"""Load the pinned English spaCy pipeline and parse articles.

The text handed to spaCy has exactly the article's length: removed boilerplate is
blanked with spaces so every token offset is an offset into ``Document.text``.
Paragraph breaks start a new sentence; without this, a one-line "Also Read: ..."
or a headline gets glued to the next sentence.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path
from typing import Any


def _defer_spacy_cli() -> None:
    """Let ``import spacy`` skip its command-line package until something uses it.

    ``spacy/__init__.py`` imports ``spacy.cli.info`` for ``spacy.info``, and with it the
    whole of ``spacy.cli`` (typer, weasel, httpx, jinja2, rich, ...): about 0.4 s of every
    cold ``parley code`` (docs/performance.md), for commands Parley never runs. Before
    spaCy is first imported, ``spacy.cli`` and ``spacy.cli.info`` are put in
    ``sys.modules`` as stand-ins: the package keeps its real folder as ``__path__`` (so
    ``import spacy.cli.train`` works as before), and the first attribute read from it,
    or a call of ``spacy.info``, imports the real package in their place.
    """
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        return
    spec = importlib.util.find_spec("spacy")
    if spec is None or spec.origin is None:
        return
    folder = Path(spec.origin).parent / "cli"
    if not (folder / "__init__.py").is_file():
        return

    def real() -> types.ModuleType:
        if isinstance(sys.modules.get("spacy.cli"), _Deferred):
            del sys.modules["spacy.cli"]
        if isinstance(sys.modules.get("spacy.cli.info"), _Deferred):
            del sys.modules["spacy.cli.info"]
        module = importlib.import_module("spacy.cli")
        spacy = sys.modules.get("spacy")
        if spacy is not None:
            spacy.cli = module  # type: ignore[attr-defined]
        return module

    class _Deferred(types.ModuleType):
        def __getattr__(self, name: str) -> Any:
            if name.startswith("__"):
                raise AttributeError(name)
            module = real() if self.__name__ == "spacy.cli" else \
                importlib.import_module("spacy.cli.info")
            return getattr(module, name)

    def info(*args: Any, **kwargs: Any) -> Any:
        real()
        return importlib.import_module("spacy.cli.info").info(*args, **kwargs)

    cli = _Deferred("spacy.cli")
    cli.__path__ = [str(folder)]
    cli.__package__ = "spacy.cli"
    stub = _Deferred("spacy.cli.info")
    stub.__package__ = "spacy.cli"
    stub.info = info  # type: ignore[attr-defined]
    sys.modules["spacy.cli"] = cli
    sys.modules["spacy.cli.info"] = stub


def _grouped_entry_points() -> None:
    """Let spaCy's registries find entry points by a dict lookup.

    ``catalogue`` (the registries behind ``spacy.load``) asks the installed entry points
    for its group with ``EntryPoints.select``, which walks every entry point of every
    installed package: about 250 times per ``spacy.load``, 0.05 s of a cold ``parley
    code``. The same entry points grouped once into a dict, catalogue's other supported
    form of ``AVAILABLE_ENTRY_POINTS``, give it the same answers.
    """
    import catalogue

    found = catalogue.AVAILABLE_ENTRY_POINTS
    if hasattr(found, "select") and isinstance(found, dict):  # SelectableGroups
        catalogue.AVAILABLE_ENTRY_POINTS = dict(dict.items(found))


BARE_TOKENIZER = "parley.bare_tokenizer"


def _bare_tokenizer() -> dict:
    """The config override that builds the pipeline with a tokenizer holding no rules.

    ``spacy.load`` first builds the language's default tokenizer (its 2,700 special
    cases, prefix, suffix and infix rules) and then replaces all of it with the
    tokenizer saved in the model folder: the first build is 0.06-0.1 s thrown away on
    every cold start. A bare ``Tokenizer`` filled from the same folder is the saved
    tokenizer, byte for byte (tests/parse/test_model.py).
    """
    import spacy
    from spacy.tokenizer import Tokenizer

    if BARE_TOKENIZER not in spacy.registry.tokenizers:

        def make_bare() -> Any:
            def create(nlp: Any) -> Any:
                return Tokenizer(nlp.vocab)

            return create

        spacy.registry.tokenizers.register(BARE_TOKENIZER, func=make_bare)
    return {"nlp": {"tokenizer": {"@tokenizers": BARE_TOKENIZER}}}


@lru_cache(maxsize=2)
def get_nlp(name: str) -> Any:  # spacy.Language
    """The pinned spaCy pipeline (loaded once per process and name)."""
    _defer_spacy_cli()
    import spacy
    from spacy.language import Language

    from parley.errors import ModelUnavailable

    _grouped_entry_points()
    try:
        nlp = spacy.load(name, config=_bare_tokenizer())
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


def sentence_number(tok) -> tuple[list, int]:
    """The Doc's sentences and the number of the token's one, from a per-Doc index
    (``Token.sent`` rescans the Doc)."""
    doc = tok.doc
    index = doc.user_data.get("parley_sents")
    if index is None:
        sents = list(doc.sents)
        by_token = [0] * len(doc)
        for k, sent in enumerate(sents):
            for i in range(sent.start, sent.end):
                by_token[i] = k
        index = (sents, by_token)
        doc.user_data["parley_sents"] = index
    sents, by_token = index
    return sents, by_token[tok.i]


def sentence_of(tok):
    """The sentence of a token (``sentence_number``'s index)."""
    sents, k = sentence_number(tok)
    return sents[k]


QUOTES = "\"“”"


def in_quotes(tok, sent=None) -> bool:
    """Is the token inside quotation marks of its sentence (an odd number of quotation
    marks before it)?"""
    sent = sent if sent is not None else sentence_of(tok)
    before = sent.text[: tok.idx - sent.start_char]
    return sum(before.count(q) for q in QUOTES) % 2 == 1


def entity_of(tok):
    """The named-entity span containing a token, or None (per-Doc index)."""
    doc = tok.doc
    index = doc.user_data.get("parley_ents")
    if index is None:
        index = {}
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                index[i] = ent
        doc.user_data["parley_ents"] = index
    return index.get(tok.i)


def entities_in(span, labels: frozenset[str]) -> list:
    """Named entities with one of ``labels`` inside ``span`` (``Span.ents`` rescans the Doc)."""
    doc = span.doc
    ents = doc.user_data.get("parley_ent_list")
    if ents is None:
        ents = list(doc.ents)
        doc.user_data["parley_ent_list"] = ents
    starts = doc.user_data.get("parley_ent_starts")
    if starts is None:
        starts = [e.start for e in ents]
        doc.user_data["parley_ent_starts"] = starts
    out = []
    for ent in ents[bisect_left(starts, span.start):]:
        if ent.start >= span.end:
            break
        if ent.end <= span.end and ent.label_ in labels:
            out.append(ent)
    return out


# spaCy's parser needs about 1 GB of working memory per 100,000 characters of one Doc;
# longer texts are parsed in pieces cut at line breaks (or spaces) and joined again.
CHUNK_CHARS = 50_000


def split_points(text: str, limit: int = CHUNK_CHARS) -> list[int]:
    """Where to cut ``text`` so that no piece is longer than ``limit``: after the last
    line break of the window, else after its last sentence end (". "), else at its last
    space, else at the limit, never in the window's first quarter."""
    cuts: list[int] = []
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = window.rfind("\n") + 1
        if cut < limit // 4:
            cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! ")) + 2
        if cut < limit // 4:
            cut = window.rfind(" ") + 1
        if cut < limit // 4:
            cut = limit
        start += cut
        cuts.append(start)
    return cuts


def parse_long(nlp: Any, text: str) -> Any:
    """Parse a text of any length into one Doc whose offsets are the text's offsets."""
    from spacy.tokens import Doc

    if len(text) <= CHUNK_CHARS:
        return nlp(text)
    bounds = [0, *split_points(text), len(text)]
    pieces = [text[a:b] for a, b in zip(bounds, bounds[1:])]
    doc = Doc.from_docs(list(nlp.pipe(pieces)), ensure_whitespace=False)
    assert doc.text == text
    return doc
