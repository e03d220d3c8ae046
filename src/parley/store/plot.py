"""Drawing a dyad's cooperation-conflict series (matplotlib, Agg: no display needed)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from parley.errors import StoreError
from parley.fuse.dyads import Period, PeriodRow
from parley.knowledge import plover_table

_FORMATS = {".png": "png", ".svg": "svg"}
# cooperation in blues, conflict in reds; verbal lighter than material
_COLOURS = {1: "#9ecae1", 2: "#3182bd", 3: "#fc9272", 4: "#de2d26"}
_WIDTH = {"day": 0.8, "week": 5.0, "month": 24.0}


def plot_series(rows: Sequence[PeriodRow], path: Path, *, title: str,
                by: Period = "month") -> Path:
    """Stacked bars of events per quad class and the mean score line, to PNG or SVG."""
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise StoreError("the plot file must end in .png or .svg", source=str(path))
    import matplotlib

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
        fig.savefig(str(path), format=fmt, dpi=100)
    finally:
        plt.close(fig)
    return path
