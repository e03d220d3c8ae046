"""Extraction rules on hand-built parses: each rule sees exactly the tree it is written
for (words, heads, dependency labels, parts of speech, lemmas), so a change in the
statistical parser cannot hide a change in the rule."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from parley.extract.arguments import subjects
from parley.extract.factuality import factuality
from parley.extract.intents import intent_marker, obligation
from parley.extract.triggers import dedupe, find_triggers
from parley.knowledge import default_knowledge

# English lexical attributes (lower case forms), no statistical model
VOCAB = spacy.blank("en").vocab


def parse(rows: list[tuple[str, int, str, str, str]]) -> Doc:
    """A Doc from (word, head index, dep, POS, lemma) rows; the root heads itself."""
    words, heads, deps, pos, lemmas = zip(*rows, strict=True)
    spaces = [i + 1 < len(words) and words[i + 1] not in ".," for i in range(len(words))]
    return Doc(VOCAB, words=list(words), spaces=spaces, heads=list(heads), deps=list(deps),
               pos=list(pos), lemmas=list(lemmas),
               sent_starts=[True] + [False] * (len(rows) - 1))


@pytest.fixture(scope="module")
def k():
    return default_knowledge()


# "Russia may attack Ukraine ."
MAY_ATTACK = [("Russia", 2, "nsubj", "PROPN", "Russia"), ("may", 2, "aux", "AUX", "may"),
              ("attack", 2, "ROOT", "VERB", "attack"), ("Ukraine", 2, "dobj", "PROPN", "Ukraine"),
              (".", 2, "punct", "PUNCT", ".")]
# "Israel denied carrying out the raid ."
DENIED_RAID = [("Israel", 1, "nsubj", "PROPN", "Israel"), ("denied", 1, "ROOT", "VERB", "deny"),
               ("carrying", 1, "xcomp", "VERB", "carry"), ("out", 2, "prt", "ADP", "out"),
               ("the", 5, "det", "DET", "the"), ("raid", 2, "dobj", "NOUN", "raid"),
               (".", 1, "punct", "PUNCT", ".")]
# "Rebels allegedly attacked the convoy ."
ALLEGEDLY = [("Rebels", 2, "nsubj", "NOUN", "rebel"),
             ("allegedly", 2, "advmod", "ADV", "allegedly"),
             ("attacked", 2, "ROOT", "VERB", "attack"), ("the", 4, "det", "DET", "the"),
             ("convoy", 2, "dobj", "NOUN", "convoy"), (".", 2, "punct", "PUNCT", ".")]
# "The talks failed ."  (the talks took place)
TALKS_FAILED = [("The", 1, "det", "DET", "the"), ("talks", 2, "nsubj", "NOUN", "talk"),
                ("failed", 2, "ROOT", "VERB", "fail"), (".", 2, "punct", "PUNCT", ".")]
# "Iran threatened to close the strait ."
THREAT = [("Iran", 1, "nsubj", "PROPN", "Iran"), ("threatened", 1, "ROOT", "VERB", "threaten"),
          ("to", 3, "aux", "PART", "to"), ("close", 1, "xcomp", "VERB", "close"),
          ("the", 5, "det", "DET", "the"), ("strait", 3, "dobj", "NOUN", "strait"),
          (".", 1, "punct", "PUNCT", ".")]


def test_a_modal_makes_the_event_hypothetical(k):
    doc = parse(MAY_ATTACK)
    assert factuality(doc[2], k.cues.factuality, event_type="ASSAULT") == "hypothetical"


def test_a_denying_governor_negates_the_event_it_governs(k):
    doc = parse(DENIED_RAID)
    assert factuality(doc[2], k.cues.factuality, event_type="ASSAULT") == "negated"
    # the denial itself happened
    assert factuality(doc[1], k.cues.factuality, event_type="REJECT") == "asserted"


def test_an_alleging_adverb_makes_the_event_reported(k):
    doc = parse(ALLEGEDLY)
    assert factuality(doc[2], k.cues.factuality, event_type="ASSAULT") == "reported"


def test_failed_talks_took_place(k):
    doc = parse(TALKS_FAILED)
    assert factuality(doc[1], k.cues.factuality, event_type="CONSULT") == "asserted"


def test_the_threat_is_asserted_and_what_is_threatened_is_hypothetical(k):
    doc = parse(THREAT)
    assert factuality(doc[1], k.cues.factuality, event_type="THREATEN") == "asserted"
    assert factuality(doc[3], k.cues.factuality, event_type="COERCE") == "hypothetical"


def test_the_subject_of_a_control_verb_acts_in_its_complement(k):
    doc = parse(THREAT)
    assert [t.text for t in subjects(doc[3], k.cues.arguments)] == ["Iran"]


def test_a_passive_agent_is_the_subject():
    # "The convoy was attacked by rebels ."
    doc = parse([("The", 1, "det", "DET", "the"), ("convoy", 3, "nsubjpass", "NOUN", "convoy"),
                 ("was", 3, "auxpass", "AUX", "be"), ("attacked", 3, "ROOT", "VERB", "attack"),
                 ("by", 3, "agent", "ADP", "by"), ("rebels", 4, "pobj", "NOUN", "rebel"),
                 (".", 3, "punct", "PUNCT", ".")])
    cues = default_knowledge().cues.arguments
    assert [t.text for t in subjects(doc[3], cues)] == ["rebels"]


def test_a_phrase_trigger_steps_over_modifiers(k):
    # "Unions called off a long national strike ." -> CONCEDE "call off strike", not PROTEST
    doc = parse([("Unions", 1, "nsubj", "NOUN", "union"), ("called", 1, "ROOT", "VERB", "call"),
                 ("off", 1, "prt", "ADP", "off"), ("a", 6, "det", "DET", "a"),
                 ("long", 6, "amod", "ADJ", "long"), ("national", 6, "amod", "ADJ", "national"),
                 ("strike", 1, "dobj", "NOUN", "strike"), (".", 1, "punct", "PUNCT", ".")])
    triggers = dedupe(doc, find_triggers(doc[:], k.lexicon), k.cues)
    assert [(t.type, doc[t.start_tok:t.end_tok].text) for t in triggers] == [
        ("CONCEDE", "called off a long national strike")]


def test_a_noun_that_restates_its_verb_is_one_event(k):
    # "Rebels launched an attack ." -> one ASSAULT, not "launched" and "attack" twice
    doc = parse([("Rebels", 1, "nsubj", "NOUN", "rebel"), ("launched", 1, "ROOT", "VERB", "launch"),
                 ("an", 3, "det", "DET", "an"), ("attack", 1, "dobj", "NOUN", "attack"),
                 (".", 1, "punct", "PUNCT", ".")])
    kept = dedupe(doc, find_triggers(doc[:], k.lexicon), k.cues)
    assert [(t.type, doc[t.start_tok:t.end_tok].text) for t in kept] == [
        ("ASSAULT", "launched an attack")]


def test_a_boycotted_summit_is_a_boycott_and_a_negated_meeting(k):
    # "Iran boycotted the summit ." -> PROTEST, and the summit stands as a negated CONSULT
    doc = parse([("Iran", 1, "nsubj", "PROPN", "Iran"), ("boycotted", 1, "ROOT", "VERB", "boycott"),
                 ("the", 3, "det", "DET", "the"), ("summit", 1, "dobj", "NOUN", "summit"),
                 (".", 1, "punct", "PUNCT", ".")])
    kept = dedupe(doc, find_triggers(doc[:], k.lexicon), k.cues)
    assert sorted(t.type for t in kept) == ["CONSULT", "PROTEST"]
    talks = next(t for t in kept if t.type == "CONSULT")
    assert factuality(doc[talks.head_i], k.cues.factuality, event_type="CONSULT") == "negated"


def test_will_marks_an_intention_and_must_an_obligation(k):
    doc = parse(MAY_ATTACK)
    assert intent_marker(doc[2], k) is None
    # "China said Japan must withdraw ."
    said = parse([("China", 1, "nsubj", "PROPN", "China"), ("said", 1, "ROOT", "VERB", "say"),
                  ("Japan", 4, "nsubj", "PROPN", "Japan"), ("must", 4, "aux", "AUX", "must"),
                  ("withdraw", 1, "ccomp", "VERB", "withdraw"), (".", 1, "punct", "PUNCT", ".")])
    assert obligation(said[4], k).text == "must"
    # "Chad will send troops ."
    will = parse([("Chad", 2, "nsubj", "PROPN", "Chad"), ("will", 2, "aux", "AUX", "will"),
                  ("send", 2, "ROOT", "VERB", "send"), ("troops", 2, "dobj", "NOUN", "troop"),
                  (".", 2, "punct", "PUNCT", ".")])
    marker, negated = intent_marker(will[2], k)
    assert marker.text == "will" and not negated
