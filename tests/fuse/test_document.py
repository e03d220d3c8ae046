"""In-document fusion and participant disputes."""

from datetime import date

import pytest

from tests.conftest import shipped_floor
from tests.helpers import RESOURCES


def test_participant_named_in_one_account_but_not_another_is_disputed(code):
    doc = code("The foreign ministers of Kenya, Ethiopia and Somalia met in Nairobi on Monday.\n"
               "Trade between the three countries has grown.\n"
               "The Ethiopian and Kenyan ministers met to discuss the border, officials said.",
               published="2024-03-08")
    meetings = [e for e in doc.events if e.type == "CONSULT"]
    assert len(meetings) == 1
    e = meetings[0]
    actors = {a.id: a for a in doc.actors}
    disputed = {actors[p.actor].country for p in e.participants if p.disputed}
    assert disputed == {"SOM"}
    conflict = next(c for c in doc.conflicts if c.kind == "participants")
    assert "Somalia" in conflict.detail and conflict.event == e.id
    quoted = [doc.text[s.start : s.end] for s in conflict.evidence]
    assert any("Somalia" in q for q in quoted) and any("Somalia" not in q for q in quoted)


def test_separate_events_of_one_type_stay_separate(code):
    doc = code("Egypt and Qatar held talks in Cairo on Monday.\n"
               "Separately, Chile and Peru held talks in Lima on Tuesday.")
    assert len([e for e in doc.events if e.type == "CONSULT"]) == 2


def test_a_meeting_reported_twice_is_one_consult_with_its_conflicts_shown(code):
    # The shape of a real report: one meeting of three defence ministers (four in the
    # first account, on Tuesday; three in the second, on Wednesday), an inline
    # "Also Read" link, the minister's name spelt two ways, and a speculative strike.
    text = (RESOURCES / "moscow_meeting.txt").read_text("utf-8")
    doc = code(text, published="2024-03-07", min_confidence=shipped_floor())
    country = {a.id: a.country for a in doc.actors}
    consults = [e for e in doc.events if e.type == "CONSULT"
                and e.factuality == "asserted" and not e.background]
    assert len(consults) == 1
    meeting = consults[0]
    undisputed = {country[p.actor] for p in meeting.participants if not p.disputed}
    assert {"RUS", "CHN", "IRN"} <= undisputed and "BLR" not in undisputed
    conflicts = [c for c in doc.conflicts if c.event == meeting.id]
    dates = [c for c in conflicts if c.kind == "date"]
    assert len(dates) == 1
    assert {text[s.start:s.end] for s in dates[0].evidence} == {"Tuesday", "Wednesday"}
    assert set(meeting.date.candidates) == {date(2024, 3, 5), date(2024, 3, 6)}
    parts = [c for c in conflicts if c.kind == "participants"]
    assert len(parts) == 1 and "Belarus" in parts[0].detail
    assert not any(n in parts[0].detail for n in ("Russia", "China", "Iran"))
    # "Sergei Shoigu" and "Sergey Shoigu" are one person, not a conflict
    assert [a.kb_id for a in doc.actors].count("per:sergei-shoigu") == 1
    assert all(c.event == meeting.id for c in doc.conflicts)
    assert not [e for e in doc.events if e.type == "ASSAULT" and e.factuality == "asserted"]
    # the inline link is set aside, not coded
    assert any("Heavy snow" in r.text for r in doc.removed)


def test_dates_weeks_apart_are_two_events_not_a_disputed_one(code):
    # the second sentence reports another round of talks: no date conflict
    doc = code("Kenya and Uganda held talks on border trade on March 4, officials said.\n"
               "Kenya and Uganda held talks on border trade on February 12 as well.",
               published="2024-03-08")
    assert not [c for c in doc.conflicts if c.kind == "date"]


def test_a_participant_left_out_by_a_one_actor_account_is_not_disputed(code):
    # "Kenya said ..." does not list the participants: it cannot leave Uganda out
    doc = code("Kenya and Uganda agreed on Monday to build a railway, officials said.\n"
               "Kenya agreed to pay for most of the railway, its treasury said.",
               published="2024-03-08")
    assert not [c for c in doc.conflicts if c.kind == "participants"]


def test_each_conflict_is_recorded_once_with_both_sides(code):
    doc = code("The foreign ministers of Kenya, Ethiopia and Somalia met in Nairobi on Monday.\n"
               "Trade between the three countries has grown.\n"
               "The Ethiopian and Kenyan ministers met on Tuesday to discuss the border.",
               published="2024-03-08")
    kinds = [(c.event, c.kind, c.detail) for c in doc.conflicts]
    assert len(kinds) == len(set(kinds))
    for c in doc.conflicts:
        assert len(c.evidence) == 2 and c.evidence[0] != c.evidence[1]


def test_the_days_of_a_campaign_are_not_a_date_conflict(code):
    # two strikes on two days, no second account: nothing is disputed
    doc = code("Russian warplanes struck several villages in Idlib province on Tuesday, "
               "rescue workers said.\n"
               "On Wednesday, Russian warplanes struck villages in the south of the province "
               "again, residents said.", published="2018-09-06")
    assert not [c for c in doc.conflicts if c.kind == "date"]


def test_a_second_account_that_gives_another_day_is_a_date_conflict(code):
    doc = code("Gunmen attacked a police post near the town of Garissa on Monday, killing "
               "three officers, the Kenyan interior ministry said.\n"
               "Local officials gave a different account, saying the attack had begun late "
               "on Sunday.", published="2024-03-13")
    attacks = [e for e in doc.events if e.type == "ASSAULT" and e.factuality == "asserted"]
    assert attacks
    dates = [c for c in doc.conflicts if c.kind == "date"]
    assert len(dates) == 1 and dates[0].event in {e.id for e in attacks}
    quoted = {doc.text[s.start:s.end] for s in dates[0].evidence}
    assert any("Monday" in q for q in quoted) and any("Sunday" in q for q in quoted)
    event = next(e for e in doc.events if e.id == dates[0].event)
    assert event.date.disputed and len(event.date.candidates) == 2


@pytest.mark.parametrize(("text", "published", "left_out", "phrase", "etype"), [
    ("Kenyan and Somali troops fought al-Shabaab fighters near the town of Kismayo on "
     "Friday, officials said.\n"
     "A statement from the Somali army described the battle and made no mention of "
     "Kenyan troops.", "2024-01-28", "KEN", "no mention", None),
    # an account that leaves a participant's part open
    ("The leaders of Ethiopia, Egypt and Sudan agreed on Tuesday to continue negotiations "
     "on the Nile dam, Ethiopia's prime minister said.\n\n"
     "A statement from Cairo welcomed the talks. It did not say whether Sudan had "
     "endorsed the plan.", "2020-07-22", "SDN", "did not say whether", "AGREE"),
])
def test_an_account_that_leaves_a_participant_out_disputes_it(code, text, published,
                                                              left_out, phrase, etype):
    doc = code(text, published=published)
    parts = [c for c in doc.conflicts if c.kind == "participants"]
    assert len(parts) == 1
    event = next(e for e in doc.events if e.id == parts[0].event)
    assert etype is None or event.type == etype
    country = {a.id: a.country for a in doc.actors}
    assert {country[p.actor] for p in event.participants if p.disputed} == {left_out}
    assert any(phrase in doc.text[s.start:s.end] for s in parts[0].evidence)


def test_two_sided_fighting_makes_every_side_a_participant(code):
    doc = code("Members of the Islamic Movement in Nigeria clashed with police in Abuja on "
               "Monday. Rebels attacked an army base in Kidal on Tuesday.")
    names = {a.id: a.name for a in doc.actors}
    clash, attack = (next(e for e in doc.events if e.type == "ASSAULT"
                          and any(doc.text[m.trigger.start:m.trigger.end].startswith(w)
                                  for m in e.mentions)) for w in ("clashed", "attacked"))
    assert {p.role for p in clash.participants} == {"participant"}
    assert len(clash.participants) == 2
    # a one-sided attack keeps who did what to whom
    roles = {names[p.actor]: p.role for p in attack.participants}
    assert roles["rebels"] == "actor" and roles["army base"] == "recipient"


def test_an_event_dated_well_before_the_news_stays_background_when_retold(code):
    # the assassination's day (July 7, six weeks before the story) decides; the undated
    # retelling in the next paragraph ("killed the president") does not make it news
    doc = code("PORT-AU-PRINCE, Haiti — Haitian police on Thursday arrested a former senator "
               "wanted in connection with the killing of President Jovenel Moïse, the "
               "national police chief said.\n\n"
               "Moïse was shot dead in his bedroom on July 7 by a group of gunmen who "
               "stormed his private residence in the hills above the capital. His wife, "
               "Martine, was wounded in the attack.\n\n"
               "Investigators say the gunmen killed the president after forcing their way "
               "past his guards.", published="2021-08-20")
    text = doc.text
    shot = next(e for e in doc.events
                if any(text[m.trigger.start:m.trigger.end] == "shot dead" for m in e.mentions))
    assert shot.date.value == date(2021, 7, 7)
    assert any(text[m.trigger.start:m.trigger.end] == "killed" for m in shot.mentions)
    assert shot.background
    arrest = next(e for e in doc.events if e.type == "COERCE")
    assert not arrest.background and arrest.date.value == date(2021, 8, 19)


def test_what_a_documents_text_leaves_out_is_no_participant_conflict(code):
    # "the final text did not include" says what the deal contains, not that an account
    # of the EU's threat left the EU out
    doc = code("SHARM EL-SHEIKH, Egypt — Climate talks ended on Sunday with a deal on a fund "
               "for poor nations.\n\n"
               "On Saturday the European Union's climate chief had threatened that the bloc "
               "would walk away from the talks rather than accept a weak outcome.\n\n"
               "In the end the EU stayed. But the final text did not include a commitment to "
               "phase down all fossil fuels, a proposal backed by India and the European "
               "Union.", published="2022-11-20")
    assert not [c for c in doc.conflicts if c.kind == "participants"]


def test_an_account_leaving_an_actor_out_disputes_the_main_event_not_the_nearest(code):
    # the army's silence on Russian aircraft is about the strike the story is about, not
    # about the Russian denial told just before it
    text = ("IDLIB, Syria — Russian warplanes struck a market in the rebel-held town of "
            "Maarat al-Numan on Monday, killing at least 15 people, rescue workers said.\n\n"
            "The strike hit the market at midday, when it was most crowded, witnesses "
            "said.\n\n"
            "Russia's defence ministry denied that its aircraft had flown over the area.\n\n"
            "A Syrian army statement said government forces had struck militant positions "
            "near the town. It made no mention of Russian aircraft.")
    doc = code(text, published="2019-07-23")
    events = {e.id: e for e in doc.events}
    disputes = [c for c in doc.conflicts if c.kind == "participants"]
    assert [events[c.event].type for c in disputes] == ["ASSAULT"]
    assert "Russia" in disputes[0].detail
