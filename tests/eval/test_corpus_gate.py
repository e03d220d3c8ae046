"""The corpus accuracy gate: the coder on the annotated corpus's dev and test splits may
not fall below the floors pinned in eval/baseline.json (tied to each split's digest)."""

import pytest

from parley.eval.corpus import code_corpus, kb_lookup_from, load_corpus, score
from parley.eval.gate import check_corpus_gate
from parley.knowledge import default_knowledge
from tests.conftest import shipped_floor
from tests.helpers import ROOT


@pytest.mark.parametrize("split", ["dev", "test"])
def test_corpus_gate(split):
    articles = load_corpus(ROOT / "corpus", split=split)
    report = score(articles, code_corpus(articles, min_confidence=shipped_floor()),
                   kb_lookup=kb_lookup_from(default_knowledge()))
    assert check_corpus_gate(report, split) == []
