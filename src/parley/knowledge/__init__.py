"""Knowledge: everything Parley knows that is not code, behind one object.

``Knowledge`` is built from ``Settings`` and loads each part on first use (the
knowledge base and gazetteer from compiled caches): the actor knowledge base, the
trigger lexicon, role nouns, the cue-word lists and the PLOVER table. A pipeline is
built with one ``Knowledge``; stages read it from the ``Work`` record they receive.
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from parley.settings import Settings, load_settings

if TYPE_CHECKING:
    from parley.knowledge.cues import Cues
    from parley.knowledge.gazetteer import Gazetteer
    from parley.knowledge.kb import KnowledgeBase
    from parley.knowledge.lexicon import Lexicon
    from parley.knowledge.plover import PloverTable
    from parley.knowledge.roles import RoleTable
    from parley.learn.models import Models


class Knowledge:
    """The knowledge one pipeline codes with; parts load lazily and are then kept."""

    def __init__(self, settings: Settings):
        self.settings = settings

    @cached_property
    def kb(self) -> KnowledgeBase:
        from parley.knowledge.kb import load_kb

        return load_kb(self.settings)

    @cached_property
    def lexicon(self) -> Lexicon:
        from parley.knowledge.lexicon import build_lexicon

        return build_lexicon(self.settings)

    @cached_property
    def roles(self) -> RoleTable:
        from parley.knowledge.roles import load_roles

        return load_roles(self.settings)

    @cached_property
    def cues(self) -> Cues:
        from parley.knowledge.cues import load_cues

        return load_cues(self.settings)

    @cached_property
    def plover(self) -> PloverTable:
        from parley.knowledge.plover import load_plover

        return load_plover(self.settings)

    @cached_property
    def models(self) -> Models | None:
        """The learned coder's models (``parley/data/models``), or None without them."""
        from pathlib import Path

        from parley.learn.models import load_models

        folder = self.settings.models_dir
        return load_models(Path(folder) if folder else None)

    @cached_property
    def gazetteer(self) -> Gazetteer:
        from parley.knowledge.gazetteer import load_gazetteer

        return load_gazetteer(self.settings)

    def with_parts(self, **parts: object) -> Knowledge:
        """A copy sharing every loaded part except those given (``lexicon=...``): for
        training on folds and for tests."""
        other = Knowledge(self.settings)
        other.__dict__.update({k: v for k, v in self.__dict__.items() if k != "settings"})
        for name, value in parts.items():
            if not isinstance(getattr(type(self), name, None), cached_property):
                raise AttributeError(f"Knowledge has no part {name!r}")
            other.__dict__[name] = value
        return other

    def load_all(self) -> Knowledge:
        """Load every part now (before forking workers, or to fail early)."""
        for part in ("kb", "lexicon", "roles", "cues", "plover", "gazetteer", "models"):
            getattr(self, part)
        return self


@lru_cache(maxsize=4)
def _for(settings: Settings) -> Knowledge:
    return Knowledge(settings)


def default_knowledge(settings: Settings | None = None) -> Knowledge:
    """The knowledge for ``settings`` (default: the current ``PARLEY_*`` settings), one
    object per distinct settings in a process."""
    return _for(settings or load_settings())


def plover_table() -> PloverTable:
    """The PLOVER table of the default knowledge (for views that score stored events)."""
    return default_knowledge().plover


__all__ = ["Knowledge", "default_knowledge", "plover_table"]
