"""The knowledge base: sizes, identifiers, country codes, user overrides."""

import re

import pytest

from parley.errors import KnowledgeError
from parley.knowledge import default_knowledge
from parley.knowledge.kb import build, load_raw, validate
from parley.settings import load_settings


def get_kb():
    return default_knowledge().kb


def _user_kb(path):
    return load_settings().with_(user_kb=str(path))


def test_kb_meets_coverage_floors():
    counts = get_kb().counts()
    assert counts["countries"] >= 249
    assert counts["organisations"] >= 60
    assert counts["groups"] >= 150
    assert counts["office_records"] >= 400


def test_every_record_has_a_stable_id_and_valid_country_codes():
    kb = get_kb()
    assert validate(kb) == []
    for c in kb.raw["countries"]:
        assert re.fullmatch(r"[A-Z]{3}", c["iso3"]) and c["id"] == f"country:{c['iso3']}"


def test_turkiye_variants_and_capitals_resolve_to_one_country():
    kb = get_kb()
    for name in ("Türkiye", "Turkiye", "Turkey", "Turkish", "Ankara"):
        assert any(r.entity == "country:TUR" for r in kb.refs(name)), name
    assert any(r.entity == "country:RUS" and r.how == "seat" for r in kb.refs("Kremlin"))


def test_user_file_overrides_only_the_keys_it_sets(tmp_path):
    user = tmp_path / "mine.yaml"
    user.write_text("people:\n  - id: per:jane-doe\n    name: Jane Doe\n    aliases: [J. Doe]\n"
                    "    roles:\n      - {office: foreign_minister, country: CHL, sector: GOV, "
                    "start: 2024-01-01, end: null}\ncountries:\n  - id: country:KEN\n"
                    "    capital: Nairobi City\n")
    kb = build(load_raw(_user_kb(user)))
    assert kb.entities["per:jane-doe"].country == "CHL"
    kenya = next(c for c in kb.raw["countries"] if c["id"] == "country:KEN")
    assert kenya["capital"] == "Nairobi City" and kenya["name"] == "Kenya"


def test_bad_user_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("people: [\n")
    with pytest.raises(KnowledgeError, match="not valid YAML"):
        load_raw(_user_kb(bad))
