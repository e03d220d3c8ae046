"""Parley's data model: the document contract and the records stages pass along.

This module imports nothing else from Parley. Every fact points to character
offsets into ``Document.text``; ``docs/contract.md`` documents the JSON form and
``parley/contract.schema.json`` is generated from these classes.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)

EventType = Literal[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
]
Factuality = Literal["asserted", "negated", "hypothetical", "planned", "reported"]
Role = Literal["actor", "recipient", "participant"]
Precision = Literal["day", "week", "month", "year"]
ConflictKind = Literal["date", "participants", "place", "type"]
ActorKind = Literal["country", "person", "organisation", "group", "other"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """A half-open character range ``[start, end)`` into the document text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Removed(_Model):
    """Text kept in ``text`` but excluded from coding (inline boilerplate)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    reason: str


class Dateline(_Model):
    """The place of reporting at the head of the article ("NAIROBI —")."""

    place: str
    raw: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Actor(_Model):
    id: str
    name: str
    kind: ActorKind
    country: str | None = None
    sector: str | None = None
    aliases: list[str] = Field(default_factory=list)
    mentions: list[Span] = Field(default_factory=list)


class Participant(_Model):
    actor: str
    role: Role
    disputed: bool = False


class EventDate(_Model):
    value: str | None = None
    precision: Precision | None = None
    disputed: bool = False
    candidates: list[str] = Field(default_factory=list)
    evidence: list[Span] = Field(default_factory=list)  # the date expressions used


class Place(_Model):
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    evidence: list[Span] = Field(default_factory=list)  # the place name (or dateline)


class Mention(_Model):
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    trigger: Span


class Event(_Model):
    id: str
    type: EventType
    mode: str | None = None
    context: str | None = None
    factuality: Factuality
    participants: list[Participant] = Field(default_factory=list)
    date: EventDate = Field(default_factory=EventDate)
    place: Place | None = None
    mentions: list[Mention] = Field(default_factory=list)
    confidence: float = Field(ge=0.0, le=1.0)


class Conflict(_Model):
    kind: ConflictKind
    event: str
    detail: str
    evidence: list[Span] = Field(default_factory=list)


class Document(_Model):
    """The document contract: what ``parley code --format json`` prints."""

    id: str
    published: str | None = None
    title: str | None = None
    text: str
    dateline: Dateline | None = None
    removed: list[Removed] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)


class Article(_Model):
    """One input report before coding: what ingest produces."""

    id: str
    text: str
    published: str | None = None
    title: str | None = None
    url: str | None = None
    source: str = "-"
