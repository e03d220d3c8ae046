"""The dyad page's chart, laid out in Python and drawn as inline SVG by a template.

Stacked bars per period (one colour per quad class, events counted on the left axis)
and the mean PLOVER score of each period as a line (-10..+10 on the right axis). The
geometry is computed here; ``_chart.html`` only writes the elements, so every label
goes through autoescape like any other text.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from parley.fuse.dyads import PeriodRow

QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
         4: "material conflict"}
# slots drawn at most: every period from the first to the last keeps its place (so
# 2019, 2024 and 2025 are never drawn side by side); beyond this, ``dyad_chart`` is
# asked for a coarser period by the page (``coarser``)
MAX_SLOTS = 800
WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 52, 52, 20, 40
SCORE_MAX = 10.0


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    quad: int
    href: str
    title: str


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    bars: list[Bar]
    points: list[Point]
    lines: list[str]  # polyline points "x,y x,y", one per run of adjacent periods
    count_ticks: list[Tick]
    score_ticks: list[Tick]
    x_ticks: list[Tick]
    zero_y: float
    title: str


def period_id(start: date) -> str:
    """The element id of a period's event list (the bars link to it)."""
    return f"p-{start.isoformat()}"


def period_label(start: date, by: str) -> str:
    """"Mar 2024", "week of 4 Mar 2024", "4 Mar 2024"."""
    if by == "month":
        return f"{calendar.month_abbr[start.month]} {start.year}"
    day = f"{start.day} {calendar.month_abbr[start.month]} {start.year}"
    return f"week of {day}" if by == "week" else day


def _tick_label(start: date, by: str, previous: date | None) -> str:
    """An axis label: the year only where it changes ("Jan 2024", "Feb", "8 Jan 2024")."""
    new_year = previous is None or previous.year != start.year
    if by == "month":
        return f"{calendar.month_abbr[start.month]}" + (f" {start.year}" if new_year else "")
    return f"{start.day} {calendar.month_abbr[start.month]}" + (
        f" {start.year}" if new_year else "")


def _next(start: date, by: str) -> date:
    if by == "day":
        return start + timedelta(days=1)
    if by == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def n_slots(rows: Sequence[PeriodRow], by: str) -> int:
    """How many periods lie from the first row's to the last's, both included."""
    if not rows:
        return 0
    first, last = rows[0].start, rows[-1].start
    if by == "day":
        return (last - first).days + 1
    if by == "week":
        return (last - first).days // 7 + 1
    return (last.year - first.year) * 12 + last.month - first.month + 1


def coarser(rows: Sequence[PeriodRow], by: str) -> str | None:
    """The next coarser period when ``by`` would need more than ``MAX_SLOTS`` slots."""
    if n_slots(rows, by) <= MAX_SLOTS or by == "month":
        return None
    return "week" if by == "day" else "month"


def _slots(rows: Sequence[PeriodRow], by: str) -> list[date]:
    """Every period from the first to the last: empty periods keep their place."""
    if not rows:
        return []
    starts = [rows[0].start]
    while starts[-1] < rows[-1].start:
        starts.append(_next(starts[-1], by))
    return starts


def _nice_axis(n: int) -> tuple[int, int]:
    """The top of the count axis and its tick step: at most 5 steps of 1, 2, 5, 10..."""
    n = max(1, n)
    step = 1
    while -(-n // step) > 5:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return step * -(-n // step), step


def dyad_chart(rows: Sequence[PeriodRow], by: str, *, title: str = "") -> Chart:
    slots = _slots(rows, by)
    by_start = {r.start: r for r in rows}
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    bottom = TOP + plot_h
    top_count, step = _nice_axis(max((r.total for r in rows), default=1))
    slot_w = plot_w / max(1, len(slots))
    bar_w = max(2.0, min(44.0, slot_w * 0.62))

    def y_count(n: float) -> float:
        return bottom - plot_h * n / top_count

    def y_score(v: float) -> float:
        return TOP + plot_h * (SCORE_MAX - v) / (2 * SCORE_MAX)

    bars: list[Bar] = []
    points: list[Point] = []
    x_ticks: list[Tick] = []
    # leave every label room: ~6.5 px a character at 11 px
    every = max(1, -(-int(12 * 6.5 + 10) // max(1, int(slot_w))))
    previous: date | None = None
    runs: list[list[Point]] = []
    last_i = -2
    for i, start in enumerate(slots):
        cx = LEFT + slot_w * (i + 0.5)
        if i % every == 0:
            x_ticks.append(Tick(x=round(cx, 1), y=bottom + 16,
                                label=_tick_label(start, by, previous)))
            previous = start
        row = by_start.get(start)
        if row is None:
            continue
        level = 0
        for quad in (1, 2, 3, 4):
            n = row.counts.get(quad, 0)
            if not n:
                continue
            y0, y1 = y_count(level), y_count(level + n)
            bars.append(Bar(x=round(cx - bar_w / 2, 1), y=round(y1, 1), width=round(bar_w, 1),
                            height=round(y0 - y1, 1), quad=quad, href="#" + period_id(start),
                            title=f"{period_label(start, by)}: {n} {QUADS[quad]}"))
            level += n
        point = Point(x=round(cx, 1), y=round(y_score(row.mean_score), 1),
                      title=f"{period_label(start, by)}: mean score "
                            f"{row.mean_score:g} over {row.total} events")
        points.append(point)
        # the score line joins adjacent periods only: an empty period breaks it
        if i == last_i + 1:
            runs[-1].append(point)
        else:
            runs.append([point])
        last_i = i
    count_ticks = [Tick(x=LEFT - 8, y=round(y_count(n), 1), label=str(n))
                   for n in range(0, top_count + 1, step)]
    score_ticks = [Tick(x=WIDTH - RIGHT + 8, y=round(y_score(v), 1), label=f"{v:+g}" if v
                        else "0") for v in (-10, -5, 0, 5, 10)]
    return Chart(width=WIDTH, height=HEIGHT, left=LEFT, right=WIDTH - RIGHT, top=TOP,
                 bottom=bottom, bars=bars, points=points,
                 lines=[" ".join(f"{p.x},{p.y}" for p in run) for run in runs if len(run) > 1],
                 count_ticks=count_ticks,
                 score_ticks=score_ticks, x_ticks=x_ticks, zero_y=round(y_score(0), 1),
                 title=title)


def period_end(start: date, by: str) -> date:
    """The last day of the period that starts on ``start``."""
    return _next(start, by) - timedelta(days=1)
