"""The knowledge base at world scale: its size, its coverage of every UN member state, the
sources of its records, and how it resolves names in context (issue 14)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from parley.knowledge import default_knowledge, loader
from parley.knowledge.kb import validate
from tests.helpers import ROOT

CORE = ("head_of_state", "head_of_government", "foreign_minister", "defence_minister")


@pytest.fixture(scope="module")
def kb():
    return default_knowledge().kb


def test_the_kb_is_valid_and_every_record_names_its_source(kb):
    assert validate(kb) == []
    for section in ("organisations", "groups", "people"):
        missing = [r["id"] for r in kb.raw[section] if not r.get("source")]
        assert not missing, f"{section} without a source: {missing[:5]}"


def test_the_kb_has_the_size_the_issue_asks_for(kb):
    counts = kb.counts()
    assert counts["people"] >= 6000
    assert counts["organisations"] + counts["groups"] >= 3000
    kinds = Counter(o.get("kind") for o in kb.raw["organisations"])
    assert kinds["party"] >= 1000
    assert counts["groups"] >= 600


def _terms(kb) -> dict[tuple[str, str], list[tuple[date, date]]]:
    out: dict[tuple[str, str], list[tuple[date, date]]] = {}
    far = date(9999, 12, 31)
    for p in kb.raw["people"]:
        for r in p.get("roles") or []:
            if r.get("country"):
                start = date.fromisoformat(str(r["start"]))
                end = date.fromisoformat(str(r["end"])) if r.get("end") else far
                out.setdefault((r["country"], r["office"]), []).append((start, end))
    settings = default_knowledge().settings
    for layer in loader.layers("absent_offices", settings):
        for r in layer.data or []:
            start = date.fromisoformat(str(r["start"]))
            end = date.fromisoformat(str(r["end"])) if r.get("end") else far
            out.setdefault((r["country"], r["office"]), []).append((start, end))
    return out


def coverage_gaps(kb) -> list[tuple[str, str, int]]:
    """(country, office, year) for UN member states without a holder (or an agreed
    absent office) that year."""
    members = [c["iso3"] for c in kb.raw["countries"]
               if c.get("kind") == "state" and c["iso3"] != "VAT"]
    terms = _terms(kb)
    gaps = []
    for iso in members:
        for office in CORE:
            spans = terms.get((iso, office), [])
            for year in range(2020, 2026):
                y0, y1 = date(year, 1, 1), date(year, 12, 31)
                if not any(s <= y1 and e >= y0 for s, e in spans):
                    gaps.append((iso, office, year))
    return gaps


def test_un_member_states_have_their_core_offices_2020_to_2025(kb):
    members = [c for c in kb.raw["countries"] if c.get("kind") == "state"]
    assert len(members) == 194  # the 193 UN members and the Holy See
    gaps = coverage_gaps(kb)
    # every office-year the two compilations could not both vouch for is a known gap,
    # listed in docs/kb.md; the share covered may only grow
    share = 1 - len(gaps) / (193 * len(CORE) * 6)
    assert share >= COVERAGE_FLOOR, f"{len(gaps)} gaps, e.g. {gaps[:10]}"


COVERAGE_FLOOR = 0.999  # measured 0.99914 (4 gaps) on 2026-12-02; may only rise


def test_an_ambiguous_name_is_resolved_by_the_article(code):
    doc = code("Bennett, the UN special rapporteur on Afghanistan, said the Taliban had "
               "erased women from public life.", published="2024-06-18")
    bennett = next(a for a in doc.actors if "Bennett" in a.name)
    assert bennett.country is None and bennett.sector == "IGO"
    doc = code("Israeli Prime Minister Naftali Bennett met Egypt's president in Sharm "
               "el-Sheikh on Monday.", published="2021-09-15")
    bennett = next(a for a in doc.actors if "Bennett" in a.name)
    assert bennett.country == "ISR"


def test_a_nickname_of_a_better_known_person_is_not_an_alias(code):
    # Guinea's defence minister Camara is nicknamed "Idi Amin" (both sourced
    # compilations give it); the name belongs to Uganda's dictator (kbsrc/parts.yaml
    # reserved_names), and Camara keeps his own names
    doc = code("Uganda said on Sunday it had paid compensation to Asians whose assets "
               "were seized when Idi Amin expelled them.", published="1990-05-20")
    assert not [a for a in doc.actors if a.kb_id == "per:aboubacar-sidiki-camara"]
    doc = code("Guinea's defence minister Aboubacar Sidiki Camara visited troops in "
               "Kankan on Tuesday.", published="2024-05-01")
    assert any(a.kb_id == "per:aboubacar-sidiki-camara" and a.country == "GIN"
               for a in doc.actors)


def test_people_beyond_the_core_offices_have_their_role_country_and_sector(code):
    # the notable-people part (kbsrc/guides/notable.md): a spokesman, an opposition
    # figure and an armed-group leader, each with the sector of the role held that day
    doc = code("Kremlin spokesman Dmitry Peskov said Alexei Navalny's supporters were "
               "breaking the law, while Yahya Sinwar's fighters fired rockets.",
               published="2021-04-20")
    got = {a.name: (a.country, a.sector) for a in doc.actors if a.kind == "person"}
    assert got.get("Dmitry Peskov") == ("RUS", "GOV"), got
    assert got.get("Alexei Navalny") == ("RUS", "OPP"), got
    assert got.get("Yahya Sinwar") == ("PSE", "REB"), got


def test_seats_of_power_are_actors_and_months_are_never_places(code):
    doc = code("Officials met at the White House in Washington on Tuesday. Protests broke "
               "out in March in the capital.", published="2024-04-02")
    places = [e.place.name for e in doc.events if e.place is not None]
    assert "Casablanca" not in places and "March" not in places


def test_the_actor_test_set(tmp_path):
    from parley.eval.knowledge import read_jsonl, score_actors

    report = score_actors(read_jsonl(ROOT / "bench" / "knowledge" / "actors.jsonl"))
    assert report.measures["country"].n >= 400
    assert report.measures["country"].share >= ACTOR_COUNTRY_FLOOR
    assert report.measures["sector"].share >= ACTOR_SECTOR_FLOOR


def test_the_date_test_set():
    from parley.eval.knowledge import read_jsonl, score_dates

    report = score_dates(read_jsonl(ROOT / "bench" / "knowledge" / "dates.jsonl"))
    assert report.measures["exact"].n >= 150
    assert report.measures["precision_aware"].share >= 0.92


ACTOR_COUNTRY_FLOOR = 0.93  # measured 0.934 of 774 on 2026-12-01 (target 0.92)
ACTOR_SECTOR_FLOOR = 0.88  # measured 0.884


def test_parley_eval_scores_a_date_test_set_file(runner, tmp_path):
    import json

    from parley.cli import cli

    rows = [{"id": "d1", "published": "2024-03-12", "text": "Rebels attacked Gao on Saturday.",
             "trigger": "attacked", "expression": "Saturday", "value": "2024-03-09",
             "precision": "day", "category": "WD_PAST"},
            {"id": "d2", "published": "2024-03-12", "text": "Talks will resume next month.",
             "trigger": "Talks", "expression": "next month", "value": "2024-05-01",
             "precision": "month", "category": "REL"}]  # wrong on purpose: April
    path = tmp_path / "dates.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    out = runner.invoke(cli, ["eval", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    got = json.loads(out.stdout)
    assert got["kind"] == "dates"
    assert got["measures"]["exact"] == {"n": 2, "right": 1, "share": 0.5}
    assert [m["id"] for m in got["misses"]] == ["d2"]
