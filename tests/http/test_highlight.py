"""Segments from offsets and the chart layout, without a server."""

from __future__ import annotations

from datetime import date

from parley.fuse.dyads import PeriodRow
from parley.http.chart import dyad_chart, period_label
from parley.http.highlight import Mark, article_view, segments


def test_segments_cover_the_text_once_and_carry_overlapping_marks():
    text = "Kenya and Uganda agreed on Tuesday."
    marks = [Mark(0, 5, "actor", "a1"), Mark(10, 16, "actor", "a2"),
             Mark(17, 23, "trigger", "e1"), Mark(0, 35, "sentence", "e1"),
             Mark(27, 34, "date", "e1"), Mark(27, 34, "date", "e2")]
    segs = segments(text, marks)
    assert "".join(s.text for s in segs) == text
    assert all(a.end == b.start for a, b in zip(segs, segs[1:], strict=False))
    agreed = next(s for s in segs if s.text == "agreed")
    assert agreed.refs == {"trigger": ["e1"], "sentence": ["e1"]}
    assert agreed.classes == "h-trigger"
    tuesday = next(s for s in segs if s.text == "Tuesday")
    assert tuesday.attrs()["data-date"] == "e1 e2"


def test_segments_clip_bad_offsets_and_keep_empty_text_whole():
    segs = segments("abc", [Mark(2, 99, "actor", "a1"), Mark(5, 9, "date", "e1"),
                            Mark(1, 1, "trigger", "e1")])
    assert [(s.text, sorted(s.refs)) for s in segs] == [("ab", []), ("c", ["actor"])]
    assert segments("", []) == []


def test_conflict_marks_put_an_anchor_where_the_span_starts():
    segs = segments("one. two.", [Mark(5, 9, "conflict", "span-5-9")])
    assert [s.anchors for s in segs] == [[], ["span-5-9"]]


def test_article_view_of_a_coded_document(code):
    doc = code("NAIROBI — Kenya and Uganda agreed on Tuesday to build a railway.\n"
               "Also Read: Celebrity chef opens new restaurant in Paris",
               published="2024-03-06")
    view = article_view(doc)
    assert "".join(s.text for s in view.segments) == doc.text
    assert view.counts["dateline"] == 1 and view.counts["removed"] == 1
    assert view.events[0].trigger == "agreed"
    assert view.data["order"] == [e.id for e in doc.events]


def test_chart_stacks_quads_and_fills_empty_periods():
    rows = [PeriodRow(start=date(2024, 1, 1), counts={1: 2, 2: 0, 3: 1, 4: 0}, total=3,
                      mean_score=0.5),
            PeriodRow(start=date(2024, 3, 1), counts={1: 0, 2: 0, 3: 0, 4: 1}, total=1,
                      mean_score=-9.0)]
    chart = dyad_chart(rows, "month")
    assert [t.label for t in chart.x_ticks] == ["Jan 2024", "Feb", "Mar"]
    assert [b.quad for b in chart.bars] == [1, 3, 4]
    q1, q3, _ = chart.bars
    assert abs(q3.y + q3.height - q1.y) < 0.2  # stacked: q3 sits on q1
    assert chart.bars[0].href == "#p-2024-01-01"
    assert len(chart.points) == 2 and chart.points[1].y > chart.zero_y
    assert period_label(date(2024, 3, 4), "week") == "week of 4 Mar 2024"
