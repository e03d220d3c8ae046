"""Drawing a dyad's cooperation-conflict series: SVG written directly, PNG with matplotlib.

Both show the same two panels: stacked bars of events per quad class per period, and
the mean PLOVER score per period as a line. The SVG needs nothing beyond the standard
library; PNG needs matplotlib, the optional ``plots`` extra.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from parley.errors import ExtraMissing, StoreError
from parley.fuse.dyads import Period, PeriodRow
from parley.knowledge import plover_table

_FORMATS = {".png": "png", ".svg": "svg"}
# cooperation in blues, conflict in reds; verbal lighter than material
_COLOURS = {1: "#9ecae1", 2: "#3182bd", 3: "#fc9272", 4: "#de2d26"}
_WIDTH = {"day": 0.8, "week": 5.0, "month": 24.0}
_LENGTH = {"day": 1, "week": 7, "month": 31}


def plot_series(rows: Sequence[PeriodRow], path: Path, *, title: str,
                by: Period = "month") -> Path:
    """Stacked bars of events per quad class and the mean score line, to PNG or SVG."""
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise StoreError("the plot file must end in .png or .svg", source=str(path))
    if fmt == "svg":
        path.write_text(series_svg(rows, title=title, by=by), encoding="utf-8")
        return path
    return _plot_png(rows, path, title=title, by=by)


# -- SVG --------------------------------------------------------------------------------

W, H = 900, 600
LEFT, RIGHT = 70, 20
TOP_Y0, TOP_Y1 = 50, 380  # bar panel
BOT_Y0, BOT_Y1 = 410, 540  # score panel


def _step(n: int) -> int:
    """A tick step of 1, 2, 5, 10, 20, 50... giving at most 6 steps up to ``n``."""
    step = 1
    while -(-n // step) > 6:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return step


def _label(start: date, by: str) -> str:
    if by == "month":
        return f"{calendar.month_abbr[start.month]} {start.year}"
    return f"{start.day} {calendar.month_abbr[start.month]} {start.year}"


def _text(x: float, y: float, s: str, *, anchor: str = "middle", size: int = 12,
          extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"'
            f'{extra}>{escape(s)}</text>')


def series_svg(rows: Sequence[PeriodRow], *, title: str, by: Period = "month") -> str:
    """The chart as a standalone SVG document (time on the x axis, as in the PNG)."""
    names = plover_table().quads
    first = rows[0].start if rows else date.today()
    last = rows[-1].start if rows else first
    day0 = first - timedelta(days=_LENGTH[by] * 0.5)
    span = max(1.0, (last - day0).days + _LENGTH[by] * 1.5)
    plot_w = W - LEFT - RIGHT

    def x_of(day: date, offset: float = 0.0) -> float:
        return LEFT + plot_w * ((day - day0).days + offset) / span

    top = max((r.total for r in rows), default=1) or 1
    step = _step(top)
    top = step * -(-top // step)

    def y_count(n: float) -> float:
        return TOP_Y1 - (TOP_Y1 - TOP_Y0) * n / top

    def y_score(v: float) -> float:
        return BOT_Y0 + (BOT_Y1 - BOT_Y0) * (10.5 - v) / 21.0

    bar_w = max(1.0, plot_w * _WIDTH[by] / span)
    centre = _WIDTH[by] / 2 if by != "day" else 0.0
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'viewBox="0 0 {W} {H}" font-family="DejaVu Sans, Arial, sans-serif">',
           f"<title>{escape(title)}</title>",
           '<rect width="100%" height="100%" fill="#ffffff"/>',
           _text(W / 2, 30, title, size=15)]
    for n in range(0, top + 1, step):  # count axis and grid
        y = y_count(n)
        out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                   'stroke="#e5e5e5"/>')
        out.append(_text(LEFT - 8, y + 4, str(n), anchor="end", size=11))
    for v in (-10, -5, 0, 5, 10):  # score axis
        out.append(_text(LEFT - 8, y_score(v) + 4, f"{v:+d}" if v else "0", anchor="end",
                         size=11))
    mid_top, mid_bot = (TOP_Y0 + TOP_Y1) / 2, (BOT_Y0 + BOT_Y1) / 2
    out.append(_text(20, mid_top, "events", extra=f' transform="rotate(-90 20 {mid_top})"'))
    out.append(_text(20, mid_bot, "mean PLOVER score", size=11,
                     extra=f' transform="rotate(-90 20 {mid_bot})"'))
    for p0, p1 in ((TOP_Y0, TOP_Y1), (BOT_Y0, BOT_Y1)):
        out.append(f'<rect x="{LEFT}" y="{p0}" width="{plot_w}" height="{p1 - p0}" '
                   'fill="none" stroke="#333333"/>')
    out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y_score(0):.1f}" '
               f'y2="{y_score(0):.1f}" stroke="#888888" stroke-width="0.8"/>')
    points = []
    for r in rows:
        x = x_of(r.start, centre)
        level = 0
        for quad in (1, 2, 3, 4):
            n = r.counts.get(quad, 0)
            if not n:
                continue
            y0, y1 = y_count(level), y_count(level + n)
            out.append(f'<rect x="{x - bar_w / 2:.1f}" y="{y1:.1f}" width="{bar_w:.1f}" '
                       f'height="{y0 - y1:.1f}" fill="{_COLOURS[quad]}">'
                       f"<title>{escape(f'{_label(r.start, by)}: {n} {names[quad]}')}"
                       "</title></rect>")
            level += n
        points.append((x, y_score(r.mean_score), r))
    if len(points) > 1:
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
        out.append(f'<polyline points="{line}" fill="none" stroke="#333333" '
                   'stroke-width="1.5"/>')
    for x, y, r in points:
        tip = f"{_label(r.start, by)}: mean score {r.mean_score:g} over {r.total} events"
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#333333">'
                   f"<title>{escape(tip)}</title></circle>")
    every = max(1, -(-len(rows) // 10))  # at most ~10 date labels
    for r in rows[::every]:
        out.append(_text(x_of(r.start, centre), BOT_Y1 + 18, _label(r.start, by), size=11))
    out.append(_text(LEFT + plot_w / 2, H - 15, by))
    for i, quad in enumerate((1, 2, 3, 4)):  # legend, two columns, top left
        lx, ly = LEFT + 10 + (i % 2) * 190, TOP_Y0 + 10 + (i // 2) * 18
        out.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" '
                   f'fill="{_COLOURS[quad]}"/>')
        out.append(_text(lx + 18, ly + 10, names[quad], anchor="start", size=11))
    out.append("</svg>")
    return "\n".join(out) + "\n"


# -- PNG (matplotlib) --------------------------------------------------------------------

def _plot_png(rows: Sequence[PeriodRow], path: Path, *, title: str, by: Period) -> Path:
    try:
        import matplotlib
    except ImportError:
        raise ExtraMissing("a PNG plot (--plot FILE.png)", "plots", source=str(path)
                           ) from None

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = plover_table().quads
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6), sharex=True,
                                      gridspec_kw={"height_ratios": [2, 1]})
    try:
        starts = [r.start for r in rows]
        base = [0] * len(rows)
        # centre each bar on its period
        offset = timedelta(days=_WIDTH[by] / 2 if by != "day" else 0)
        xs = [s + offset for s in starts]
        for quad in (1, 2, 3, 4):
            heights = [r.counts[quad] for r in rows]
            top.bar(xs, heights, bottom=base, width=_WIDTH[by], color=_COLOURS[quad],
                    label=names[quad])
            base = [b + h for b, h in zip(base, heights, strict=True)]
        top.set_ylabel("events")
        top.legend(loc="upper left", fontsize="small", ncol=2)
        top.set_title(title)
        bottom.axhline(0, color="#888888", linewidth=0.8)
        bottom.plot(xs, [r.mean_score for r in rows], marker="o", color="#333333")
        bottom.set_ylim(-10.5, 10.5)
        bottom.set_ylabel("mean PLOVER score")
        bottom.set_xlabel(by)
        fig.autofmt_xdate()
        fig.tight_layout()
        fig.savefig(str(path), format="png", dpi=100)
    finally:
        plt.close(fig)
    return path
