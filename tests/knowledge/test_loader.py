"""One loader for every knowledge file, with user overrides by key."""

from __future__ import annotations

import pytest

from parley.errors import KnowledgeError
from parley.knowledge import Knowledge
from parley.knowledge.loader import DATA_FILES, layers
from parley.settings import load_settings


def _knowledge(tmp_path, files: dict[str, str]) -> Knowledge:
    for rel, text in files.items():
        path = tmp_path / "mine" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return Knowledge(load_settings().with_(user_knowledge=str(tmp_path / "mine")))


def test_every_data_file_is_registered_and_readable():
    settings = load_settings()
    for key in DATA_FILES:
        found = layers(key, settings)
        assert found and all(layer.builtin for layer in found), key
        assert all(layer.data for layer in found), key


def test_a_user_folder_overrides_cue_lists_by_key_and_keeps_the_rest(tmp_path):
    k = _knowledge(tmp_path, {"lexicon/cues.yaml": "intents:\n  speech_verbs: [say, tweet]\n"})
    assert k.cues.intents.speech_verbs == {"say", "tweet"}
    # the other lists of the section and the other sections are the built-in ones
    assert "will" in k.cues.intents.future_auxiliaries
    assert "reportedly" in k.cues.factuality.reported_adverbs


def test_a_user_folder_overrides_one_plover_score(tmp_path):
    k = _knowledge(tmp_path, {"plover.yaml": "types:\n  AID:\n    score: 9\n"})
    assert k.plover.score("AID") == 9.0
    assert k.plover.types["AID"].quad == 2 and k.plover.score("ASSAULT") == -9.0


def test_a_user_folder_adds_records_to_the_knowledge_base(tmp_path):
    k = _knowledge(tmp_path, {"kb/groups.yaml": (
        "- id: grp:NORTHERN_FRONT\n  name: Northern Front\n  aliases: [NF Rebels]\n"
        "  kind: armed_group\n  country: CMR\n  sector: REB\n")})
    refs = k.kb.refs("NF Rebels")
    assert [r.entity for r in refs] == ["grp:NORTHERN_FRONT"]
    assert k.kb.entities["grp:NORTHERN_FRONT"].country == "CMR"
    assert k.kb.refs("Hamas"), "the built-in groups are still there"


def test_role_nouns_and_triggers_are_overridden_too(tmp_path):
    k = _knowledge(tmp_path, {"lexicon/roles.yaml": "SPY: [spook]\n",
                              "lexicon/triggers.yaml": "PROTEST:\n  verbs:\n    picket: {}\n"})
    assert k.roles.get(("spook",)) == "SPY" and k.roles.get(("police",)) == "COP"
    assert [e.type for e in k.lexicon.verbs["picket"]] == ["PROTEST"]


def test_a_broken_user_file_names_itself(tmp_path):
    k = _knowledge(tmp_path, {"lexicon/cues.yaml": "intents: [\n"})
    with pytest.raises(KnowledgeError) as err:
        _ = k.cues
    assert "cues.yaml" in err.value.one_line() and "not valid YAML" in err.value.one_line()


def test_a_missing_user_folder_is_a_clear_error(tmp_path):
    k = Knowledge(load_settings().with_(user_knowledge=str(tmp_path / "nowhere")))
    with pytest.raises(KnowledgeError, match="user knowledge folder not found"):
        _ = k.plover


def test_compiled_caches_give_what_the_files_give_and_follow_their_changes(tmp_path):
    from parley.knowledge.gazetteer import load_gazetteer
    from parley.knowledge.kb import load_kb
    from parley.knowledge.lexicon import build_lexicon

    settings = load_settings().with_(cache_dir=str(tmp_path / "cache"))
    first = (build_lexicon(settings), load_kb(settings), load_gazetteer(settings))
    names = sorted(p.name.split("-")[0] for p in (tmp_path / "cache").iterdir())
    assert names == ["gazetteer", "kb", "lexicon"]
    # a second process reads the caches: the same lexicon, people and places
    lex, kb = build_lexicon(settings), load_kb(settings)
    assert lex == first[0] and lex is not first[0]
    assert kb.entities == first[1].entities and kb.names == first[1].names
    assert kb.person_names == first[1].person_names
    gaz = first[2]
    assert gaz.lookup("Nairobi").country == "KEN" and gaz.region("Tigray").country == "ETH"
    # a user's trigger file is part of the lexicon's cache key
    mine = tmp_path / "mine" / "lexicon" / "triggers.yaml"
    mine.parent.mkdir(parents=True)
    mine.write_text("PROTEST:\n  verbs:\n    counterpicket: {}\n", "utf-8")
    changed = build_lexicon(settings.with_(user_knowledge=str(tmp_path / "mine")))
    assert [e.type for e in changed.verbs["counterpicket"]] == ["PROTEST"]
    assert "counterpicket" not in build_lexicon(settings).verbs
