"""The JSON the writer makes itself is what ``json.dumps`` (the JSON columns' own
encoder) would have stored."""

from __future__ import annotations

import json

from parley.model import Mention, Span
from parley.store.writer import _json_mentions, _json_spans, _json_strings


def test_lists_of_names_are_written_as_json_dumps_writes_them():
    for values in ([], [""], ["Kenya"], ["Kyiv", "the Ukraine", "U.S."],
                   ['say "no"', "back\\slash"], ["Orbán", "東京", "tab\there", "nl\n"],
                   ["a\x7f", "\x00", "\u2028", "é"], ['"', '", "'], ["a", "b", ""]):
        assert _json_strings(values) == json.dumps(values), values


def test_spans_and_mentions_are_written_as_json_dumps_writes_them():
    spans = [Span(start=0, end=5), Span(start=12, end=1234567)]
    assert _json_spans(spans) == json.dumps([{"start": s.start, "end": s.end} for s in spans])
    assert _json_spans([]) == json.dumps([])
    mentions = [Mention(start=0, end=40, trigger=Span(start=3, end=9)),
                Mention(start=41, end=90, trigger=Span(start=50, end=57))]
    assert _json_mentions(mentions) == json.dumps([
        {"start": m.start, "end": m.end,
         "trigger": {"start": m.trigger.start, "end": m.trigger.end}} for m in mentions])
    assert _json_mentions([]) == "[]"
