"""The annotated corpus: every file valid, every span exact, the size the issue asks for,
and the scorer's matching rules."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import jsonschema
import pytest

from parley.errors import GoldFormatError
from parley.eval.corpus import (
    check_article,
    load_corpus,
    match_events,
    role_matches,
    score,
    split_of,
)
from parley.model import Actor, Document, Event, EventDate, Mention, Participant, Span
from tests.helpers import ROOT

CORPUS = ROOT / "corpus"
HELD_OUT = range(1, 48, 2)  # VOA lines never annotated


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    return load_corpus(CORPUS)


def test_every_file_matches_the_schema_and_every_span_slices_its_text(articles):
    schema = json.loads((CORPUS / "schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    files = sorted((CORPUS / "articles").glob("*.json"))
    assert len(files) == len(articles) >= 450
    for f in files:
        data = json.loads(f.read_text("utf-8"))
        jsonschema.validate(data, schema)
        assert f.stem == data["id"]


def test_the_corpus_has_the_size_and_spread_it_needs(articles):
    events = [e for a in articles for e in a["events"]]
    assert len(events) >= 4000
    types = Counter(e["type"] for e in events)
    assert min(types.values()) >= 80 and len(types) == 16
    facts = Counter(e["factuality"] for e in events)
    assert all(facts[f] >= 100 for f in ("negated", "hypothetical", "planned", "reported"))
    assert sum(len(a["traps"]) for a in articles) >= 300
    assert sum(1 for a in articles if a["conflicts"]) >= 40
    splits = Counter(split_of(a["id"]) for a in articles)
    assert 0.6 < splits["train"] / len(articles) < 0.8 and splits["test"] > 40


def test_only_the_voa_stories_that_are_not_held_out_are_carried(articles, shared):
    rows = [json.loads(line) for line in
            (shared / "data" / "voa_stories.jsonl").read_text("utf-8").splitlines()]
    held = {f"voa-{rows[n - 1]['id']}" for n in HELD_OUT}
    voa = {a["id"] for a in articles if a["source"] == "voa"}
    assert len(voa) == 65 and not voa & held
    texts = {f"voa-{r['id']}": r["text"] for r in rows}
    for a in articles:
        if a["source"] == "voa":
            assert a["text"] == texts[a["id"]] and a["credit"] == "Voice of America"


def test_a_span_that_does_not_slice_its_text_is_refused(tmp_path):
    data = json.loads(next((CORPUS / "articles").glob("pw-*.json")).read_text("utf-8"))
    data["events"][0]["triggers"][0]["start"] += 1
    with pytest.raises(GoldFormatError, match="does not slice the text"):
        check_article(data, "x.json", CORPUS / "schema.json")


def _event(eid: str, etype: str, trigger: tuple[int, int], sentence: tuple[int, int],
           confidence: float = 0.9, factuality: str = "asserted") -> Event:
    return Event(id=eid, type=etype, factuality=factuality, confidence=confidence,
                 date=EventDate(),
                 mentions=[Mention(start=sentence[0], end=sentence[1],
                                   trigger=Span(start=trigger[0], end=trigger[1]))])


def _gold(gid: str, etype: str, trigger: tuple[int, int], alt=()) -> dict:
    return {"id": gid, "type": etype, "alt": list(alt), "factuality": "asserted",
            "background": False, "participants": [], "date": None, "place": None,
            "triggers": [{"start": trigger[0], "end": trigger[1], "text": "x"}]}


def test_a_second_event_on_one_gold_event_is_a_false_positive():
    gold = [_gold("g1", "CONSULT", (10, 13))]
    events = [_event("e1", "CONSULT", (10, 13), (0, 40)), _event("e2", "CONSULT", (20, 25),
                                                                   (0, 40), 0.5)]
    pairs = match_events(events, gold)
    assert [(e.id, g["id"]) for e, g in pairs] == [("e1", "g1")]
    art = {"id": "t", "text": "x" * 60, "events": gold, "traps": [], "conflicts": []}
    doc = Document(id="t", text="x" * 60, published=date(2024, 3, 8), events=events)
    report = score([art], [doc])
    assert (report.asserted.tp, report.asserted.fp, report.asserted.fn) == (1, 1, 0)


def test_an_alternative_type_matches_and_the_sentence_is_enough():
    gold = [_gold("g1", "SUPPORT", (30, 36), alt=["AGREE"])]
    pairs = match_events([_event("e1", "AGREE", (5, 9), (0, 50))], gold)
    assert len(pairs) == 1
    assert match_events([_event("e1", "ASSAULT", (30, 36), (0, 50))], gold) == []


def test_two_independent_annotations_agree(articles):
    from parley.eval.agreement import agreement, kappa

    second = load_corpus(CORPUS / "second")
    assert len(second) >= 0.10 * len(articles)
    assert sum(a["source"] == "voa" for a in second) >= 5
    result = agreement(articles, second)
    assert result["articles"] == len(second)
    assert result["events"]["f1"] >= 0.80
    assert result["type_kappa"] >= 0.80 and result["factuality_kappa"] >= 0.70
    # the kappa itself: perfect agreement is 1, chance agreement 0
    assert kappa([("A", "A"), ("B", "B")]) == 1.0
    assert kappa([("A", "A"), ("A", "B"), ("B", "A"), ("B", "B")]) == 0.0


def test_roles_pair_each_gold_participant_with_its_own_coded_one():
    # "Police detained two opposition aides": both Congolese; each gold participant is
    # paired with the coded actor at its span, once
    text = "Police detained two opposition aides in Brazzaville."
    actors = [Actor(id="a1", name="police", kind="organisation", country="COG",
                    mentions=[Span(start=0, end=6)]),
              Actor(id="a2", name="opposition", kind="organisation", country="COG",
                    mentions=[Span(start=20, end=30)])]
    event = _event("e1", "COERCE", (7, 15), (0, 52)).model_copy(update={"participants": [
        Participant(actor="a1", role="actor"), Participant(actor="a2", role="recipient")]})
    doc = Document(id="t", text=text, actors=actors, events=[event])

    def part(role: str, start: int, end: int) -> dict:
        return {"role": role, "country": "COG", "entity": None,
                "span": {"start": start, "end": end, "text": text[start:end]}}

    gold = {"participants": [part("actor", 0, 6), part("recipient", 20, 36)]}
    codes = {"a1": ("COG", None), "a2": ("COG", None)}
    assert role_matches(doc, event, gold, codes) == [True, True]
    swapped = event.model_copy(update={"participants": [
        Participant(actor="a1", role="recipient"), Participant(actor="a2", role="actor")]})
    assert role_matches(doc, swapped, gold, codes) == [False, False]
