"""The trigger lexicon: which lemmas, phrases and verb+particle pairs signal which type.

Kept as data (``parley/data/lexicon/triggers.yaml``, read through
``parley.knowledge.loader``); a user's file adds entries or overrides the ones it names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parley.errors import KnowledgeError
from parley.knowledge import loader
from parley.model import PLOVER_TYPES
from parley.settings import Settings


@dataclass(frozen=True, slots=True)
class Entry:
    type: str
    lemmas: tuple[str, ...]
    pos: str  # verb | noun | phrase
    mode: str | None = None
    weight: float = 1.0
    objects: frozenset[str] = frozenset()
    particle: str | None = None  # "call+for": the verb needs a prt/prep child "for"


@dataclass
class Lexicon:
    verbs: dict[str, list[Entry]] = field(default_factory=dict)
    nouns: dict[str, list[Entry]] = field(default_factory=dict)
    phrases: dict[str, list[Entry]] = field(default_factory=dict)  # keyed by first lemma
    exclude: frozenset[str] = frozenset()


def _entries(data: dict, source: str) -> list[Entry]:
    out: list[Entry] = []
    for etype, parts in data.items():
        if etype.startswith("_"):
            continue
        if etype not in PLOVER_TYPES:
            raise KnowledgeError(f"unknown PLOVER type {etype!r}", source=source)
        for pos_key, pos in (("verbs", "verb"), ("nouns", "noun"), ("phrases", "phrase")):
            for raw, opts in ((parts or {}).get(pos_key) or {}).items():
                opts = opts or {}
                if not isinstance(opts, dict):
                    raise KnowledgeError(f"{etype} {raw!r}: options must be a mapping",
                                         source=source)
                text = str(raw).lower().strip()
                particle = None
                if "+" in text:
                    text, particle = (p.strip() for p in text.split("+", 1))
                lemmas = tuple(text.split())
                if pos == "phrase" and len(lemmas) == 1 and particle is None:
                    pos = "verb"
                out.append(Entry(
                    type=etype, lemmas=lemmas, pos="verb" if particle else pos,
                    mode=opts.get("mode"), weight=float(opts.get("weight", 1.0)),
                    objects=frozenset(str(o).lower() for o in opts.get("objects") or ()),
                    particle=particle,
                ))
    return out


def build_lexicon(settings: Settings) -> Lexicon:
    """The built-in lexicon with the user's files over it: a user entry replaces the
    built-in entry for the same word (whatever its type); ``_exclude`` lists add up."""
    entries: list[Entry] = []
    exclude: set[str] = set()
    for layer in loader.layers("triggers", settings):
        data = layer.data or {}
        if not isinstance(data, dict):
            raise KnowledgeError("expected a mapping of PLOVER types", source=layer.source)
        extra = _entries(data, layer.source)
        overridden = {(e.pos, e.lemmas, e.particle) for e in extra}
        entries = [e for e in entries if (e.pos, e.lemmas, e.particle) not in overridden] + extra
        exclude |= set(data.get("_exclude") or ())
    lex = Lexicon(exclude=frozenset(exclude))
    for e in entries:
        if e.pos == "verb" and len(e.lemmas) == 1:
            lex.verbs.setdefault(e.lemmas[0], []).append(e)
        elif e.pos == "noun" and len(e.lemmas) == 1:
            lex.nouns.setdefault(e.lemmas[0], []).append(e)
        else:
            lex.phrases.setdefault(e.lemmas[0], []).append(
                Entry(e.type, e.lemmas, "phrase", e.mode, e.weight, e.objects, e.particle))
    for bucket in lex.phrases.values():
        bucket.sort(key=lambda e: -len(e.lemmas))  # longest phrase first
    return lex
