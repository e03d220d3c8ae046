"""Property-based tests (hypothesis) for the cleaner, the date resolver and the coder.

Budgets are fixed (max_examples, no deadline) so the whole module stays well under the
three minutes CI allows for fuzzing.
"""

from __future__ import annotations

import string
from datetime import date

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parley.clean import find_boilerplate as _find_boilerplate
from parley.clean import find_dateline as _find_dateline
from parley.contract import committed
from parley.knowledge import default_knowledge
from parley.model import Article
from parley.resolve.dates import resolve as _resolve


def find_boilerplate(text):
    return _find_boilerplate(text, default_knowledge().cues.clean)


def find_dateline(text):
    k = default_knowledge()
    return _find_dateline(text, k.cues.clean, k.gazetteer)


def resolve(expr, published):
    return _resolve(expr, published, default_knowledge().cues.dates)


FRAGMENTS = [
    "Kenya and Uganda signed a border agreement on Monday.",
    "Also Read: Celebrity chef opens a restaurant",
    "ALSO READ",
    "Russia may launch airstrikes if talks fail.",
    "NAIRBI — ",
    "The foreign ministers of Chad, Niger and Mali met in Niamey.",
    "Iran threatened to close the strait unless sanctions were lifted.",
    "Hamas denied carrying out the raid.",
    "السلام عليكم ",  # right-to-left
    "שלום ",
    "e\u0301\u0301 a\u0308 ",  # combining marks
    "\u202eevil\u202c ",  # bidi override
    "🙂 ",
    "\t",
    "\n",
    "\r\n",
    "Related: ",
    "Lima: ",
]
texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)),
                 min_size=1, max_size=12).map("".join).filter(lambda t: t.strip() != "")
SCHEMA = committed()


def _spans(doc):
    yield from ((r.start, r.end) for r in doc.removed)
    if doc.dateline:
        yield doc.dateline.start, doc.dateline.end
    for a in doc.actors:
        yield from ((m.start, m.end) for m in a.mentions)
    for e in doc.events:
        for m in e.mentions:
            yield m.start, m.end
            yield m.trigger.start, m.trigger.end
        yield from ((s.start, s.end) for s in e.date.evidence)
        if e.place:
            yield from ((s.start, s.end) for s in e.place.evidence)
    for c in doc.conflicts:
        yield from ((s.start, s.end) for s in c.evidence)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_cleaner_offsets_always_slice_text(text):
    removed = find_boilerplate(text)
    last = -1
    for r in removed:
        assert 0 <= r.start < r.end <= len(text)
        assert text[r.start : r.end] == r.text
        assert r.start > last
        last = r.end
    d = find_dateline(text)
    if d is not None:
        assert text[d.start : d.end] == d.raw


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=string.ascii_letters + string.digits + " .,-'", max_size=30),
       st.one_of(st.none(), st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 1, 1))))
def test_date_resolver_never_fails_and_returns_iso_dates(expr, published):
    got = resolve(expr, published)
    if got.value is not None:
        assert isinstance(got.value, date)
        assert got.precision in ("day", "week", "month", "year")
    if published is None and got.value is not None:
        # without a publication date only expressions with an explicit year resolve
        assert any(ch.isdigit() for ch in expr)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.one_of(st.none(), st.sampled_from(["2024-03-08", "2019-12-31"])))
def test_coder_output_validates_and_offsets_are_in_bounds(text, published):
    from parley import code_text

    doc = code_text(text, published=published)
    jsonschema.validate(doc.model_dump(mode="json"), SCHEMA)
    assert doc.text == text
    for start, end in _spans(doc):
        assert 0 <= start <= end <= len(text)
    for e in doc.events:
        for m in e.mentions:
            assert m.trigger.start < m.trigger.end
        ids = {a.id for a in doc.actors}
        assert all(p.actor in ids for p in e.participants)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=2, max_size=4))
def test_a_documents_result_does_not_depend_on_the_batch(batch):
    from parley.pipeline import code_article, code_articles

    articles = [Article(id=f"d{i}", text=t, published=date(2024, 3, 8)) for i, t in
                enumerate(batch)]
    together = list(code_articles(articles, batch_size=3))
    alone = [code_article(a) for a in articles]
    assert [d.model_dump() for d in together] == [d.model_dump() for d in alone]
