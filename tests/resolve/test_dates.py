"""Dates resolved against the publication date with the news convention."""

from datetime import date

import pytest

from parley.knowledge import default_knowledge
from parley.resolve.dates import resolve as _resolve


def resolve(expr, published):
    return _resolve(expr, published, default_knowledge().cues.dates)

FRIDAY = date(2024, 3, 8)


@pytest.mark.parametrize("expr,value,precision", [
    ("Monday", "2024-03-04", "day"),
    ("on Friday", "2024-03-08", "day"),
    ("last Friday", "2024-03-01", "day"),
    ("next Tuesday", "2024-03-12", "day"),
    ("yesterday", "2024-03-07", "day"),
    ("last week", "2024-02-26", "week"),
    ("March 3", "2024-03-03", "day"),
    ("3 March 2022", "2022-03-03", "day"),
    ("Dec. 28", "2023-12-28", "day"),
    ("five years ago", "2019-01-01", "year"),
    ("two weeks ago", "2024-02-19", "week"),  # the Monday of that week
    ("next month", "2024-04-01", "month"),
    ("last March", "2023-03-01", "month"),
    ("in May 2023", "2023-05-01", "month"),
    ("2019", "2019-01-01", "year"),
])
def test_resolve_relative_expressions(expr, value, precision):
    got = resolve(expr, FRIDAY)
    assert (got.value, got.precision) == (date.fromisoformat(value), precision)


def test_without_publication_date_relative_dates_stay_null():
    assert resolve("on Monday", None).value is None
    assert resolve("last week", None).value is None
    assert resolve("3 March 2022", None).value == date(2022, 3, 3)


def test_may_the_verb_is_not_a_month():
    assert resolve("they may", FRIDAY).value is None


def test_a_weekday_to_come_in_a_story_of_that_weekday_is_that_day():
    rules = default_knowledge().cues.dates
    # "will meet on Friday" in a Friday story is that Friday; "next Friday" is a week on
    assert _resolve("on Friday", FRIDAY, rules, future=True).value == FRIDAY
    assert _resolve("later on Friday", FRIDAY, rules, future=True).value == FRIDAY
    assert _resolve("next Friday", FRIDAY, rules, future=True).value == date(2024, 3, 15)
    assert _resolve("on Monday", FRIDAY, rules, future=True).value == date(2024, 3, 11)


def test_the_day_a_plan_was_announced_is_a_past_day(code):
    # the resignation is to come, the Friday of the saying is past: the day before a
    # Saturday story, not the Friday after it
    doc = code("Iraqi Prime Minister Adel Abdul Mahdi said on Friday he would submit his "
               "resignation to parliament.", published="2019-11-30", min_confidence=0)
    dated = [e for e in doc.events if e.date.value is not None]
    assert dated and all(str(e.date.value) == "2019-11-29" for e in dated)
    # a day the reported clause names itself stays a day to come
    doc = code("The foreign ministry said the two presidents would meet in Geneva on "
               "Wednesday.", published="2021-06-14", min_confidence=0)
    meet = next(e for e in doc.events if e.type == "CONSULT")
    assert (str(meet.date.value), meet.factuality) == ("2021-06-16", "planned")


def test_a_month_after_publication_does_not_date_an_event_that_happened(code):
    # "in July 2023" is the handover's time, not the state of emergency's
    doc = code("General Abdel Fattah al-Burhan declared a nationwide state of emergency "
               "and dissolved the cabinet, and promised to hand over power to an elected "
               "government in July 2023.", published="2021-10-26", min_confidence=0)
    asserted = [e for e in doc.events if e.factuality == "asserted"]
    assert asserted and all(e.date.value is None or e.date.value <= date(2021, 10, 26)
                            for e in asserted)


def test_event_on_monday_in_a_friday_article(code):
    doc = code("Egypt and Qatar held talks in Cairo on Monday.", published="2024-03-08")
    talks = next(e for e in doc.events if e.type == "CONSULT")
    assert (str(talks.date.value), talks.date.precision) == ("2024-03-04", "day")
    assert not talks.date.disputed


def test_event_date_is_null_without_publication_date(code):
    doc = code("Egypt and Qatar held talks in Cairo on Monday.", published=None)
    talks = next(e for e in doc.events if e.type == "CONSULT")
    assert talks.date.value is None


def test_monday_and_tuesday_for_one_meeting_is_a_disputed_date(code):
    doc = code("The foreign ministers of Kenya, Ethiopia and Somalia met in Nairobi on Monday.\n"
               "Trade between the three countries has grown.\n"
               "The meeting of the Kenyan, Ethiopian and Somali ministers on Tuesday was "
               "described as productive.", published="2024-03-08")
    meetings = [e for e in doc.events if e.type == "CONSULT"]
    assert len(meetings) == 1
    e = meetings[0]
    assert e.date.disputed
    assert [str(c) for c in e.date.candidates] == ["2024-03-04", "2024-03-05"]
    conflict = next(c for c in doc.conflicts if c.kind == "date")
    assert conflict.event == e.id
    assert sorted(doc.text[s.start : s.end] for s in conflict.evidence) == ["Monday", "Tuesday"]


def test_an_ordinal_before_a_noun_is_not_a_day():
    assert resolve("the 19th century", FRIDAY).value is None
    assert resolve("the 3rd time", FRIDAY).value is None
    assert resolve("the 15th", FRIDAY).value == date(2024, 2, 15)


def _by_trigger(doc, word):
    return next(e for e in doc.events
                if any(doc.text[m.trigger.start : m.trigger.end].startswith(word)
                       for m in e.mentions))


def test_an_undated_sentence_takes_the_day_its_story_just_gave(code):
    doc = code("Police fired tear gas at thousands of protesters in Nairobi on Tuesday. "
               "Officers arrested 29 people near parliament. "
               "The government denies using excessive force.", published="2024-03-08")
    arrests = _by_trigger(doc, "arrested")
    assert (str(arrests.date.value), arrests.date.precision) == ("2024-03-05", "day")
    assert [doc.text[s.start : s.end] for s in arrests.date.evidence] == ["Tuesday"]
    # told in the present: no day is lent
    denial = [e for e in doc.events if e.type == "REJECT"]
    assert all(e.date.value is None for e in denial)


def test_the_same_day_is_the_day_before_it_and_a_paragraph_break_stops_the_rest(code):
    doc = code("Kenyan troops entered the town of Mandera on Monday.\n\n"
               "Officers arrested 12 suspected militants. "
               "The same day, Somalia recalled its ambassador from Nairobi.",
               published="2024-03-08")
    arrests = _by_trigger(doc, "arrested")
    assert arrests.date.value is None  # across a paragraph break: nothing is lent
    recall = _by_trigger(doc, "recalled")
    assert [doc.text[s.start : s.end] for s in recall.date.evidence] == ["Monday"]
    assert str(recall.date.value) == "2024-03-04"



def test_a_day_counted_from_the_story_is_that_day_moved(code):
    doc = code("On May 2, President Ivan Duque withdrew the tax reform, and his finance "
               "minister, Alberto Carrasquilla, resigned the next day.\n"
               "Police arrested the opposition leader Gustavo Bolivar on May 4.\n"
               "Two days later, protesters marched through the centre of Bogota.",
               published="2021-05-14")
    resigned = _by_trigger(doc, "resigned")
    assert str(resigned.date.value) == "2021-05-03"
    assert [doc.text[s.start : s.end] for s in resigned.date.evidence] == ["the next day"]
    marched = _by_trigger(doc, "marched")
    assert str(marched.date.value) == "2021-05-06"
    assert [doc.text[s.start : s.end] for s in marched.date.evidence] == ["Two days later"]


def test_a_counted_day_with_nothing_to_count_from_is_undated(code):
    # (the day of the saying, told after it, is not the resignation's)
    doc = code("The finance minister resigned the next day, officials said on Thursday.",
               published="2021-05-14")
    assert _by_trigger(doc, "resigned").date.value is None


def test_the_day_before_an_event_named_after_it_counts_from_that_event(code):
    # "the day before Wednesday's vote" is an offset of Wednesday, not of the day told last
    doc = code("Rebels attacked a convoy near Goma on Monday.\n"
               "Police arrested three organisers the day before Wednesday's vote.",
               published="2024-03-08")
    assert str(_by_trigger(doc, "arrested").date.value) == "2024-03-05"


def test_a_clause_a_day_after_the_main_one_is_dated_the_day_before(code):
    doc = code("The government on Tuesday banned the newspaper for two years, a day after "
               "police in Arusha fired tear gas at opposition supporters.",
               published="2024-03-08")
    firing = _by_trigger(doc, "fired")
    assert (str(firing.date.value), firing.date.precision) == ("2024-03-04", "day")
    assert [doc.text[s.start : s.end] for s in firing.date.evidence] == ["Tuesday"]
    ban = _by_trigger(doc, "banned")
    assert str(ban.date.value) == "2024-03-05"  # the main clause keeps its own day
    doc = code("Thousands of migrants spent the night on the bridge on Saturday, two days "
               "after officers fired pepper spray at them.", published="2024-03-09")
    spray = _by_trigger(doc, "fired")
    assert str(spray.date.value) == "2024-03-07"
    # the interval is not part of the date expression
    assert [doc.text[s.start : s.end] for s in spray.date.evidence] == ["Saturday"]
    # two events of one type, kept apart by the interval, each on its own day
    doc = code("The government on Tuesday banned the newspaper for two years, a day after "
               "police in Arusha arrested two opposition lawmakers.", published="2024-03-08")
    assert str(_by_trigger(doc, "banned").date.value) == "2024-03-05"
    assert str(_by_trigger(doc, "arrested").date.value) == "2024-03-04"
    # "days after": by how much is not said, so the main clause's day is not the
    # event's and it has none; "hours after" keeps the day
    doc = code("The minister resigned on Thursday, days after police detained his aide.",
               published="2024-03-08")
    assert _by_trigger(doc, "detained").date.value is None
    assert str(_by_trigger(doc, "resigned").date.value) == "2024-03-07"
    doc = code("The minister resigned on Thursday, hours after police detained his aide.",
               published="2024-03-08")
    assert str(_by_trigger(doc, "detained").date.value) == "2024-03-07"


def test_mentions_of_one_event_agree_once_an_interval_clause_is_counted_back(code):
    # the firing is told a day before Saturday and then on "Friday afternoon": one
    # event on Friday, without a conflict between Saturday and Friday
    doc = code("Thousands of migrants spent the night on a bridge over the river on "
               "Saturday, a day after police fired pepper spray at people who had pushed "
               "through a gate. The clash on Friday afternoon left several officers "
               "injured, the interior ministry said.", published="2018-10-20")
    firing = _by_trigger(doc, "pepper spray")
    assert (str(firing.date.value), firing.date.disputed) == ("2018-10-19", False)
    assert len(firing.mentions) == 2
    assert not [c for c in doc.conflicts if c.kind == "date"]


def test_a_date_in_a_quotation_or_a_relative_clause_does_not_date_the_event(code):
    # the year in the quote dates the elections, "this year" the chairmanship: the
    # accusation and the announcement are dated by "on Friday" and "on Thursday"
    doc = code('"Elections will be held when the constitution says, in 2021," the prime '
               'minister said on Friday, accusing Basha of trying to take power through '
               'violence.', published="2019-02-23", min_confidence=0)
    assert [e.date.value.isoformat() for e in doc.events if e.type == "ACCUSE"] == [
        "2019-02-22"]
    doc = code("Armenian Prime Minister Nikol Pashinyan, who chairs the alliance this year, "
               "announced on Thursday that it had agreed to send peacekeepers to Kazakhstan.",
               published="2022-01-07", min_confidence=0)
    agreed = [e for e in doc.events if e.type == "AGREE"]
    assert agreed and all(e.date.value.isoformat() == "2022-01-06" for e in agreed)


def test_an_offset_does_not_count_across_a_coordination(code):
    # "three days before the summit" is not counted from Friday: Friday is the talks'
    doc = code("Xi arrived in Port Moresby on a state visit three days before the summit and "
               "on Friday held talks with the leaders of eight Pacific island nations.",
               published="2018-11-19", min_confidence=0)
    talks = [e for e in doc.events if e.type == "CONSULT"]
    assert talks and {e.date.value.isoformat() for e in talks} == {"2018-11-16"}
    doc = code("The envoys met a week before March 10 in Geneva.", published="2024-03-20",
               min_confidence=0)
    assert [e.date.value.isoformat() for e in doc.events if e.type == "CONSULT"] == [
        "2024-03-03"]


def test_a_date_that_modifies_another_noun_does_not_date_the_event(code):
    # "the 2022 election" is the election's year, not the accusation's
    doc = code("Trump called the trial of Bolsonaro, who lost the 2022 election, a witch hunt "
               "and accused Brazil of attacks on free elections.", published="2025-07-11",
               min_confidence=0)
    accused = [e for e in doc.events if e.type == "ACCUSE"]
    assert accused and all(e.date.value is None or e.date.value.year == 2025
                           for e in accused)
    assert not any(e.background for e in accused)
    # but a noun that anchors the event in time dates it
    doc = code("Police have detained about 6,000 people since Sunday's election.",
               published="2020-08-12", min_confidence=0)
    assert [e.date.value.isoformat() for e in doc.events if e.type == "COERCE"] == [
        "2020-08-09"]


def test_an_event_of_last_month_is_background_and_one_of_this_month_is_not(code):
    # "last month" in a story of April 10: some day of March, most likely more than two
    # weeks before; its last day (March 31) is only ten days before
    text = ("Last month, the coast guards of the United States and Panama carried out a "
            "joint exercise on drug interdiction in the Gulf of Panama.")
    doc = code(text, published="2025-04-10", min_confidence=0)
    done = [e for e in doc.events if e.type == "COOPERATE"]
    assert done and all(e.background for e in done)
    doc = code(text.replace("Last month", "Earlier this month"), published="2025-04-20",
               min_confidence=0)
    done = [e for e in doc.events if e.type == "COOPERATE"]
    assert done and not any(e.background for e in done)


def test_earlier_this_year_is_background_once_the_year_is_weeks_old(code):
    # "earlier this year" in a May story: some day of March; in a January 12 story,
    # within the fortnight. A plain "this year" stays the whole year (never background)
    text = ("The Alliance of Democracies was sanctioned by Beijing earlier this year, but "
            "that has not stopped it from holding its annual summit.")
    for published, old in (("2021-05-15", True), ("2021-01-12", False)):
        doc = code(text, published=published, min_confidence=0)
        sanctioned = [e for e in doc.events if e.type == "SANCTION"]
        assert sanctioned and sanctioned[0].date.precision == "year"
        assert sanctioned[0].background is old
    doc = code(text.replace("earlier this year", "this year"), published="2021-05-15",
               min_confidence=0)
    assert not any(e.background for e in doc.events if e.type == "SANCTION")


def test_in_may_at_the_start_of_a_sentence_is_the_month(code):
    # the tagger gives the entity "May" without "In"; alone, "may" is the modal verb
    doc = code("In May, gunmen from the cartel shot down an army helicopter during an "
               "operation in neighbouring Jalisco, killing several soldiers.",
               published="2015-11-06", min_confidence=0)
    shot = [e for e in doc.events if e.type == "ASSAULT"]
    assert shot and shot[0].date.value.isoformat() == "2015-05-01"
    assert shot[0].date.precision == "month" and shot[0].background
    doc = code("Gunmen may attack the convoy, police said on Friday.", published="2015-11-06",
               min_confidence=0)
    assert all(e.date.value is None or e.date.precision == "day" for e in doc.events)
