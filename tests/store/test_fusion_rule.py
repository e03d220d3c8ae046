"""The cross-report fusion rule (parley.fuse.reports) on hand-made reports."""

from __future__ import annotations

from datetime import date

import pytest

from parley.fuse.reports import (
    Fused,
    FusionRule,
    Party,
    Report,
    best_match,
    dates_agree,
    disagreements,
    summarise,
)

KEN = Party("KEN", "Kenya", "KEN", "country", "participant")
UGA = Party("UGA", "Uganda", "UGA", "country", "participant")
TZA = Party("TZA", "Tanzania", "TZA", "country", "participant")
RWA = Party("RWA", "Rwanda", "RWA", "country", "participant")
AU = Party("African Union", "African Union", None, "organisation", "participant")


def report(article: int, *, parties=(KEN, UGA), type="AGREE", day: int | None = 5,
           published: int | None = 6, canonical: int | None = None, **kw) -> Report:
    return Report(article_id=article, canonical_id=canonical or article,
                  published=date(2024, 3, published) if published else None, type=type,
                  factuality=kw.pop("factuality", "asserted"), parties=tuple(parties),
                  date=date(2024, 3, day) if day else None,
                  precision=kw.pop("precision", "day" if day else None),
                  span=(0, 10), **kw)


def stored(fid: int, *members: Report) -> Fused:
    return Fused(id=fid, members=list(members))


RULE = FusionRule()


def test_same_type_participants_and_date_join():
    assert best_match(RULE, report(2), [stored(1, report(1))]).id == 1


def test_date_window_is_three_days_by_default():
    assert best_match(RULE, report(2, day=8, published=9), [stored(1, report(1))]).id == 1
    assert best_match(RULE, report(2, day=9, published=9), [stored(1, report(1))]) is None
    assert best_match(FusionRule(window_days=4), report(2, day=9, published=9),
                      [stored(1, report(1))]).id == 1


def test_undated_report_matches_on_its_publication_date():
    assert best_match(RULE, report(2, day=None, published=7), [stored(1, report(1))]).id == 1
    assert best_match(RULE, report(2, day=None, published=12),
                      [stored(1, report(1))]) is None


def test_participant_overlap_needs_jaccard_of_one_half():
    # {KEN, UGA} vs {KEN, UGA, TZA}: 2/3 -> joins; vs {KEN, TZA, RWA}: 1/4 -> apart
    assert best_match(RULE, report(2, parties=(KEN, UGA, TZA)),
                      [stored(1, report(1))]).id == 1
    assert best_match(RULE, report(2, parties=(KEN, TZA, RWA)),
                      [stored(1, report(1))]) is None


def test_actor_without_country_is_keyed_by_name():
    assert best_match(RULE, report(2, parties=(AU, KEN)),
                      [stored(1, report(1, parties=(AU, KEN)))]).id == 1


def test_type_must_match_unless_quad_matching_is_asked_for():
    consult = report(2, type="CONSULT")
    assert best_match(RULE, consult, [stored(1, report(1))]) is None
    assert best_match(FusionRule(match_on="quad"), consult, [stored(1, report(1))]).id == 1
    assert best_match(FusionRule(match_on="quad"), report(2, type="ASSAULT"),
                      [stored(1, report(1))]) is None


def test_incompatible_factuality_or_place_country_stays_apart():
    assert best_match(RULE, report(2, factuality="negated"), [stored(1, report(1))]) is None
    assert best_match(RULE, report(2, factuality="reported"), [stored(1, report(1))]).id == 1
    nairobi = report(1, place_name="Nairobi", place_country="KEN")
    assert best_match(RULE, report(2, place_name="Kampala", place_country="UGA"),
                      [stored(1, nairobi)]) is None
    assert best_match(RULE, report(2), [stored(1, nairobi)]).id == 1  # unknown place


def test_lenient_place_fuses_and_records_the_disagreement():
    rule = FusionRule(strict_place=False)
    nairobi = stored(1, report(1, place_name="Nairobi", place_country="KEN"))
    kampala = report(2, place_name="Kampala", place_country="UGA")
    assert best_match(rule, kampala, [nairobi]).id == 1
    [d] = disagreements(rule, kampala, nairobi)
    assert d.kind == "place" and "Kampala" in d.detail and "Nairobi" in d.detail


def test_an_article_never_joins_a_fused_event_it_is_already_in():
    assert best_match(RULE, report(1), [stored(1, report(1))]) is None


def test_best_candidate_has_the_largest_overlap_then_the_closest_date():
    wide = stored(1, report(1, parties=(KEN, UGA, TZA)))
    exact = stored(2, report(3, day=7, published=7))
    near = stored(3, report(4, day=5, published=5))
    assert best_match(RULE, report(9), [wide, exact, near]).id == 3


def test_disagreements_on_date_and_participants_cite_both_articles():
    fused = stored(1, report(1))
    new = report(2, parties=(KEN, UGA, TZA), day=6)
    found = {d.kind: d for d in disagreements(RULE, new, fused)}
    assert set(found) == {"date", "participants"}
    assert {e["article_id"] for e in found["date"].evidence} == {1, 2}
    assert "2024-03-05" in found["date"].detail and "2024-03-06" in found["date"].detail


def test_near_duplicate_copies_are_one_source_and_not_compared():
    original = report(1)
    copy = report(2, canonical=1, day=6)
    assert disagreements(RULE, copy, stored(1, original)) == []
    s = summarise([original, copy])
    assert s.source_count == 1 and s.mention_count == 2


@pytest.mark.parametrize(("a", "pa", "b", "pb", "agree"), [
    (date(2024, 3, 5), "day", date(2024, 3, 5), "day", True),
    (date(2024, 3, 5), "day", date(2024, 3, 6), "day", False),
    (date(2024, 3, 5), "day", date(2024, 3, 1), "month", True),
    (date(2024, 4, 5), "day", date(2024, 3, 1), "month", False),
    (None, None, date(2024, 3, 6), "day", True),
])
def test_dates_agree_when_one_period_holds_the_other(a, pa, b, pb, agree):
    assert dates_agree(a, pa, b, pb) is agree


def test_summary_takes_the_majority_date_and_the_union_of_participants():
    s = summarise([report(1, day=5), report(2, day=6, published=7),
                   report(3, day=6, published=7, parties=(KEN, UGA, TZA))])
    assert s.date == date(2024, 3, 6) and s.date_disputed
    assert s.anchor_date == s.ref_date == date(2024, 3, 6)
    assert [p.key for p in s.parties] == ["KEN", "UGA", "TZA"]
    assert s.source_count == 3


def test_summary_of_undated_reports_uses_the_earliest_publication():
    s = summarise([report(1, day=None, published=7), report(2, day=None, published=6)])
    assert s.date is None and s.ref_date == s.anchor_date == date(2024, 3, 6)


def test_one_shared_participant_needs_the_same_explicit_day():
    usa = Party("USA", "United States", "USA", "country", "actor")
    undated = [report(1, parties=(usa,), type="REQUEST", day=None, published=12)]
    assert best_match(RULE, report(2, parties=(usa,), type="REQUEST", day=None,
                                   published=13), [stored(1, *undated)]) is None
    dated = [report(1, parties=(usa,), type="REQUEST", day=11, published=12)]
    assert best_match(RULE, report(2, parties=(usa,), type="REQUEST", day=11,
                                   published=13), [stored(1, *dated)]).id == 1
    # {KEN, UGA} vs {KEN}: Jaccard 0.5 but one shared key, dates differ
    assert best_match(RULE, report(2, parties=(KEN,), day=6), [stored(1, report(1))]) is None
    loose = FusionRule(single_key_exact_date=False)
    assert best_match(loose, report(2, parties=(usa,), type="REQUEST", day=None,
                                    published=13), [stored(1, *undated)]).id == 1
