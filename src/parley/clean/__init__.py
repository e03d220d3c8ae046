"""Clean: find inline boilerplate and the dateline; nothing is deleted, spans are reported."""

from parley.clean.boilerplate import find_boilerplate
from parley.clean.dateline import find_dateline

__all__ = ["find_boilerplate", "find_dateline"]
