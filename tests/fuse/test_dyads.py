"""PLOVER scores and quad classes, the dyadic projection, and period buckets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from parley.fuse.dyads import bucket, dyad_pairs, series
from parley.knowledge import plover_table as score_table
from parley.model import PLOVER_TYPES


@dataclass(frozen=True)
class P:
    key: str
    role: str


QUADS = {
    1: {"AGREE", "CONSULT", "SUPPORT", "CONCEDE"},
    2: {"COOPERATE", "AID", "RETREAT"},
    3: {"REQUEST", "ACCUSE", "REJECT", "THREATEN"},
    4: {"PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"},
}
BASE = {"AGREE": 2.5, "CONSULT": 2.5, "SUPPORT": 5, "CONCEDE": 4.5, "COOPERATE": 9.5,
        "AID": 10, "RETREAT": 6.5, "REQUEST": 0, "ACCUSE": -3, "REJECT": -2,
        "THREATEN": -3.5, "PROTEST": -5, "SANCTION": -6, "MOBILIZE": -5.5, "COERCE": -7,
        "ASSAULT": -9}


def test_every_plover_type_has_its_quad_class_and_base_score():
    table = score_table()
    assert set(table.types) == set(PLOVER_TYPES)
    for quad, types in QUADS.items():
        assert {t for t in PLOVER_TYPES if table.quad(t) == quad} == types
    assert {t: table.score(t) for t in PLOVER_TYPES} == BASE


@pytest.mark.parametrize(("event_type", "mode", "score"), [
    ("CONSULT", "visit", 4), ("CONSULT", "phone", 1.5), ("CONSULT", "meet", 2.5),
    ("ACCUSE", "disapprove", -2), ("ACCUSE", None, -3), ("RETREAT", "disarm", 10),
    ("ASSAULT", "unconventional", -10), ("PROTEST", "Riot", -7),
    ("REQUEST", "assist", 0.5), ("REJECT", "assist", -1.5),
])
def test_a_mode_in_the_manual_table_overrides_the_base_score(event_type, mode, score):
    assert score_table().score(event_type, mode) == score


def test_symmetric_participants_give_both_directions_of_each_pair():
    pairs = dyad_pairs([P("KEN", "participant"), P("UGA", "participant"),
                        P("TZA", "participant")])
    assert {(a.key, b.key) for a, b in pairs} == {
        ("KEN", "UGA"), ("UGA", "KEN"), ("KEN", "TZA"), ("TZA", "KEN"),
        ("UGA", "TZA"), ("TZA", "UGA")}


def test_actor_and_recipient_give_actor_to_recipient_only():
    pairs = dyad_pairs([P("RUS", "actor"), P("BLR", "actor"), P("UKR", "recipient")])
    assert [(a.key, b.key) for a, b in pairs] == [("RUS", "UKR"), ("BLR", "UKR")]


def test_one_sided_event_gives_a_row_without_actor2():
    [(a, b)] = dyad_pairs([P("ISR", "actor")])
    assert a.key == "ISR" and b is None
    assert dyad_pairs([P("ISR", "recipient")]) == []


@pytest.mark.parametrize(("by", "start"), [
    ("day", date(2024, 3, 6)), ("week", date(2024, 3, 4)), ("month", date(2024, 3, 1))])
def test_bucket_is_the_first_day_of_the_period(by, start):
    assert bucket(date(2024, 3, 6), by) == start


def test_series_counts_quad_classes_and_averages_scores_per_period():
    rows = series([(date(2024, 3, 6), 1, 2.5), (date(2024, 3, 20), 4, -9.0),
                   (date(2024, 4, 2), 2, 10.0)], "month")
    assert [r.start for r in rows] == [date(2024, 3, 1), date(2024, 4, 1)]
    assert rows[0].counts == {1: 1, 2: 0, 3: 0, 4: 1} and rows[0].total == 2
    assert rows[0].mean_score == -3.25 and rows[1].mean_score == 10.0
