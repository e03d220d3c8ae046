"""The one loader for Parley's knowledge files, with user overrides by key.

Every data file Parley reads (the knowledge base, the trigger lexicon, role nouns, the
cue-word lists, PLOVER scores) is registered here under a key. ``layers(key)`` returns
the built-in file(s) for the key followed by the user's overrides, in that order:

* ``Settings.user_knowledge`` (``PARLEY_USER_KNOWLEDGE=DIR``): a folder laid out like
  ``parley/data/``; a file found there at the same relative path overrides the built-in
  one **by key** (mapping files merge key by key, record files by record ``id``);
* the per-file settings kept from earlier versions: ``user_kb`` (one YAML mapping with
  any of the sections ``countries``, ``organisations``, ``groups``, ``people``) and
  ``user_lexicon`` (a file shaped like ``lexicon/triggers.yaml``).

Builders (``kb``, ``lexicon``, ``cues`` ...) decide how layers combine; the generic
``merge_mappings`` and ``merge_records`` cover the usual cases.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from parley.errors import KnowledgeError
from parley.settings import Settings

try:  # libyaml is several times faster; the pure-Python loader is the fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# key -> package-relative data files (several files of one key are layered in order)
DATA_FILES: dict[str, tuple[str, ...]] = {
    "countries": ("kb/countries.yaml",),
    # a section is one file or a folder of files (the shipped KB is compiled into folders;
    # a user's folder may use either)
    "organisations": ("kb/organisations.yaml", "kb/organisations/*.yaml"),
    "groups": ("kb/groups.yaml", "kb/groups/*.yaml"),
    "people": ("kb/people.yaml", "kb/people/*.yaml"),
    "absent_offices": ("kb/absent_offices.yaml",),
    "regions": ("kb/regions.yaml",),
    "triggers": ("lexicon/triggers.yaml",),
    "roles": ("lexicon/roles.yaml",),
    "cues": ("lexicon/cues.yaml",),
    "plover": ("plover.yaml",),
    "html": ("html.yaml",),
}
KB_SECTIONS = ("countries", "organisations", "groups", "people")


@dataclass(frozen=True)
class Layer:
    source: str  # a name for error messages: "parley/data/..." or the user's path
    data: object
    builtin: bool


def read_yaml(source: str, text: str) -> object:
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"not valid YAML: {exc}".replace("\n", " "), source=source) from None


def _package_file(rel: str):
    return resources.files("parley").joinpath("data", *rel.split("/"))


def _package_files(rel: str) -> list:
    """The package files of ``rel``: one file, or every file a ``folder/*.yaml`` pattern
    matches (in name order)."""
    if "*" not in rel:
        res = _package_file(rel)
        return [res] if res.is_file() else []
    folder, pattern = rel.rsplit("/", 1)
    root = _package_file(folder)
    if not root.is_dir():
        return []
    return sorted((f for f in root.iterdir() if f.is_file() and fnmatch(f.name, pattern)),
                  key=lambda f: f.name)


def _user_files(key: str, settings: Settings) -> list[Path]:
    out: list[Path] = []
    if settings.user_knowledge:
        root = Path(settings.user_knowledge)
        if not root.is_dir():
            raise KnowledgeError("user knowledge folder not found", source=str(root))
        for rel in DATA_FILES[key]:
            if "*" in rel:
                out.extend(sorted(root.glob(rel)))
            elif (root / rel).is_file():
                out.append(root / rel)
    return out


def layers(key: str, settings: Settings) -> list[Layer]:
    """The built-in data of ``key`` and the user's overrides, in the order they apply."""
    if key not in DATA_FILES:
        raise KeyError(key)
    found: list[Layer] = []
    for rel in DATA_FILES[key]:
        for res in _package_files(rel):
            name = f"parley/data/{rel.rsplit('/', 1)[0]}/{res.name}" if "*" in rel else (
                f"parley/data/{rel}")
            found.append(Layer(name, read_yaml(name, res.read_text("utf-8")), True))
    for path in _user_files(key, settings):
        found.append(Layer(str(path), read_yaml(str(path), path.read_text("utf-8")), False))
    legacy = settings.user_kb if key in KB_SECTIONS else (
        settings.user_lexicon if key == "triggers" else None)
    if legacy:
        path = Path(legacy)
        if not path.is_file():
            what = "knowledge-base" if key in KB_SECTIONS else "lexicon"
            raise KnowledgeError(f"user {what} file not found", source=legacy)
        data = read_yaml(legacy, path.read_text("utf-8")) or {}
        if key in KB_SECTIONS:
            if not isinstance(data, dict):
                raise KnowledgeError("expected a mapping with any of: " + ", ".join(KB_SECTIONS),
                                     source=legacy)
            for section, records in data.items():
                if section not in KB_SECTIONS or not isinstance(records, list):
                    raise KnowledgeError(f"unknown or invalid section {section!r}",
                                         source=legacy)
            if key in data:
                found.append(Layer(legacy, data[key], False))
        else:
            found.append(Layer(legacy, data, False))
    return found


def merge_mappings(base: object, extra: object) -> object:
    """``extra`` over ``base``: mappings merge key by key (recursively), anything else
    is replaced."""
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for k, v in extra.items():
            out[k] = merge_mappings(base[k], v) if k in base else v
        return out
    return extra


def mapping(key: str, settings: Settings) -> dict:
    """A mapping file with its user overrides merged in."""
    merged: object = {}
    for layer in layers(key, settings):
        if layer.data is None:
            continue
        if not isinstance(layer.data, dict):
            raise KnowledgeError("expected a mapping", source=layer.source)
        merged = merge_mappings(merged, layer.data)
    assert isinstance(merged, dict)
    return merged


def merge_records(base: list[dict], extra: list[dict], source: str,
                  union: tuple[str, ...] = ()) -> list[dict]:
    """Records of ``extra`` override the keys they set on same-id records of ``base``.

    ``union`` keys are combined instead: the built-in people files each hold part of a
    person's career (Kaja Kallas: Estonian PM in one, EU post in the other)."""
    by_id = {r["id"]: r for r in base}
    for rec in extra:
        if not isinstance(rec, dict) or "id" not in rec:
            raise KnowledgeError("every record needs an 'id'", source=source)
        old = by_id.get(rec["id"])
        if old is None:
            by_id[rec["id"]] = rec
            continue
        merged = {**old, **rec}
        for key in union:
            if key in old and key in rec:
                known = list(old[key] or [])
                merged[key] = known + [x for x in rec[key] or [] if x not in known]
        by_id[rec["id"]] = merged
    return list(by_id.values())


def records(key: str, settings: Settings) -> list[dict]:
    """A record file (a list of ``id``-keyed mappings) with its overrides merged in."""
    out: list[dict] = []
    for layer in layers(key, settings):
        data = layer.data or []
        if not isinstance(data, list):
            raise KnowledgeError("expected a list of records", source=layer.source)
        # built-in files of one key each hold part of a record; a user's file overrides
        out = merge_records(out, data, layer.source,
                            union=("roles", "aliases") if layer.builtin else ())
    return out


def fingerprint(keys: tuple[str, ...], settings: Settings, version: str) -> str:
    """A digest of the files behind ``keys`` (built-in and user): the cache key of
    anything compiled from them."""
    digest = hashlib.sha256(version.encode())
    for key in keys:
        for rel in DATA_FILES[key]:
            for res in _package_files(rel):
                digest.update(res.name.encode())
                digest.update(res.read_bytes())
        for path in _user_files(key, settings):
            digest.update(path.read_bytes())
    for legacy in (settings.user_kb, settings.user_lexicon):
        if legacy and Path(legacy).is_file():
            digest.update(Path(legacy).read_bytes())
    return digest.hexdigest()[:20]


def by_constructor(record: Any) -> tuple:
    """``__reduce__`` for the frozen, slotted records of compiled knowledge: each is
    pickled as a call of its class with its fields, which loads about three times faster
    than the state that ``dataclasses`` pickles slotted frozen classes with."""
    return (type(record), tuple(getattr(record, f) for f in record.__slots__))


def read_compiled(path: Path) -> object | None:
    """What ``write_compiled`` stored at ``path``, or None (missing, unreadable, or
    from another version: the caller then compiles again)."""
    import gc
    import pickle

    # compiled knowledge is tens of thousands of small records: the cyclic collector has
    # nothing to find in them, and running it while they are created slows the load
    enabled = gc.isenabled()
    gc.disable()
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError,
            TypeError):
        return None
    finally:
        if enabled:
            gc.enable()


def write_compiled(path: Path, obj: object) -> None:
    """Store compiled knowledge under the cache (atomically); a read-only cache
    directory only costs start-up time."""
    import os
    import pickle

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass
