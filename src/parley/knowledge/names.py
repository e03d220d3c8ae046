"""The matching key of a name: how two spellings of one name are made to compare equal."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case, strip diacritics and punctuation spacing: the matching key."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").lower()
    return re.sub(r"[\s\-]+", " ", text).strip(" .")
