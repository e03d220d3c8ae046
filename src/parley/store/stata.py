"""A small writer of Stata .dta files (format 114, read by Stata 10 and later, R's
``haven``/``foreign`` and pandas), so Stata users get a native file without pandas.

Columns are typed from Python values: ``int`` -> long (4 bytes), ``float`` -> double,
``bool`` -> byte (0/1), ``datetime.date`` -> long with Stata's ``%td`` format (days
since 1 January 1960), ``str`` -> ``strN`` (N = the longest value, at most 244 bytes:
longer text is cut). Strings are Latin-1 as format 114 expects (characters outside it
become ``?``). ``None`` is Stata's missing value (``.``) for numbers, "" for strings.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

_EPOCH = date(1960, 1, 1)
_MAX_STR = 244
_LONG, _DOUBLE, _BYTE = 253, 255, 251
_MISSING_LONG = 2147483621
_MISSING_BYTE = 101
_MISSING_DOUBLE = struct.pack("<Q", 0x7FE0000000000000)


def _kind(values: Sequence[Any]) -> str:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "bool"
    if present and all(isinstance(v, date) and not isinstance(v, datetime)
                       for v in present):
        return "date"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        if all(-2147483647 <= v <= 2147483620 for v in present):
            return "int"
        return "float"
    if present and all(isinstance(v, int | float) and not isinstance(v, bool)
                       for v in present):
        return "float"
    return "str"


def _name(column: str, used: set[str]) -> str:
    # Stata names: letters, digits and _, at most 32, not starting with a digit
    base = re.sub(r"[^A-Za-z0-9_]", "_", column)[:32] or "v"
    if base[0].isdigit():
        base = ("_" + base)[:32]
    name, n = base, 1
    while name in used:
        n += 1
        name = f"{base[:28]}_{n}"
    used.add(name)
    return name


def _text(value: Any) -> bytes:
    return ("" if value is None else str(value)).encode("latin-1", "replace")[:_MAX_STR]


def write_dta(path: Path, columns: Sequence[str], rows: Sequence[dict[str, Any]], *,
              label: str = "") -> int:
    """Write ``rows`` (dicts keyed by ``columns``) to ``path``; return the row count."""
    if len(columns) > 32767:
        raise ValueError("Stata files hold at most 32,767 variables")
    data = {c: [r.get(c) for r in rows] for c in columns}
    kinds = {c: _kind(data[c]) for c in columns}
    widths = {c: max([1, *(len(_text(v)) for v in data[c])]) for c in columns
              if kinds[c] == "str"}
    used: set[str] = set()
    names = [_name(c, used) for c in columns]
    out = bytearray()
    out += struct.pack("<BBBBhi", 114, 2, 1, 0, len(columns), len(rows))
    out += label.encode("latin-1", "replace")[:80].ljust(81, b"\0")
    out += datetime.now().strftime("%d %b %Y %H:%M").encode("ascii").ljust(18, b"\0")
    types = {"int": _LONG, "float": _DOUBLE, "bool": _BYTE, "date": _LONG}
    out += bytes(types.get(kinds[c], 0) or widths[c] for c in columns)
    for n in names:
        out += n.encode("ascii").ljust(33, b"\0")
    out += b"\0" * (2 * (len(columns) + 1))  # no sort order
    formats = {"int": "%12.0g", "float": "%10.0g", "bool": "%8.0g", "date": "%td"}
    for c in columns:
        fmt = formats.get(kinds[c]) or f"%-{min(widths[c], 60)}s"
        out += fmt.encode("ascii").ljust(49, b"\0")
    out += b"\0" * (33 * len(columns))  # no value labels
    for c in columns:  # variable labels: the original column name
        out += c.encode("latin-1", "replace")[:80].ljust(81, b"\0")
    out += b"\0" * 5  # no expansion fields
    for i in range(len(rows)):
        for c in columns:
            v = data[c][i]
            k = kinds[c]
            if k == "str":
                out += _text(v).ljust(widths[c], b"\0")
            elif k == "float":
                out += _MISSING_DOUBLE if v is None else struct.pack("<d", float(v))
            elif k == "bool":
                out += struct.pack("<b", _MISSING_BYTE if v is None else int(bool(v)))
            elif k == "date":
                out += struct.pack("<i", _MISSING_LONG if v is None
                                   else (v - _EPOCH).days)
            else:
                out += struct.pack("<i", _MISSING_LONG if v is None else v)
    path.write_bytes(bytes(out))
    return len(rows)
