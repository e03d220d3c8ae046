"""Publication dates from options and records: the one parser the CLI, the HTTP API,
the web pages and the readers share."""

from __future__ import annotations

import re
from datetime import date, datetime


def parse_date(value: object) -> date | None:
    """``YYYY-MM-DD``, ``YYYYMMDD`` or an ISO 8601 timestamp (``2024-03-08T10:00:00Z``)
    -> a date; ``None`` or "" -> None. Anything else raises ``ValueError``."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"a date must be a string, not {type(value).__name__}")
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{8}", text):
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise ValueError(f"{text[:40]!r} is not a date (YYYY-MM-DD)") from None
