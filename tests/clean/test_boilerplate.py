from parley.clean import find_boilerplate as _find_boilerplate
from parley.clean import find_dateline as _find_dateline
from parley.knowledge import default_knowledge


def find_boilerplate(text):
    return _find_boilerplate(text, default_knowledge().cues.clean)


def find_dateline(text):
    k = default_knowledge()
    return _find_dateline(text, k.cues.clean, k.gazetteer)


def test_also_read_and_related_lines_are_removed_with_exact_offsets():
    text = ("Kenya and Uganda met on Monday.\nAlso Read: Chef opens restaurant in Paris\n"
            "They agreed to talk again.\n  Related: Floods hit towns  \nRead more: Club wins\n")
    removed = find_boilerplate(text)
    assert [text[r.start : r.end] for r in removed] == [
        "Also Read: Chef opens restaurant in Paris", "Related: Floods hit towns",
        "Read more: Club wins"]


def test_bare_also_read_cue_takes_the_headline_that_follows():
    text = ("Troops withdrew on Friday.\nALSO READ\nCelebrity chef opens new restaurant\n"
            "The talks resumed.")
    removed = find_boilerplate(text)
    assert [r.text for r in removed] == ["ALSO READ", "Celebrity chef opens new restaurant"]


def test_ordinary_paragraphs_mentioning_related_words_stay():
    text = ("Related talks between the two sides were held in Geneva last year, "
            "when negotiators from both governments spent three days discussing prisoner "
            "exchanges, humanitarian corridors and the return of displaced families, and the "
            "envoys said they expected a second round before the end of the year although "
            "no date had been fixed and several sticking points remained unresolved.")
    assert find_boilerplate(text) == []


def test_dateline_upper_case_and_title_case():
    d = find_dateline("NAIROBI — Kenyan police said on Monday ...")
    assert (d.place, d.raw, d.start, d.end) == ("Nairobi", "NAIROBI —", 0, 9)
    d = find_dateline("Lima: Peru's congress voted on Monday ...")
    assert d.place == "Lima" and d.raw == "Lima:"


def test_misspelt_dateline_is_corrected():
    assert find_dateline("NAIRBI — Officials said ...").place == "Nairobi"
    assert find_dateline("KYIV, Ukraine (VOA) — Russian forces ...").place == "Kyiv"


def test_no_dateline_in_an_ordinary_sentence():
    assert find_dateline("Officials said: the talks failed.") is None
    assert find_dateline("The ministers met on Monday.") is None
