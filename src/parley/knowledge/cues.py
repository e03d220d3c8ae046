"""The cue-word lists the coding rules read (``parley/data/lexicon/cues.yaml``).

Each section of the file becomes a frozen object whose attributes are frozensets of
lower-case words (or small mappings), so a rule reads ``cues.factuality.reported_adverbs``
and the words themselves stay in the data file.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, TypeVar, get_type_hints

from parley.errors import KnowledgeError
from parley.knowledge import loader
from parley.settings import Settings

_SOURCE = "parley/data/lexicon/cues.yaml"


@dataclass(frozen=True)
class FactualityCues:
    negating_verbs: frozenset[str]
    negating_particles: dict[str, str]
    hypothetical_governors: frozenset[str]
    planned_governors: frozenset[str]
    reported_governors: frozenset[str]
    reported_adverbs: frozenset[str]
    claim_verbs: frozenset[str]
    hypothetical_modifiers: frozenset[str]
    planned_modifiers: frozenset[str]
    hypothetical_nouns: frozenset[str]
    planned_nouns: frozenset[str]
    report_nouns: frozenset[str]
    hypothetical_modals: frozenset[str]
    planned_modals: frozenset[str]
    conditional_marks: frozenset[str]
    planned_frames: frozenset[str]
    planned_frames_bare: frozenset[str]


@dataclass(frozen=True)
class ArgumentCues:
    light_verbs: frozenset[str]
    object_prepositions: frozenset[str]
    accusing_verbs: frozenset[str]
    accused_prepositions: frozenset[str]
    visit_prepositions: frozenset[str]
    noun_actor_prepositions: frozenset[str]
    definite_determiners: frozenset[str]
    two_sided_lemmas: frozenset[str]
    reaction_types: frozenset[str]
    retold_events: dict[str, list[str]]
    retold_max_sentences: int


@dataclass(frozen=True)
class IntentCues:
    future_auxiliaries: frozenset[str]
    intent_verbs: frozenset[str]
    refusal_verbs: frozenset[str]
    intent_adjectives: frozenset[str]
    speech_verbs: frozenset[str]
    obligation_modals: frozenset[str]
    condition_marks: frozenset[str]


@dataclass(frozen=True)
class ActorCues:
    person_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    possessive_pronouns: frozenset[str]
    articles: frozenset[str]
    modifier_prepositions: frozenset[str]
    sector_labels: dict[str, str]
    generic_name_words: frozenset[str]
    honorifics: frozenset[str]
    name_particles: frozenset[str]


@dataclass(frozen=True)
class PlaceCues:
    place_prepositions: frozenset[str]
    place_nouns: frozenset[str]
    capital_nouns: frozenset[str]
    region_nouns: frozenset[str]
    lead_place_types: frozenset[str]


@dataclass(frozen=True)
class DateCues:
    number_words: dict[str, int | None]
    may_month_cues: frozenset[str]
    relative_steps: dict[str, int]
    today: tuple[str, ...]
    yesterday: tuple[str, ...]
    tomorrow: tuple[str, ...]
    weekday_abbreviations: dict[str, int]
    weekend: tuple[str, ...]
    holidays: dict[str, str]
    unit_words: dict[str, list]
    offsets: dict[str, int]
    told_offsets: dict[str, int]
    told_directions: dict[str, int]
    range_words: tuple[str, ...]
    month_first_countries: frozenset[str]
    durations: tuple[str, ...]
    same_day: tuple[str, ...]
    elapsed_year: tuple[str, ...]
    ordinal_nouns: tuple[str, ...]
    context_sentences: dict[str, int]
    interval_units: dict[str, int]


@dataclass(frozen=True)
class CleanCues:
    related_link_cues: tuple[str, ...]
    related_link_caps: tuple[str, ...]
    dateline_non_places: frozenset[str]


@dataclass(frozen=True)
class ConflictCues:
    account_phrases: tuple[str, ...]
    omission_phrases: tuple[str, ...]
    document_nouns: frozenset[str]
    repeat_words: tuple[str, ...]
    event_anaphors: frozenset[str]


@dataclass(frozen=True)
class Cues:
    factuality: FactualityCues
    arguments: ArgumentCues
    intents: IntentCues
    actors: ActorCues
    places: PlaceCues
    dates: DateCues
    clean: CleanCues
    conflicts: ConflictCues


T = TypeVar("T")


def _section(cls: type[T], raw: Any, name: str) -> T:
    if not isinstance(raw, dict):
        raise KnowledgeError(f"section {name!r} must be a mapping", source=_SOURCE)
    values: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name not in raw:
            raise KnowledgeError(f"{name}.{f.name} is missing", source=_SOURCE)
        value = raw[f.name]
        kind = str(f.type)
        if kind.startswith("frozenset"):
            value = frozenset(str(v) for v in value or ())
        elif kind.startswith("tuple"):
            value = tuple(str(v) for v in value or ())
        elif kind.startswith("dict"):
            if not isinstance(value, dict):
                raise KnowledgeError(f"{name}.{f.name} must be a mapping", source=_SOURCE)
            value = dict(value)
        values[f.name] = value
    return cls(**values)


def load_cues(settings: Settings) -> Cues:
    raw = loader.mapping("cues", settings)
    sections = get_type_hints(Cues)
    return Cues(**{f.name: _section(sections[f.name], raw.get(f.name), f.name)
                   for f in fields(Cues)})
