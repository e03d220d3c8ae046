"""Typed, coded errors. Only the CLI prints them, as one line."""

from __future__ import annotations


class ParleyError(Exception):
    """Base error: carries the input name, an optional position and an exit code."""

    code = "E000"
    exit_code = 2

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line

    def one_line(self) -> str:
        where = ""
        if self.source is not None:
            where = self.source
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        return f"{where}{self.message} [{self.code}]"


class InputMissing(ParleyError):
    code = "E001"


class InputUnreadable(ParleyError):
    """Binary data, invalid encoding, or an empty input."""

    code = "E002"


class InputTooLarge(ParleyError):
    code = "E003"


class InputMalformed(ParleyError):
    """A record in a structured input (JSONL line, feed item) is not what it must be."""

    code = "E004"


class ModelUnavailable(ParleyError):
    code = "E010"
    exit_code = 3


class KnowledgeError(ParleyError):
    """A knowledge-base or lexicon file (built-in or user-supplied) is invalid."""

    code = "E020"


class StoreError(ParleyError):
    code = "E030"


class CodingFailed(ParleyError):
    """The coder raised on one article: reported like a bad input, the rest go on."""

    code = "E031"


class PipelineError(ParleyError):
    """A pipeline built from stages that cannot run in that order (a programming error)."""

    code = "E050"


class GoldFormatError(ParleyError):
    code = "E040"


class ExtraMissing(ParleyError):
    """An optional feature whose extra (``pip install 'parley[EXTRA]'``) is not installed."""

    code = "E060"

    def __init__(self, feature: str, extra: str, *, source: str | None = None):
        super().__init__(f"{feature} needs the '{extra}' extra: "
                         f"pip install 'parley[{extra}]'", source=source)
        self.feature = feature
        self.extra = extra
