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
