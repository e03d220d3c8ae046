"""The trigger lexicon: which lemmas, phrases and verb+particle pairs signal which type.

Kept as data: the hand-written ``parley/data/lexicon/triggers.yaml`` (read through
``parley.knowledge.loader``), then the learned layer ``triggers_learned.yaml`` that sits
with the learned coder's models (``parley/data/models/``, written by ``make train`` from
the corpus train split: words that were triggers there and that the hand lexicon does not
list; its entries are marked ``learned`` and the learned scorer decides on each); a
user's file comes last, adding entries or overriding the ones it names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

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
    learned: bool = False  # from the learned layer (``_origin: learned``)

    __reduce__ = loader.by_constructor


@dataclass
class Lexicon:
    verbs: dict[str, list[Entry]] = field(default_factory=dict)
    nouns: dict[str, list[Entry]] = field(default_factory=dict)
    phrases: dict[str, list[Entry]] = field(default_factory=dict)  # keyed by first lemma
    adjectives: dict[str, list[Entry]] = field(default_factory=dict)  # "ready", "due"
    exclude: frozenset[str] = frozenset()


_POS_KEYS = (("verbs", "verb"), ("nouns", "noun"), ("phrases", "phrase"),
             ("adjectives", "adj"))


def _entries(data: dict, source: str) -> list[Entry]:
    out: list[Entry] = []
    origin = data.get("_origin")
    if origin not in (None, "learned"):
        raise KnowledgeError(f"_origin must be 'learned' if given, not {origin!r}",
                             source=source)
    for etype, parts in data.items():
        if etype.startswith("_"):
            continue
        if etype not in PLOVER_TYPES:
            raise KnowledgeError(f"unknown PLOVER type {etype!r}", source=source)
        if not isinstance(parts, dict | None):
            raise KnowledgeError(f"{etype}: expected verbs / nouns / phrases / adjectives",
                                 source=source)
        for pos_key, pos in _POS_KEYS:
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
                    particle=particle, learned=origin == "learned",
                ))
    return out


LEARNED_FILE = "triggers_learned.yaml"


def _learned_file(settings: Settings) -> tuple[str, Any] | None:
    """(name for messages, readable file) of the learned layer in use, or None."""
    if settings.models_dir:
        path = Path(settings.models_dir) / LEARNED_FILE
        return (str(path), path) if path.is_file() else None
    res = resources.files("parley").joinpath("data", "models", LEARNED_FILE)
    return (f"parley/data/models/{LEARNED_FILE}", res) if res.is_file() else None


def learned_layer(settings: Settings) -> loader.Layer | None:
    """The learned layer beside the models in use (``models_dir`` or the package's)."""
    found = _learned_file(settings)
    if found is None:
        return None
    name, file = found
    return loader.Layer(name, loader.read_yaml(name, file.read_text("utf-8")), True)


def hand_layers(settings: Settings) -> tuple[list[loader.Layer], list[loader.Layer]]:
    """(built-in, user) layers of the trigger lexicon, without the learned one."""
    found = loader.layers("triggers", settings)
    return [x for x in found if x.builtin], [x for x in found if not x.builtin]


def build_lexicon(settings: Settings, learned: loader.Layer | None | bool = True) -> Lexicon:
    """The built-in lexicon, the learned layer (the packaged one, another given, or none
    with ``learned=False``), and the user's files over them: a later entry replaces an
    earlier one for the same word (whatever its type); ``_exclude`` lists add up.

    The lexicon in use (``learned=True``) is compiled once and then read from a cache
    keyed by the content of every file behind it, as the knowledge base is."""
    cache = _cache_path(settings) if learned is True else None
    if cache is not None:
        cached = loader.read_compiled(cache)
        if isinstance(cached, Lexicon):
            return cached
    builtin, user = hand_layers(settings)
    if learned is True:
        learned = learned_layer(settings)
    middle = [learned] if isinstance(learned, loader.Layer) else []
    lex = lexicon_from_layers([*builtin, *middle, *user])
    if cache is not None:
        loader.write_compiled(cache, lex)
    return lex


def _cache_path(settings: Settings) -> Path:
    import hashlib

    found = _learned_file(settings)
    learned = hashlib.sha256(found[1].read_bytes() if found else b"").hexdigest()[:16]
    digest = loader.fingerprint(("triggers",), settings, f"lexicon-1-{learned}")
    return Path(settings.cache_dir) / f"lexicon-{digest}.pickle"


def lexicon_from_layers(layers: list[loader.Layer]) -> Lexicon:
    entries: list[Entry] = []
    exclude: set[str] = set()
    for layer in layers:
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
        elif e.pos == "adj" and len(e.lemmas) == 1:
            lex.adjectives.setdefault(e.lemmas[0], []).append(e)
        else:
            lex.phrases.setdefault(e.lemmas[0], []).append(
                Entry(e.type, e.lemmas, "phrase", e.mode, e.weight, e.objects, e.particle,
                      e.learned))
    for bucket in lex.phrases.values():
        bucket.sort(key=lambda e: -len(e.lemmas))  # longest phrase first
    return lex
