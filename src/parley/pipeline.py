"""The coding pipeline: ordered stages over one ``Work`` record, ``Article -> Document``.

Default stages, in data-flow order (``docs/design.md`` has the full table):

  clean    boilerplate lines and the dateline        -> removed, dateline, codable
  parse    spaCy over the codable text (same offsets) -> doc
  actors   knowledge-base and named-entity mentions   -> actors
  extract  triggers, participants, factuality         -> candidates
  dates    the date expression of each candidate      -> dates
  places   the place of each candidate                -> places
  link     learned argument linking                    -> links
  score    learned event, factuality and timing models -> scores
  fuse     one event per real-world event; conflicts  -> document

A stage is any object with ``name``, ``requires``, ``assigns`` and
``__call__(work) -> work`` that returns a new record (``dataclasses.replace``); it may
also offer ``pipe(works)`` for batches. ``Pipeline`` checks when built that every
stage's requirements are assigned by an earlier one. ``code_article`` is the library
function; the CLI, the HTTP API and the batch runners call it (or ``code_articles``).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol, runtime_checkable

from parley.errors import CodingFailed, ParleyError, PipelineError
from parley.knowledge import Knowledge, default_knowledge
from parley.model import Article, Document, Work
from parley.parse import BATCH_SIZE

# What a Work record holds before any stage runs.
INITIAL: tuple[str, ...] = ("article", "knowledge")


@runtime_checkable
class Stage(Protocol):
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, work: Work) -> Work: ...


def default_stages(*, batch_size: int = BATCH_SIZE, n_process: int = 1,
                   min_confidence: float | None = None) -> list[Stage]:
    from parley.actors import Actors
    from parley.clean import Clean
    from parley.extract import Extract
    from parley.fuse.document import Fuse
    from parley.learn.coder import Link, Score
    from parley.parse import Parse
    from parley.resolve import Dates, Places

    return [Clean(), Parse(batch_size=batch_size, n_process=n_process), Actors(), Extract(),
            Dates(), Places(), Link(), Score(), Fuse(min_confidence=min_confidence)]


class Pipeline:
    """Stages run in order over one ``Work`` record per article."""

    def __init__(self, stages: Sequence[Stage] | None = None,
                 knowledge: Knowledge | None = None):
        self.stages = list(stages) if stages is not None else default_stages()
        self.knowledge = knowledge or default_knowledge()
        self._check()

    def _check(self) -> None:
        have = set(INITIAL)
        names: set[str] = set()
        for stage in self.stages:
            if not isinstance(stage, Stage):
                raise PipelineError(f"{stage!r} is not a stage (name, requires, assigns, "
                                    "__call__)")
            if stage.name in names:
                raise PipelineError(f"two stages are named {stage.name!r}")
            names.add(stage.name)
            missing = [r for r in stage.requires if r not in have]
            if missing:
                raise PipelineError(f"stage {stage.name!r} requires {', '.join(missing)}, "
                                    "which no earlier stage assigns")
            have.update(stage.assigns)
        if "document" not in have:
            raise PipelineError("no stage assigns the document")

    def replace(self, name: str, stage: Stage) -> Pipeline:
        """A new pipeline with the stage called ``name`` replaced by ``stage``."""
        if all(s.name != name for s in self.stages):
            raise PipelineError(f"no stage named {name!r}")
        return Pipeline([stage if s.name == name else s for s in self.stages], self.knowledge)

    def start(self, article: Article) -> Work:
        return Work(article=article, knowledge=self.knowledge)

    def _cut(self) -> int:
        """How many stages run on the whole text before a long one is cut into pieces:
        up to the one that assigns the codable text (``clean``); 0 = never cut."""
        for i, stage in enumerate(self.stages):
            if "codable" in stage.assigns:
                return i + 1
        return 0

    def run(self, article: Article) -> Document:
        return next(self.pipe([article]))

    def pipe(self, articles: Iterable[Article]) -> Iterator[Document]:
        """Code many articles in input order; stages with a ``pipe`` method (the parser)
        see the whole stream, so spaCy can batch. A text longer than
        ``max_piece_chars`` goes through the stages after cleaning in pieces
        (``parley.pieces``) and comes out as one document."""
        from collections import deque

        from parley import pieces

        cut = self._cut()
        limit = self.knowledge.settings.max_piece_chars
        works: Iterable[Work] = (self.start(a) for a in articles)
        for stage in self.stages[:cut]:
            works = _through(stage, works)
        whole: deque[tuple[Work, list[int]]] = deque()

        def split(items: Iterable[Work]) -> Iterator[Work]:
            for w in items:
                parts = pieces.split(w, limit)
                whole.append((w, [offset for offset, _ in parts]))
                yield from (part for _, part in parts)

        if cut:
            works = split(works)
        for stage in self.stages[cut:]:
            works = _through(stage, works)
        it = iter(works)
        for work in it:
            if not cut:  # no stage cleans: nothing to cut at
                yield _document(work)
                continue
            original, offsets = whole.popleft()
            docs = [_document(work)]
            docs += [_document(next(it)) for _ in offsets[1:]]
            yield pieces.merge(original, list(zip(offsets, docs, strict=True)))


def _through(stage: Stage, works: Iterable[Work]) -> Iterator[Work]:
    batch = getattr(stage, "pipe", None)
    if batch is not None:
        yield from batch(works)
    else:
        for w in works:
            yield stage(w)


def _document(work: Work) -> Document:
    if work.document is None:
        raise PipelineError("the pipeline ended without a document")
    return work.document


# the default pipeline for each knowledge (one per distinct settings) and options
_default: dict[tuple[Knowledge, int, int, float | None], Pipeline] = {}


def default_pipeline(batch_size: int = BATCH_SIZE, n_process: int = 1,
                     min_confidence: float | None = None) -> Pipeline:
    knowledge = default_knowledge()
    key = (knowledge, batch_size, n_process, min_confidence)
    if key not in _default:
        _default[key] = Pipeline(default_stages(batch_size=batch_size, n_process=n_process,
                                                min_confidence=min_confidence), knowledge)
    return _default[key]


def code_article(article: Article, *, pipeline: Pipeline | None = None,
                 min_confidence: float | None = None) -> Document:
    """Code one article into the document contract."""
    return (pipeline or default_pipeline(min_confidence=min_confidence)).run(article)


def code_articles(articles: Iterable[Article], *, pipeline: Pipeline | None = None,
                  batch_size: int = BATCH_SIZE, n_process: int = 1,
                  min_confidence: float | None = None) -> Iterator[Document]:
    """Code many articles with spaCy batching; results come back in input order."""
    return (pipeline or default_pipeline(batch_size, n_process, min_confidence)).pipe(articles)


def code_batch(articles: list[Article], *, pipeline: Pipeline | None = None,
               batch_size: int = BATCH_SIZE, n_process: int = 1,
               min_confidence: float | None = None) -> list[Document | CodingFailed]:
    """Code a batch, one result per article: the retry policy of every runner.

    The batch is coded in one pass; if an article makes the coder raise, the batch is
    coded again one article at a time, and the article that fails gets a
    ``CodingFailed`` (naming its input) instead of a document. A ``ParleyError`` from the
    pipeline itself (no model, invalid knowledge) is not per article: it is raised.
    """
    if not articles:
        return []
    limit = (pipeline.knowledge if pipeline else default_knowledge()).settings \
        .max_seconds_per_document
    try:
        with _time_limit(limit * len(articles)):
            return list(code_articles(articles, pipeline=pipeline, batch_size=batch_size,
                                      n_process=n_process, min_confidence=min_confidence))
    except ParleyError:
        raise
    except Exception:  # noqa: BLE001 - one article broke the batch: find it below
        pass
    out: list[Document | CodingFailed] = []
    for article in articles:
        try:
            with _time_limit(limit):
                out.append(code_article(article, pipeline=pipeline,
                                        min_confidence=min_confidence))
        except TooLong:
            out.append(CodingFailed(f"coding failed: took longer than {limit:g} s "
                                    "(max_seconds_per_document)", source=article.source))
        except ParleyError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported per article, the run goes on
            out.append(CodingFailed(f"coding failed: {type(exc).__name__}: {exc}",
                                    source=article.source))
    return out


class TooLong(Exception):  # noqa: N818 - raised inside the coder, caught in code_batch
    """An article took longer to code than ``max_seconds_per_document``."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise ``TooLong`` in the code running inside after ``seconds`` of wall time.

    A real-time timer (SIGALRM), so it interrupts the coder wherever it is; only where
    signals can be had, the main thread of a process on a POSIX system (the CLI and
    the batch workers); elsewhere, and for 0, there is no limit.
    """
    if seconds <= 0 or not hasattr(signal, "setitimer") or \
            threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TooLong

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


__all__ = ["INITIAL", "Pipeline", "Stage", "TooLong", "code_article", "code_articles",
           "code_batch", "default_stages"]
