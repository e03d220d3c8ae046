"""PLOVER events as CAMEO codes, for GDELT-style exports.

``src/parley/data/cameo.tsv`` holds, for every CAMEO code of the PLOVER project's
CAMEO-to-PLOVER conversion table (2021), the PLOVER type, mode and context it maps to
and the code's Goldstein scale value (GDELT's ``CAMEO.goldsteinscale.txt``). Exporting
goes the other way, PLOVER -> CAMEO, which is many-to-one in the table's direction and
so needs a rule (``cameo_code``): among the codes of the event's type, those with the
event's mode; the most general of them (a three-digit base code before a four-digit
one; the table's order breaks ties); with no code for the mode, the type's first
three-digit code without a mode, else its first three-digit code. The root code's
class is GDELT's QuadClass (01-05 verbal cooperation, 06-08 material cooperation,
09-13 verbal conflict, 14-20 material conflict).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class CameoCode:
    code: str
    type: str
    mode: str
    context: str
    goldstein: float
    description: str

    @property
    def base(self) -> str:
        return self.code[:3]

    @property
    def root(self) -> str:
        return self.code[:2]

    @property
    def quad_class(self) -> int:
        root = int(self.root)
        return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


@lru_cache(maxsize=1)
def cameo_table() -> tuple[CameoCode, ...]:
    text = resources.files("parley").joinpath("data/cameo.tsv").read_text("utf-8")
    rows: list[CameoCode] = []
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    for line in lines[1:]:  # the header line
        code, type_, mode, context, goldstein, description = line.split("\t")
        rows.append(CameoCode(code, type_, mode, context, float(goldstein), description))
    return tuple(rows)


@lru_cache(maxsize=1)
def goldstein_table() -> dict[str, float]:
    return {r.code: r.goldstein for r in cameo_table()}


def _generality(row: CameoCode) -> int:
    # a base code (3 digits) is the most general event code; a root (2) is a class
    return {3: 0, 4: 1}.get(len(row.code), 2)


@lru_cache(maxsize=512)
def cameo_code(event_type: str, mode: str | None) -> CameoCode | None:
    """The CAMEO code a PLOVER (type, mode) is exported as (see the module doc)."""
    rows = [r for r in cameo_table() if r.type == event_type]
    if not rows:
        return None
    wanted = (mode or "").strip().lower()
    codes = [r for r in rows if len(r.code) >= 3] or rows
    pool = ([r for r in codes if wanted and r.mode == wanted]
            or [r for r in codes if not r.mode] or codes)
    return min(enumerate(pool), key=lambda ir: (_generality(ir[1]), ir[0]))[1]
