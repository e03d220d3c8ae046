"""Full Parley coding in several local processes.

``parley.pipeline.code_articles`` parallelises only spaCy (``n_process``); actor
resolution, extraction, dates, places and fusion then run in the parent, which caps a
2-core machine at about one core's worth of Parley. Here each worker process runs the
whole pipeline on a chunk of articles: the parent only ships article dicts out and
document JSON strings back (cheap to pickle, and pydantic parses them fast).

Workers are forked, so they start in milliseconds and inherit whatever the parent has
already loaded; anything not loaded yet (spaCy pipeline, knowledge base, gazetteer,
trigger lexicon) is loaded once per worker on its first chunk, never per chunk.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.pool import AsyncResult

from parley.errors import CodingFailed, ParleyError
from parley.model import Article, Document
from parley.parse import BATCH_SIZE


@dataclass
class ParallelStats:
    """What the workers report back: their pids and peak resident memory (VmHWM).

    VmHWM counts every page a worker has had resident, including pages it shares
    copy-on-write with the parent it was forked from.
    """

    peak_rss_kb: dict[int, int] = field(default_factory=dict)

    @property
    def max_peak_rss_kb(self) -> int:
        return max(self.peak_rss_kb.values(), default=0)


def warm_up() -> None:
    """Load everything coding needs (kept per process): spaCy and the knowledge."""
    from parley.knowledge import default_knowledge
    from parley.parse.nlp import get_nlp

    knowledge = default_knowledge().load_all()
    get_nlp(knowledge.settings.spacy_model)


def peak_rss_kb(pid: int | str = "self") -> int:
    """Peak resident set size (VmHWM) of a process in KiB, from /proc; 0 if unknown."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


# -- worker side ----------------------------------------------------------------------

# One result per article: ("ok", document JSON) or ("failed", "ExcType: message").
_Result = tuple[str, str]


def code_chunk(articles: list[Article], batch_size: int) -> list[_Result]:
    """Code a chunk with the pipeline's retry policy (``parley.pipeline.code_batch``)."""
    from parley.pipeline import code_batch

    return [("ok", r.model_dump_json()) if isinstance(r, Document) else ("failed", r.message)
            for r in code_batch(articles, batch_size=batch_size)]


def _worker(payload: tuple[list[dict], int]) -> tuple[int, int, list[_Result]]:
    """Code one chunk in a pool process: (pid, peak RSS in KiB, one result per article).

    A ``ParleyError`` (no model, bad knowledge base) propagates: it pickles with its
    source and line, and the pool raises it again in the parent.
    """
    records, batch_size = payload
    warm_up()
    results = code_chunk([Article.model_validate(r) for r in records], batch_size)
    return os.getpid(), peak_rss_kb(), results


# -- parent side ----------------------------------------------------------------------

def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def code_parallel(articles: Iterable[Article], *, workers: int, batch_size: int = BATCH_SIZE,
                  progress: Callable[[int], None] | None = None,
                  on_error: Callable[[ParleyError], None] | None = None,
                  stats: ParallelStats | None = None) -> Iterator[Document]:
    """Code ``articles`` with the full pipeline in ``workers`` processes, in input order.

    ``workers == 1`` codes in this process, without a pool. ``progress`` is called with
    the number of articles just finished. An article that makes the pipeline raise is
    passed to ``on_error`` as ``CodingFailed`` and skipped (no document is yielded for
    it); without ``on_error`` the error is raised. A ``ParleyError`` from the pipeline
    itself (model missing, invalid knowledge base) always stops the run.
    """
    return (doc for _, doc in code_parallel_pairs(
        articles, workers=workers, batch_size=batch_size, progress=progress,
        on_error=on_error, stats=stats))


def code_parallel_pairs(articles: Iterable[Article], *, workers: int, batch_size: int = BATCH_SIZE,
                        progress: Callable[[int], None] | None = None,
                        on_error: Callable[[ParleyError], None] | None = None,
                        stats: ParallelStats | None = None
                        ) -> Iterator[tuple[Article, Document]]:
    """``code_parallel`` yielding each document with the article it was coded from."""
    if workers < 1:
        raise ValueError("workers must be at least 1")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if workers == 1:
        return _in_process(articles, batch_size, progress, on_error, stats)
    return _in_pool(articles, workers, batch_size, progress, on_error, stats)


def _emit(chunk: list[Article], results: list[_Result],
          on_error: Callable[[ParleyError], None] | None
          ) -> Iterator[tuple[Article, Document]]:
    for article, (status, value) in zip(chunk, results, strict=True):
        if status == "ok":
            yield article, Document.model_validate_json(value)
            continue
        err = CodingFailed(value, source=article.source)
        if on_error is None:
            raise err
        on_error(err)


def _in_process(articles, batch_size, progress, on_error, stats
                ) -> Iterator[tuple[Article, Document]]:
    for chunk in _chunks(articles, batch_size):
        yield from _emit(chunk, code_chunk(chunk, batch_size), on_error)
        if stats is not None:
            stats.peak_rss_kb[os.getpid()] = peak_rss_kb()
        if progress:
            progress(len(chunk))


def _in_pool(articles, workers, batch_size, progress, on_error, stats
             ) -> Iterator[tuple[Article, Document]]:
    ctx = multiprocessing.get_context("fork")
    # A bounded window of chunks in flight: enough to keep every worker busy, without
    # reading a whole WARC into memory ahead of the workers.
    window = workers * 2
    with ctx.Pool(processes=workers) as pool:
        pending: deque[tuple[list[Article], AsyncResult]] = deque()
        chunks = _chunks(articles, batch_size)

        def submit() -> bool:
            chunk = next(chunks, None)
            if chunk is None:
                return False
            records = [a.model_dump() for a in chunk]
            pending.append((chunk, pool.apply_async(_worker, ((records, batch_size),))))
            return True

        while len(pending) < window and submit():
            pass
        while pending:
            chunk, result = pending.popleft()
            pid, rss, results = result.get()
            submit()
            if stats is not None:
                stats.peak_rss_kb[pid] = max(rss, stats.peak_rss_kb.get(pid, 0))
            yield from _emit(chunk, results, on_error)
            if progress:
                progress(len(chunk))
