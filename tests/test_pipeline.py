"""The pipeline: stages over one frozen Work record, checked for order when built."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace
from datetime import date

import pytest

from parley.errors import PipelineError
from parley.model import Article, Place, Work
from parley.pipeline import Pipeline, code_article, default_stages

ARTICLE = Article(id="a1", published=date(2024, 3, 8), source="test",
                  text="Kenya and Uganda signed a border agreement on Monday in Nairobi.")


class EverywhereIsGeneva:
    """A replacement places stage: every candidate happened in Geneva."""

    name = "places"
    requires = ("candidates",)
    assigns = ("places",)

    def __call__(self, work: Work) -> Work:
        geneva = Place(name="Geneva", country="CHE")
        return replace(work, candidates=tuple(replace(c, place=geneva)
                                              for c in work.candidates or ()))


def test_a_stage_replaced_by_a_custom_one_runs_end_to_end():
    pipeline = Pipeline().replace("places", EverywhereIsGeneva())
    doc = pipeline.run(ARTICLE)
    assert doc.events, "the rest of the pipeline still codes the agreement"
    assert {e.place.name for e in doc.events if e.place} == {"Geneva"}
    # the default pipeline places it where the text says
    default = code_article(ARTICLE)
    assert {e.place.name for e in default.events if e.place} == {"Nairobi"}
    assert [e.type for e in doc.events] == [e.type for e in default.events]


def test_pipe_and_run_give_the_same_documents():
    pipeline = Pipeline()
    other = ARTICLE.model_copy(update={"id": "a2", "text": "Chad accused Niger on Tuesday "
                                       "of closing the border."})
    assert list(pipeline.pipe([ARTICLE, other])) == [pipeline.run(ARTICLE),
                                                     pipeline.run(other)]


def test_a_stage_whose_requirements_no_earlier_stage_assigns_is_refused():
    stages = default_stages()
    places = next(s for s in stages if s.name == "places")
    with pytest.raises(PipelineError, match="'places' requires .*candidates"):
        Pipeline([places, *[s for s in stages if s.name != "places"]])
    with pytest.raises(PipelineError, match="no stage assigns the document"):
        Pipeline([s for s in stages if s.name != "fuse"])
    with pytest.raises(PipelineError, match="no stage named"):
        Pipeline().replace("nonsense", EverywhereIsGeneva())


def test_stages_return_new_records_and_never_change_the_one_they_got():
    pipeline = Pipeline()
    work = pipeline.start(ARTICLE)
    after = pipeline.stages[0](work)
    assert work.removed is None and after.removed is not None
    with pytest.raises(FrozenInstanceError):
        after.codable = "x"  # type: ignore[misc]


PARAGRAPHS = [
    "NAIROBI — Kenya and Uganda signed a border agreement on Monday in Nairobi.",
    "Russian forces shelled the city of Kharkiv on Tuesday, killing three people.",
    "Also Read: Ten places to visit in Kampala this summer",
    "Kenya's president met Uganda's foreign minister in Kampala on Wednesday.",
]


def test_a_long_text_is_coded_in_pieces_that_make_one_document():
    from parley.knowledge import Knowledge
    from parley.parse.nlp import split_points
    from parley.settings import load_settings

    text = "\n\n".join(PARAGRAPHS)
    article = Article(id="long", published=date(2024, 3, 8), source="test", text=text)
    limit = max(len(p) for p in PARAGRAPHS) + 2
    assert len(split_points(text, limit)) == len(PARAGRAPHS) - 1  # one paragraph a piece
    small = Pipeline(knowledge=Knowledge(load_settings().with_(max_piece_chars=limit)))
    doc = small.run(article)
    whole = code_article(article)

    # cleaned whole: the dateline and the boilerplate line, at the whole text's offsets
    assert doc.text == text
    assert doc.dateline == whole.dateline and doc.dateline is not None
    assert doc.removed == whole.removed and doc.removed
    assert doc.signature == whole.signature
    # each piece's events, at the whole text's offsets, numbered once in text order
    assert [e.id for e in doc.events] == [f"e{i + 1}" for i in range(len(doc.events))]
    found = [(e.type, m.trigger.start, text[m.trigger.start:m.trigger.end])
             for e in doc.events for m in e.mentions]
    alone = []
    for offset in (0, *split_points(text, limit)):
        piece = text[offset:].split("\n\n", 1)[0] + "\n\n"
        one = code_article(article.model_copy(update={"text": piece}))
        alone += [(e.type, offset + m.trigger.start, piece[m.trigger.start:m.trigger.end])
                  for e in one.events for m in e.mentions]
    assert found == alone
    assert {"shelled", "met"} <= {t for _, _, t in found}
    # one actor per entity across pieces, every mention pointing at its name
    actors = {a.id: a for a in doc.actors}
    kenya = [a for a in doc.actors if a.kb_id == "country:KEN"]
    assert len(kenya) == 1
    kenya_whole = next(a for a in whole.actors if a.kb_id == "country:KEN")
    assert kenya[0].mentions == kenya_whole.mentions
    assert {text[m.start:m.end] for m in kenya[0].mentions} >= {"Kenya", "Kenya's president"}
    assert all(p.actor in actors for e in doc.events for p in e.participants)
    for e in doc.events:
        for m in e.mentions:
            assert m.start <= m.trigger.start < m.trigger.end <= m.end <= len(text)


def test_pieces_are_cut_at_line_breaks_then_sentence_ends_and_keep_to_the_limit():
    from parley.parse.nlp import split_points

    line = "Talks resumed on Monday. " * 400  # 10,000 characters, no line break
    cuts = split_points(line, 1_000)
    bounds = [0, *cuts, len(line)]
    assert all(0 < b - a <= 1_000 for a, b in zip(bounds, bounds[1:]))
    assert all(line[c - 2:c] == ". " for c in cuts)  # after a sentence end
    text = "a" * 600 + "\n" + "Talks resumed. " * 50
    assert split_points(text, 1_000)[0] == 601  # the line break, not a later sentence end


class StuckOnSlow:
    """A replacement places stage that hangs on the article with id "slow"."""

    name = "places"
    requires = ("candidates",)
    assigns = ("places",)

    def __call__(self, work: Work) -> Work:
        import time

        if work.article.id == "slow":
            time.sleep(30)
        return work


def test_an_article_over_the_time_limit_fails_alone_and_its_batch_goes_on():
    import time

    from parley.errors import CodingFailed
    from parley.knowledge import Knowledge
    from parley.pipeline import code_batch
    from parley.settings import load_settings

    knowledge = Knowledge(load_settings().with_(max_seconds_per_document=1.0))
    pipeline = Pipeline(knowledge=knowledge).replace("places", StuckOnSlow())
    slow = ARTICLE.model_copy(update={"id": "slow", "source": "slow.txt"})
    after = ARTICLE.model_copy(update={"id": "after", "source": "after.txt"})
    t0 = time.monotonic()
    out = code_batch([ARTICLE, slow, after], pipeline=pipeline)
    assert time.monotonic() - t0 < 20  # the stuck article was cut off, not waited for
    assert [type(r).__name__ for r in out] == ["Document", "CodingFailed", "Document"]
    failed = out[1]
    assert isinstance(failed, CodingFailed) and failed.source == "slow.txt"
    assert "took longer than 1 s" in failed.one_line()
    assert out[2].events and out[2].id == "after"
