"""code_parallel: the full pipeline in worker processes, same documents, same order."""

from __future__ import annotations

import os

import pytest

from parley.model import Article
from parley.scale import CodingFailed, ParallelStats, code_parallel
from tests.helpers import voa_articles


def _articles(shared, n: int) -> list[Article]:
    return [Article(id=r["id"], text=r["text"], title=r["title"], url=r["url"],
                    published=r["published"][:10], source=f"voa:{i}")
            for i, r in enumerate(voa_articles(shared, n))]


def test_code_parallel_two_workers_give_the_sequential_documents_in_order(shared):
    from parley.pipeline import code_articles

    articles = _articles(shared, 40)
    stats = ParallelStats()
    parallel = list(code_parallel(articles, workers=2, batch_size=7, stats=stats))
    sequential = list(code_articles(articles))
    assert [d.id for d in parallel] == [a.id for a in articles]
    assert [d.model_dump() for d in parallel] == [d.model_dump() for d in sequential]
    assert sum(len(d.events) for d in parallel) > 20
    # two forked workers did the coding, not this process
    assert len(stats.peak_rss_kb) == 2 and os.getpid() not in stats.peak_rss_kb
    assert all(kb > 0 for kb in stats.peak_rss_kb.values())


def test_code_parallel_one_worker_codes_in_this_process(shared):
    stats = ParallelStats()
    seen: list[int] = []
    docs = list(code_parallel(_articles(shared, 5), workers=1, batch_size=2, stats=stats,
                              progress=seen.append))
    assert len(docs) == 5
    assert list(stats.peak_rss_kb) == [os.getpid()]
    assert seen == [2, 2, 1]


def test_code_parallel_skips_a_failing_article_and_reports_it(shared, monkeypatch):
    import parley.fuse.document

    real = parley.fuse.document.assemble

    def flaky(work, *args, **kw):
        if work.article.id.endswith("-bad"):
            raise RuntimeError("boom")
        return real(work, *args, **kw)

    # the workers are forked after this, so they run the patched pipeline too
    monkeypatch.setattr(parley.fuse.document, "assemble", flaky)
    articles = _articles(shared, 6)
    articles[3] = articles[3].model_copy(update={"id": "x-bad", "source": "in.jsonl:4"})
    errors = []
    docs = list(code_parallel(articles, workers=2, batch_size=3, on_error=errors.append))
    assert [d.id for d in docs] == [a.id for i, a in enumerate(articles) if i != 3]
    assert [type(e) for e in errors] == [CodingFailed]
    assert errors[0].one_line() == "in.jsonl:4: coding failed: RuntimeError: boom [E031]"
    with pytest.raises(CodingFailed):
        list(code_parallel(articles, workers=1, batch_size=3))


def test_code_parallel_refuses_zero_workers():
    with pytest.raises(ValueError, match="workers"):
        code_parallel([], workers=0)
