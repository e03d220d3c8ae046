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
