"""Parley's data model: the document contract and every record the stages pass along.

This module imports nothing else from Parley. Every fact points to character offsets
into ``Document.text``; ``docs/contract.md`` documents the JSON form and
``parley/contract.schema.json`` is generated from these classes.

Two kinds of record live here, all immutable:

* the **contract** (pydantic models, frozen): ``Article`` in, ``Document`` out, and the
  parts of a document (``Actor``, ``Event``, ``Conflict`` ...). Dates are
  ``datetime.date`` in Python and ISO strings in JSON;
* the **stage records** (frozen dataclasses): what one pipeline stage hands the next
  (``ActorMention``, ``ActorRef``, ``Candidate`` ...) and ``Work``, the record a stage
  receives and returns (``dataclasses.replace``, never mutation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

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

PLOVER_TYPES: tuple[str, ...] = get_args(EventType)
FACTUALITIES: tuple[str, ...] = get_args(Factuality)
PRECISIONS: tuple[str, ...] = get_args(Precision)


# -- the contract ------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
    kb_id: str | None = None  # the knowledge-base entity ("country:KEN", "per:...")
    aliases: list[str] = Field(default_factory=list)
    mentions: list[Span] = Field(default_factory=list)


class Participant(_Model):
    actor: str
    role: Role
    disputed: bool = False


class EventDate(_Model):
    value: date | None = None
    precision: Precision | None = None
    disputed: bool = False
    candidates: list[date] = Field(default_factory=list)
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
    # the event happened well before the report (its date, or the text, places it more
    # than two weeks before publication): kept in the document, not counted as news
    background: bool = False


class Conflict(_Model):
    kind: ConflictKind
    event: str
    detail: str
    evidence: list[Span] = Field(default_factory=list)


class TextSignature(_Model):
    """The text's MinHash signature, which the store compares to find syndicated
    copies (near-duplicates): ``minhash`` is the values as base64 of little-endian
    uint32; ``scheme`` names how they were computed (``parley.clean.minhash``), so a
    signature made another way is computed again rather than compared."""

    scheme: str
    minhash: str = Field(pattern=r"^[A-Za-z0-9+/]*={0,2}$")


class Document(_Model):
    """The document contract: what ``parley code --format json`` prints."""

    id: str
    published: date | None = None
    title: str | None = None
    text: str
    dateline: Dateline | None = None
    removed: list[Removed] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)
    # computed where the document is coded (the ``clean`` stage); None: the text has
    # no words, or the document was coded without it (the store computes it then)
    signature: TextSignature | None = None


class Article(_Model):
    """One input report before coding: what ingest produces."""

    id: str
    text: str
    published: date | None = None
    title: str | None = None
    url: str | None = None
    source: str = "-"


# -- records between stages ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActorMention:
    """A name found in the text (tokens ``[start_tok, end_tok)``): a knowledge-base
    entity, or a named entity the knowledge base does not know."""

    start_tok: int
    end_tok: int
    entity: str | None  # knowledge-base id, None for an unknown named entity
    how: str  # name | demonym | adjective | capital | seat | ner
    label: str  # knowledge-base kind or spaCy label


@dataclass(frozen=True, slots=True)
class ActorRef:
    """One resolved actor reference with the span that names it."""

    key: str
    name: str
    kind: str
    country: str | None
    sector: str | None
    start: int
    end: int
    surface: str
    kb_id: str | None = None  # the knowledge-base entity, when the actor is one


@dataclass(frozen=True, slots=True)
class ActorTable:
    """What the actors stage found: the name mentions, in text order, and for each
    mention of a person the identity it resolves to (``None`` for other mentions).

    Person identities are settled once, in text order ("Doe" after "Jane Doe" is the
    same person), so resolving a reference later is a pure lookup.
    """

    mentions: tuple[ActorMention, ...] = ()
    persons: tuple[ActorRef | None, ...] = ()
    by_token: dict[int, int] = field(default_factory=dict)  # token index -> mention index


@dataclass(frozen=True, slots=True)
class Trigger:
    """A lexicon match in a sentence: tokens ``[start_tok, end_tok)``, head ``head_i``."""

    type: str
    mode: str | None
    weight: float
    head_i: int
    start_tok: int
    end_tok: int
    learned: bool = False  # from the learned lexicon layer


@dataclass(frozen=True, slots=True)
class DateRef:
    """A date expression attached to a candidate and what it resolves to."""

    value: date
    precision: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Candidate:
    """One event mention found in a sentence: a trigger, its participants and markers.

    Offsets are characters; ``head_i`` is the trigger head's token index in the parse.
    """

    type: str
    mode: str | None
    factuality: str
    weight: float
    trigger_start: int
    trigger_end: int
    sent_start: int
    sent_end: int
    head_i: int
    depth: int  # distance of the trigger (or its light verb) from the clause root
    nominal: bool
    definite: bool
    actors: tuple[ActorRef, ...] = ()
    recipients: tuple[ActorRef, ...] = ()
    subordinate: bool = False  # in a purpose/complement clause of another event
    date: DateRef | None = None
    place: Place | None = None
    origin: str = "lexicon"  # lexicon | learned | intent (stated intention) | demand ("Y must")
    background: bool = False  # happened well before the news (the timing decision)
    score: float | None = None  # the learned scorer's probability that this is the event

    @property
    def participant_keys(self) -> set[str]:
        return {r.key for r in self.actors + self.recipients}


@dataclass(frozen=True)
class Work:
    """The record a pipeline stage receives and returns.

    ``knowledge`` is the ``parley.knowledge.Knowledge`` the pipeline was built with;
    ``doc`` is the spaCy parse of ``codable`` (same length and offsets as the text).
    Fields stay ``None`` until the stage that assigns them has run.
    """

    article: Article
    knowledge: Any = None
    removed: tuple[Removed, ...] | None = None
    dateline: Dateline | None = None
    codable: str | None = None
    signature: TextSignature | None = None
    doc: Any = None
    actors: ActorTable | None = None
    candidates: tuple[Candidate, ...] | None = None
    document: Document | None = None

    @property
    def published(self) -> date | None:
        return self.article.published
